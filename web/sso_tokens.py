"""The identity provider as Coach sees it: its discovery document, its signing keys, and the
checks on the tokens it signs (ID tokens after sign-in, logout tokens on back-channel logout).

Signatures are checked with joserfc against the provider's published keys (fetched again once
when a token names a key we have not seen: providers rotate keys). Only asymmetric algorithms
are accepted; ``none`` and HMAC never are.
"""
from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY = 60  # seconds of clock difference tolerated on exp and iat
MAX_LOGOUT_TOKEN_AGE = 600
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
DISCOVERY_TTL = 3600


class TokenRefused(Exception):
    """A token from the provider failed a check; the message says which, for the sign-in page and logs."""


@dataclass
class Provider:
    """One issuer's metadata and keys, fetched on first use and cached for this worker."""

    issuer: str
    timeout: float = 10.0
    _metadata: dict[str, Any] | None = None
    _fetched_at: float = 0.0
    _keys: KeySet | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None or time.monotonic() - self._fetched_at > DISCOVERY_TTL:
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                data = self._get_json(url)
                if str(data.get("issuer", "")).rstrip("/") != self.issuer.rstrip("/"):
                    raise TokenRefused(f"The provider at {url} calls itself {data.get('issuer')!r}, "
                                       f"not {self.issuer!r} (COACH_OIDC_ISSUER).")
                for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not data.get(needed):
                        raise TokenRefused(f"The provider's discovery document has no {needed}.")
                self._metadata, self._fetched_at, self._keys = data, time.monotonic(), None
            return self._metadata

    def keys(self, *, refresh: bool = False) -> KeySet:
        meta = self.metadata()
        with self._lock:
            if self._keys is None or refresh:
                self._keys = KeySet.import_key_set(self._get_json(meta["jwks_uri"]))
            return self._keys

    def algorithms(self) -> list[str]:
        offered = self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
        return [alg for alg in offered if alg in ASYMMETRIC] or ["RS256"]

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=self.timeout, follow_redirects=False)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TokenRefused(f"Could not read {url}: {exc}") from exc

    def decode(self, token: str) -> dict[str, Any]:
        """The claims of ``token`` once its signature checks out against the provider's keys."""
        algorithms = self.algorithms()
        header = _header(token)  # unverified: only to pick the key and refuse other algorithms
        if header.get("alg") not in algorithms:
            raise TokenRefused(f"The token is signed with {header.get('alg')!r}; the provider signs with {algorithms}.")
        for refresh in (False, True):
            keys = self.keys(refresh=refresh)
            kid = header.get("kid")
            if kid and not any(key.kid == kid for key in keys.keys) and not refresh:
                continue
            try:
                return dict(jwt.decode(token, keys, algorithms=algorithms).claims)
            except (JoseError, ValueError) as exc:
                if refresh:
                    raise TokenRefused("The token's signature does not verify with the provider's keys: it was "
                                       "altered, or signed by someone else.") from exc
        raise TokenRefused("The token names a signing key the provider does not publish.")


def _header(token: str) -> dict[str, Any]:
    try:
        head = token.split(".")[0]
        value = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, IndexError) as exc:
        raise TokenRefused(f"The token is not a signed JWT ({exc}).") from exc
    if not isinstance(value, dict) or token.count(".") != 2:
        raise TokenRefused("The token is not a compact signed JWT.")
    return value


def _audience(claims: dict[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise TokenRefused(f"The token is for audience {aud!r}, not this client ({client_id!r}).")
    if len(audiences) > 1 and claims.get("azp") not in (None, client_id):
        raise TokenRefused(f"The token was issued to {claims.get('azp')!r}, not this client.")


def _times(claims: dict[str, Any], now: float, *, max_age: float | None = None) -> None:
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(iat, (int, float)) or iat > now + LEEWAY:
        raise TokenRefused("The token has no issue time, or one in the future.")
    if exp is not None or max_age is None:
        if not isinstance(exp, (int, float)):
            raise TokenRefused("The token has no expiry time.")
        if exp < now - LEEWAY:
            raise TokenRefused(f"The token expired {int(now - exp)} seconds ago.")
    if max_age is not None and iat < now - max_age:
        raise TokenRefused("The token is too old.")


def verify_id_token(provider: Provider, token: str, *, client_id: str, nonce: str,
                    now: float | None = None) -> dict[str, Any]:
    """The claims of an ID token from the code flow, after every check OIDC Core 3.1.3.7 asks for."""
    claims = provider.decode(token)
    now = time.time() if now is None else now
    if str(claims.get("iss", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise TokenRefused(f"The token was issued by {claims.get('iss')!r}, not {provider.issuer!r}.")
    _audience(claims, client_id)
    _times(claims, now)
    if not nonce or claims.get("nonce") != nonce:
        raise TokenRefused("The token's nonce does not match this sign-in (a replayed or foreign token).")
    if not claims.get("sub"):
        raise TokenRefused("The token names no subject (sub).")
    return claims


def verify_logout_token(provider: Provider, token: str, *, client_id: str, now: float | None = None) -> dict[str, Any]:
    """The claims of a back-channel logout token (OIDC Back-Channel Logout 1.0, section 2.6)."""
    claims = provider.decode(token)
    now = time.time() if now is None else now
    if str(claims.get("iss", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise TokenRefused(f"The logout token was issued by {claims.get('iss')!r}, not {provider.issuer!r}.")
    _audience(claims, client_id)
    _times(claims, now, max_age=MAX_LOGOUT_TOKEN_AGE)
    events = claims.get("events")
    if not isinstance(events, dict) or BACKCHANNEL_EVENT not in events:
        raise TokenRefused("The logout token carries no back-channel logout event.")
    if "nonce" in claims:
        raise TokenRefused("A logout token must not carry a nonce.")
    if not claims.get("sid") and not claims.get("sub"):
        raise TokenRefused("The logout token names neither a session (sid) nor a subject (sub).")
    return claims

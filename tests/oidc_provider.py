"""A real OpenID provider on loopback for the sign-in tests: ``oidc-provider-mock`` (Authlib's
authorization server under Flask) in a thread, with two test hooks of ours:

- ``fault``: the token endpoint's ID token is altered the way an attacker or a broken provider
  would (another audience, expired, a changed payload under the old signature, another nonce);
  re-signed tokens are signed with the provider's own key, so only the altered claim is wrong;
- ``sign(claims)``: a JWT signed with the provider's key, for back-channel logout tokens (the mock
  has no back-channel logout of its own, so the test delivers the provider's logout token).
"""
from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

import httpx

from servers import free_port

FAULTS = ("audience", "expired", "tampered", "nonce")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class LoopbackProvider:
    """Start with ``with LoopbackProvider() as idp:``; ``idp.url`` is its issuer."""

    def __init__(self) -> None:
        import flask
        import oidc_provider_mock
        import werkzeug.serving

        self.fault: str | None = None
        self.app = oidc_provider_mock.app(require_nonce=True)
        self.app.after_request(self._alter_token)
        self.app.add_url_rule("/test/sign", "test_sign", self._sign_route, methods=["POST"])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = werkzeug.serving.make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._flask = flask

    def __enter__(self) -> LoopbackProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()

    # -- people at the provider --------------------------------------------------------------

    def user(self, sub: str, **claims: Any) -> None:
        """The claims the provider gives ``sub`` (email, name, ...)."""
        response = httpx.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def sign(self, claims: dict[str, Any]) -> str:
        response = httpx.post(f"{self.url}/test/sign", json=claims, timeout=5)
        response.raise_for_status()
        return response.text

    def logout_token(self, client_id: str, *, sub: str | None = None, sid: str | None = None, **extra: Any) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": client_id, "iat": now, "exp": now + 120, "jti": f"j{now}{sub}{sid}",
                  "events": {"http://schemas.openid.net/event/backchannel-logout": {}}, **extra}
        if sub:
            claims["sub"] = sub
        if sid:
            claims["sid"] = sid
        return self.sign(claims)

    # -- inside the Flask app ----------------------------------------------------------------

    def _key(self):
        from joserfc.jwk import RSAKey

        storage = self._flask.g.oidc_provider_mock_storage
        return RSAKey.import_key(storage.jwk.as_dict(is_private=True))

    def _signed(self, header: dict[str, Any], claims: dict[str, Any]) -> str:
        from joserfc import jwt

        return jwt.encode(header, claims, self._key())

    def _sign_route(self):
        request = self._flask.request
        header = {"alg": "RS256"}
        kid = self._flask.g.oidc_provider_mock_storage.jwk.as_dict().get("kid")
        if kid:
            header["kid"] = kid
        return self._signed(header, request.get_json())

    def _alter_token(self, response):
        if self.fault is None or self._flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        body = response.get_json()
        head, payload, signature = body["id_token"].split(".")
        header, claims = json.loads(_unb64(head)), json.loads(_unb64(payload))
        now = int(time.time())
        if self.fault == "tampered":  # another person's email under the original signature
            claims["email"] = "olivia.chen@example.com"
            body["id_token"] = ".".join((head, _b64(json.dumps(claims).encode()), signature))
        else:
            if self.fault == "audience":
                claims["aud"] = "another-client"
            elif self.fault == "expired":
                claims["iat"], claims["exp"] = now - 7200, now - 3600
            elif self.fault == "nonce":
                claims["nonce"] = "not-the-nonce-coach-sent"
            body["id_token"] = self._signed(header, claims)
        response.set_data(json.dumps(body))
        return response

"""Single sign-on through the company's identity provider (OIDC authorization code with PKCE).

``GET /signin/sso`` sends the browser to the provider with a fresh state, nonce and PKCE
verifier, kept in a short-lived cookie of this browser only; ``GET /signin/sso/callback``
checks the state, exchanges the code (Authlib), checks the ID token (:mod:`web.sso_tokens`),
finds the person (:func:`person_for_claims`) and starts a session that ends at
``COACH_OIDC_SESSION_HOURS`` or when the provider's back-channel logout names it
(``POST /signin/sso/backchannel-logout``).
"""
from __future__ import annotations

import base64
import hmac
import json
import secrets
from typing import Any

from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2 import OAuth2Error
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from httpx import HTTPError

from assistant.settings import Settings
from tools.store.accounts import create_session
from tools.store.identity import by_email, by_external_id, describe, end_sso_sessions, record_person_change
from tools.store.models import Person
from web.auth import safe_next, secure_cookie, start_session_response
from web.deps import Db, State
from web.sso_tokens import Provider, TokenRefused, verify_id_token, verify_logout_token

router = APIRouter(include_in_schema=False)
PENDING_COOKIE = "coach_sso"
PENDING_SECONDS = 600
CALLBACK = "/signin/sso/callback"


class SignInRefused(Exception):
    """The provider said who someone is, but Coach will not sign them in: the page says why."""

    def __init__(self, title: str, message: str, status: int = 403):
        super().__init__(message)
        self.title, self.message, self.status = title, message, status


def provider(request: Request) -> Provider:
    """This worker's view of the configured provider (metadata and keys cached)."""
    app_state = request.app.state
    if getattr(app_state, "sso_provider", None) is None:
        app_state.sso_provider = Provider(app_state.web.settings.oidc_issuer, timeout=10.0)
    return app_state.sso_provider


def _client(settings: Settings, request: Request, meta: dict[str, Any]) -> OAuth2Client:
    methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Client(client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret.get_secret_value(),
                        scope=settings.oidc_scopes, redirect_uri=redirect_uri(request),
                        code_challenge_method="S256", token_endpoint_auth_method=auth, timeout=10.0)


def redirect_uri(request: Request) -> str:
    return str(request.base_url).rstrip("/") + CALLBACK


def refused_page(request: Request, state: State, title: str, message: str, status: int) -> HTMLResponse:
    response = state.templates.TemplateResponse(
        request, "signin_refused.html", {"title": title, "message": message, "status": status,
                                         "passwords": not state.settings.oidc_only}, status_code=status)
    response.delete_cookie(PENDING_COOKIE, path="/signin/sso")
    return response


@router.get("/signin/sso")
def start(request: Request, state: State, next: str = "/") -> Response:
    settings = state.settings
    if not settings.sso_enabled:
        return refused_page(request, state, "Single sign-on is off", "This Coach has no identity provider "
                            "configured (COACH_OIDC_ISSUER).", 404)
    try:
        meta = provider(request).metadata()
    except TokenRefused as exc:
        return refused_page(request, state, "The sign-in service is unreachable", str(exc), 502)
    pending = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24),
               "verifier": secrets.token_urlsafe(48), "next": safe_next(next)}
    with _client(settings, request, meta) as client:
        url, _ = client.create_authorization_url(meta["authorization_endpoint"], state=pending["state"],
                                                 nonce=pending["nonce"], code_verifier=pending["verifier"])
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(PENDING_COOKIE, base64.urlsafe_b64encode(json.dumps(pending).encode()).decode(),
                        max_age=PENDING_SECONDS, httponly=True, samesite="lax", secure=secure_cookie(request),
                        path="/signin/sso")
    return response


def _pending(request: Request) -> dict[str, str] | None:
    try:
        value = json.loads(base64.urlsafe_b64decode(request.cookies.get(PENDING_COOKIE, "")))
    except ValueError:
        return None
    return value if isinstance(value, dict) and all(isinstance(value.get(k), str) for k in
                                                    ("state", "nonce", "verifier", "next")) else None


@router.get(CALLBACK)
def callback(request: Request, state: State, db: Db, code: str = "", error: str = "",
             error_description: str = "") -> Response:
    settings = state.settings
    pending = _pending(request)
    if not settings.sso_enabled or pending is None:
        return refused_page(request, state, "Sign-in expired", "This sign-in was not started in this browser, "
                            "or took more than ten minutes. Start again from the sign-in page.", 400)
    if not hmac.compare_digest(request.query_params.get("state", ""), pending["state"]):
        return refused_page(request, state, "Sign-in refused", "The answer from the identity provider does not "
                            "belong to the sign-in this browser started (state mismatch). Start again.", 400)
    if error or not code:
        reason = error_description or error or "no authorization code"
        return refused_page(request, state, "Sign-in refused", f"The identity provider refused: {reason}.", 401)
    idp = provider(request)
    try:
        meta = idp.metadata()
        with _client(settings, request, meta) as client:
            tokens = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=pending["verifier"],
                                        grant_type="authorization_code")
        if not tokens.get("id_token"):
            raise TokenRefused("The provider returned no ID token (is 'openid' among COACH_OIDC_SCOPES?).")
        claims = verify_id_token(idp, tokens["id_token"], client_id=settings.oidc_client_id, nonce=pending["nonce"])
    except (OAuth2Error, HTTPError, TokenRefused) as exc:
        return refused_page(request, state, "Sign-in refused", f"The identity provider's answer failed a check: {exc}",
                            401)
    try:
        person = person_for_claims(db, settings, claims)
    except SignInRefused as exc:
        db.rollback()
        return refused_page(request, state, exc.title, exc.message, exc.status)
    secret, _ = create_session(db, person.id, days=settings.oidc_session_hours / 24,
                               sso_sid=_text(claims.get("sid")), sso_sub=_text(claims.get("sub")))
    db.commit()
    response = start_session_response(request, secret, pending["next"], max_age=int(settings.oidc_session_hours * 3600))
    response.delete_cookie(PENDING_COOKIE, path="/signin/sso")
    return response


def _text(value: Any) -> str | None:
    return str(value)[:255] if value not in (None, "") else None


def person_for_claims(db, settings: Settings, claims: dict[str, Any]) -> Person:
    """The active person the ID token's claims name, by ``COACH_OIDC_PERSON_CLAIM`` and email, or
    :class:`SignInRefused` saying why not (unknown, disabled, domain, conflict, unverified email)."""
    email = str(claims.get("email") or "").strip()
    if email and claims.get("email_verified") is False:
        raise SignInRefused("Email not verified", f"The identity provider has not verified {email}, so Coach "
                            "cannot match it to a person. Ask your administrator.")
    if settings.oidc_email_domains:
        domain = email.rpartition("@")[2].lower()
        if not email or domain not in settings.oidc_email_domains:
            raise SignInRefused("Not allowed here", f"{email or 'An account without an email'} is not in an email "
                                "domain allowed to sign in to this Coach (COACH_OIDC_EMAIL_DOMAINS).")
    key = settings.oidc_person_claim
    external = None if key == "email" else _text(claims.get(key))
    if key != "email" and external is None:
        raise SignInRefused("Sign-in refused", f"The identity provider sent no {key!r} claim, which names people "
                            "in this Coach (COACH_OIDC_PERSON_CLAIM).")
    by_id, by_mail = by_external_id(db, external), by_email(db, email)
    if by_id is not None and by_mail is not None and by_id.id != by_mail.id:
        raise SignInRefused("Two records for one person", f"The {key} {external!r} is {describe(by_id)}, but the "
                            f"email {email!r} is {describe(by_mail)}. Ask your administrator to fix one of them; "
                            "nothing was changed.", 409)
    person = by_id if key != "email" else by_mail
    if person is None and key != "email" and by_mail is not None and by_mail.external_id is None:
        person = by_mail  # imported by email, not yet linked to the directory: the email is enough
    if person is None:
        if not settings.oidc_create_people or not email:
            raise SignInRefused("No Coach account", f"{email or 'This account'} is not a person in this Coach, so "
                                "there is nothing to sign in to. Ask your administrator to add you (through the "
                                "directory, or coach import).")
        person = Person(id="p-" + secrets.token_hex(6), name=str(claims.get("name") or email.partition("@")[0])[:200],
                        email=email, role="employee", external_id=external)
        db.add(person)
        db.flush()
        record_person_change(db, actor_id=None, channel="sso", action="create", person=person, before=None)
    if not person.active:
        raise SignInRefused("Account deactivated", f"{person.name}'s account has been deactivated, so it cannot "
                            "sign in. Ask your administrator if this is a mistake.")
    return person


@router.post("/signin/sso/backchannel-logout")
def backchannel_logout(request: Request, state: State, db: Db,
                       logout_token: str = Form("", max_length=16384)) -> Response:
    """The provider ends sessions here (OIDC Back-Channel Logout): every Coach session of that
    provider session (``sid``), or of that subject when the token names no session."""
    if not state.settings.sso_enabled:
        return JSONResponse({"error": "invalid_request", "error_description": "single sign-on is off"}, 400)
    try:
        claims = verify_logout_token(provider(request), logout_token, client_id=state.settings.oidc_client_id)
    except TokenRefused as exc:
        return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, 400,
                            headers={"Cache-Control": "no-store"})
    end_sso_sessions(db, sid=_text(claims.get("sid")), sub=_text(claims.get("sub")))
    db.commit()
    return Response(status_code=200, headers={"Cache-Control": "no-store"})

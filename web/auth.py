"""Signing in and out, and the account page where a person makes API tokens for the widget.

The sign-in form has no session yet, so it is protected by a double-submit token: a random
value in a short-lived cookie that the form must echo.
"""
from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tools.errors import ToolError
from tools.store.accounts import (
    MAX_TOKEN_DAYS,
    SCOPES,
    SESSION_DAYS,
    TOKEN_DAYS,
    authenticate,
    create_api_token,
    create_session,
    end_session,
    find_session,
    list_api_tokens,
    purge_expired_sessions,
    revoke_api_token,
)
from tools.store.audit import record
from tools.store.models import utcnow
from web.deps import SESSION_COOKIE, Db, FormAuth, PageAuth, State, identify, same_token
from web.throttle import Limited

router = APIRouter(include_in_schema=False)
SIGNIN_COOKIE = "coach_signin"


def safe_next(target: str | None) -> str:
    """Only local paths: never an absolute or protocol-relative URL (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def secure_cookie(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session_response(request: Request, secret: str, next_url: str, *, max_age: int) -> RedirectResponse:
    """The redirect that ends a successful sign-in: the session cookie, then the page asked for."""
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, max_age=max_age, httponly=True, samesite="lax",
                        secure=secure_cookie(request), path="/")
    response.delete_cookie(SIGNIN_COOKIE, path="/signin")
    return response


def _signin_page(request: Request, state: State, *, error: str = "", email: str = "", next_url: str = "/",
                 status: int = 200, provider_signout: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = state.templates.TemplateResponse(
        request, "signin.html",
        {"title": "Sign in", "error": error, "email": email, "next": safe_next(next_url), "signin_token": token,
         "sso": state.settings.sso_enabled, "passwords": not state.settings.oidc_only,
         "provider_signout": provider_signout},
        status_code=status)
    response.set_cookie(SIGNIN_COOKIE, token, max_age=3600, httponly=True, samesite="lax", secure=secure_cookie(request),
                        path="/signin")
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, state: State, db: Db, next: str = "/", signed_out: str = "") -> Response:
    if identify(request, db) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    provider_signout = provider_signout_url(request, state) if signed_out == "sso" and state.settings.sso_enabled else None
    return _signin_page(request, state, next_url=next, provider_signout=provider_signout)


@router.post("/signin")
def signin(request: Request, state: State, db: Db, email: Annotated[str, Form(max_length=320)] = "",
           password: Annotated[str, Form(max_length=256)] = "", csrf_token: Annotated[str, Form()] = "",
           next: Annotated[str, Form()] = "/") -> Response:
    if state.settings.oidc_only:
        return _signin_page(request, state, error="Passwords are turned off here: sign in with single sign-on.",
                            next_url=next, status=403)
    if not same_token(request.cookies.get(SIGNIN_COOKIE, ""), csrf_token):
        return _signin_page(request, state, error="Your sign-in form expired. Please try again.", email=email,
                            next_url=next, status=403)
    address = request.client.host if request.client else "unknown"
    try:
        state.throttle.check_signin(email, address)
    except Limited as exc:
        page = _signin_page(request, state, error=exc.message, email=email, next_url=next, status=429)
        page.headers.update(exc.headers)
        return page
    person = authenticate(db, email, password) if email and password else None
    if person is None:
        state.throttle.signin_failed(email, address)
        return _signin_page(request, state, error="That email and password do not match an account.",
                            email=email, next_url=next, status=401)
    state.throttle.signin_succeeded(email)
    purge_expired_sessions(db)  # sign-ins are rare and the delete uses an index: expired sessions go here
    secret, _ = create_session(db, person.id)
    db.commit()
    return start_session_response(request, secret, next, max_age=SESSION_DAYS * 86400)


@router.post("/signout")
def signout(request: Request, auth: FormAuth, db: Db) -> Response:
    """End this session. Signing out of the identity provider too is offered, not forced: it would
    end the person's sign-in to every other company application."""
    secret = request.cookies.get(SESSION_COOKIE, "")
    row = find_session(db, secret)
    end_session(db, secret)
    db.commit()
    response = RedirectResponse("/signin?signed_out=sso" if row is not None and row.sso_sub else "/signin",
                                status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def provider_signout_url(request: Request, state: State) -> str | None:
    """The provider's end-session URL (RP-initiated logout), back to our sign-in page afterwards."""
    from web.sso import provider
    from web.sso_tokens import TokenRefused

    try:
        endpoint = provider(request).metadata().get("end_session_endpoint")
    except TokenRefused:
        return None
    if not endpoint:
        return None
    query = urlencode({"client_id": state.settings.oidc_client_id,
                       "post_logout_redirect_uri": str(request.base_url).rstrip("/") + "/signin"})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _account_page(request: Request, state: State, auth: PageAuth, db: Db, new_token: str = "", error: str = "",
                  status: int = 200) -> HTMLResponse:
    tokens = list_api_tokens(db, auth.viewer.person_id)
    return state.templates.TemplateResponse(request, "account.html", {
        "title": "Account and widget", "auth": auth, "tokens": tokens, "new_token": new_token, "error": error,
        "base_url": str(request.base_url).rstrip("/"), "origins": state.settings.allowed_origins,
        "scopes": SCOPES, "default_days": TOKEN_DAYS, "max_days": MAX_TOKEN_DAYS, "now": utcnow(),
    }, status_code=status)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, state: State, auth: PageAuth, db: Db) -> HTMLResponse:
    return _account_page(request, state, auth, db)


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(request: Request, state: State, auth: FormAuth, db: Db,
              name: Annotated[str, Form(max_length=100)] = "",
              scope: Annotated[list[str], Form(max_length=4)] = ["chat"],  # noqa: B006  (a form default)
              days: Annotated[int, Form(ge=1, le=MAX_TOKEN_DAYS)] = TOKEN_DAYS,
              origin: Annotated[str, Form(max_length=300)] = "") -> HTMLResponse:
    """A new token with the scopes ticked, an expiry and (optionally) one origin; its secret is shown once."""
    try:
        secret, row = create_api_token(db, auth.viewer.person_id, name or "chat widget", scopes=scope, days=days,
                                       origin=origin or None)
    except ToolError as exc:
        return _account_page(request, state, auth, db, error=str(exc), status=422)
    record(db, actor_id=auth.viewer.person_id, action="token", kind="api_token", record_id=row.id,
           subject_id=auth.viewer.person_id, after={"name": row.name, "scopes": row.scopes, "origin": row.origin,
                                                    "expires_at": row.expires_at}, channel="form")
    db.commit()
    return _account_page(request, state, auth, db, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, auth: FormAuth, db: Db) -> Response:
    if not revoke_api_token(db, token_id, auth.viewer.person_id):
        raise HTTPException(404, "No such token.")
    db.commit()
    return RedirectResponse("/account", status_code=303)

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

from tools.store.accounts import (SESSION_DAYS, authenticate, create_api_token, create_session, end_session, find_session,
                                  list_api_tokens, revoke_api_token)
from web.deps import SESSION_COOKIE, Db, FormAuth, PageAuth, State, identify, same_token

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
    person = authenticate(db, email, password) if email and password else None
    if person is None:
        return _signin_page(request, state, error="That email and password do not match an account.",
                            email=email, next_url=next, status=401)
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


def _account_page(request: Request, state: State, auth: PageAuth, db: Db, new_token: str = "") -> HTMLResponse:
    tokens = list_api_tokens(db, auth.viewer.person_id)
    return state.templates.TemplateResponse(request, "account.html", {
        "title": "Account and widget", "auth": auth, "tokens": tokens, "new_token": new_token,
        "base_url": str(request.base_url).rstrip("/"), "origins": state.settings.allowed_origins,
    })


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, state: State, auth: PageAuth, db: Db) -> HTMLResponse:
    return _account_page(request, state, auth, db)


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(request: Request, state: State, auth: FormAuth, db: Db,
              name: Annotated[str, Form(max_length=100)] = "") -> HTMLResponse:
    secret, _ = create_api_token(db, auth.viewer.person_id, name or "chat widget")
    db.commit()
    return _account_page(request, state, auth, db, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, auth: FormAuth, db: Db) -> Response:
    if not revoke_api_token(db, token_id, auth.viewer.person_id):
        raise HTTPException(404, "No such token.")
    db.commit()
    return RedirectResponse("/account", status_code=303)

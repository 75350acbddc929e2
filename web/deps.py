"""Typed dependencies: the app's state, a database session, and who is calling.

A caller is identified by a session cookie (pages and our own widget) or by an API token
sent as ``Authorization: Bearer`` (the widget on other sites, scripts). Writes with a
cookie need the session's CSRF token (form field or ``X-CSRF-Token`` header); a token's
requests from a browser must come from our own origin or one in ``settings.allowed_origins``
(and, for a token bound to one origin, from that origin only). A token carries scopes:
``chat`` (the widget), ``read`` and ``write`` (the JSON API); a session has them all.
"""
from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.templating import Jinja2Templates

from assistant.runtime import Runtime
from assistant.settings import Settings
from tools.access import Viewer
from tools.analytics.numbers import fmt
from tools.analytics.risk import LABELS
from tools.store.accounts import find_api_token, find_session, token_scopes, touch_api_token
from tools.context import ToolContext, data_today
from tools.store.models import Person
from web.errors import LoginRequired

SESSION_COOKIE = "coach_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class StreamStats:
    """Chat streams of this worker: running now, finished, and stopped by the client."""

    active: int = 0
    completed: int = 0
    cancelled: int = 0


RESERVED_CONNECTIONS = 4  # pooled connections kept free for page and API requests


@dataclass
class WebState:
    settings: Settings
    runtime: Runtime
    templates: Jinja2Templates
    chat_model: Any = None
    streams: StreamStats = field(default_factory=StreamStats)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _turns: asyncio.Semaphore | None = None
    _tools: dict[str, Any] | None = None
    _throttle: Any = None

    @classmethod
    def build(cls, settings: Settings, runtime: Runtime, template_dir: Path, chat_model: Any = None) -> WebState:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.filters["num"] = fmt
        env.globals["status_labels"] = {**LABELS, "done": "Done"}
        return cls(settings, runtime, Jinja2Templates(env=env), chat_model)

    def model(self) -> Any:
        """The chat model, built on first use (loading a local model takes a moment)."""
        if self.chat_model is None:
            with self._lock:
                if self.chat_model is None:
                    from assistant.providers import build_chat_model

                    self.chat_model = build_chat_model(self.settings)
        return self.chat_model

    @property
    def throttle(self):
        """The abuse limits (:mod:`web.throttle`), counted in the database or Redis."""
        if self._throttle is None:
            from web.throttle import Throttle

            s = self.settings
            self._throttle = Throttle.build(self.runtime.engine, s.redis_url, s.chat_concurrent, s.model_per_minute)
        return self._throttle

    def tools(self) -> dict[str, Any]:
        """The agent's tools, bound once per worker (binding builds a schema per tool)."""
        if self._tools is None:
            from assistant.agent.toolset import registry_tools

            self._tools = registry_tools()
        return self._tools

    def turn_slots(self) -> asyncio.Semaphore:
        """Agent turns one worker runs at once. A turn holds a pooled database connection while the
        model writes, so turns beyond the pool wait here instead of blocking the event loop."""
        if self._turns is None:
            pool = self.runtime.engine.pool
            size = pool.size() + max(pool._max_overflow, 0) if hasattr(pool, "size") else 1 + RESERVED_CONNECTIONS
            self._turns = asyncio.Semaphore(max(1, size - RESERVED_CONNECTIONS))
        return self._turns

    def allowed_origin(self, origin: str, own: str) -> bool:
        origin = origin.rstrip("/")
        return origin == own or origin in {o.rstrip("/") for o in self.settings.allowed_origins}


ALL_SCOPES = frozenset({"chat", "read", "write"})


@dataclass(frozen=True)
class Auth:
    viewer: Viewer
    via: Literal["session", "token"]
    csrf_token: str = ""  # the session's CSRF token (empty for API tokens)
    scopes: frozenset[str] = ALL_SCOPES


def get_state(request: Request) -> WebState:
    return request.app.state.web


def get_db(request: Request) -> Iterator[Session]:
    """A session for this request; routes that write commit it themselves."""
    with get_state(request).runtime.sessions() as session:
        yield session


State = Annotated[WebState, Depends(get_state)]
Db = Annotated[Session, Depends(get_db)]


def own_origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _viewer(session: Session, person_id: str) -> Viewer | None:
    """The signed-in person as a viewer; ``None`` once they are deactivated (every sign-in ends at once)."""
    person = session.get(Person, person_id)
    return None if person is None or not person.active else Viewer(person.id, person.role, person.name)


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def identify(request: Request, session: Session) -> Auth | None:
    """Who is calling, or ``None``. A bearer token that is unknown or revoked is an error, not anonymous."""
    token = _bearer(request)
    if token is not None:
        row = find_api_token(session, token)
        viewer = _viewer(session, row.person_id) if row else None
        if viewer is None:
            raise HTTPException(401, "The API token is unknown or revoked, or its person was deactivated.",
                                headers={"WWW-Authenticate": "Bearer"})
        origin = request.headers.get("origin")
        if origin and not get_state(request).allowed_origin(origin, own_origin(request)):
            raise HTTPException(403, f"Origin {origin} is not allowed to use the API (COACH_ALLOWED_ORIGINS).")
        if row.origin and (origin or "").rstrip("/") != row.origin:
            raise HTTPException(403, f"This token works only from {row.origin}.")
        if touch_api_token(session, row):
            session.commit()
        return Auth(viewer, "token", scopes=token_scopes(row))
    web = find_session(session, request.cookies.get(SESSION_COOKIE, ""))
    viewer = _viewer(session, web.person_id) if web else None
    return Auth(viewer, "session", web.csrf_token) if viewer else None


def same_token(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def page_auth(request: Request, db: Db) -> Auth:
    """A signed-in browser, or a redirect to the sign-in page."""
    auth = identify(request, db)
    if auth is None or auth.via != "session":
        raise LoginRequired()
    return auth


async def form_auth(request: Request, auth: Annotated[Auth, Depends(page_auth)]) -> Auth:
    """A signed-in browser posting a form that carries its session's CSRF token."""
    form = await request.form()
    if not same_token(auth.csrf_token, form.get("csrf_token")):  # type: ignore[arg-type]
        raise HTTPException(403, "The form's security token is missing or stale: reload the page and try again.")
    return auth


def _api_caller(request: Request, session: Session) -> Auth:
    auth = identify(request, session)
    if auth is None:
        raise HTTPException(401, "Sign in, or send an API token as 'Authorization: Bearer coach_...'.",
                            headers={"WWW-Authenticate": "Bearer"})
    if auth.via == "session":
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != own_origin(request):
            raise HTTPException(403, "Cookie sign-in works only from this site; other sites must use an API token.")
        if request.method not in SAFE_METHODS and not same_token(auth.csrf_token, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, "Missing or wrong X-CSRF-Token header for a signed-in write.")
    return auth


def _scoped(auth: Auth, scope: str) -> Auth:
    if scope not in auth.scopes:
        raise HTTPException(403, f"This API token lacks the {scope!r} scope (it has: {', '.join(sorted(auth.scopes))}).")
    return auth


def api_auth_for(scope: str):
    """A dependency: an API caller (bearer token or session cookie) whose token has ``scope``."""

    def dependency(request: Request, db: Db) -> Auth:
        return _scoped(_api_caller(request, db), scope)

    dependency.__name__ = f"api_auth_{scope}"
    return dependency


def api_auth(request: Request, db: Db) -> Auth:
    """An API caller: a bearer token, or a session cookie (writes need X-CSRF-Token; foreign origins are refused)."""
    return _api_caller(request, db)


def stream_auth(request: Request) -> Auth:
    """:func:`api_auth` for the chat routes (scope ``chat``): its database session is closed before the
    stream starts, so a long answer does not hold a pooled connection for nothing."""
    with get_state(request).runtime.sessions() as session:
        return _scoped(_api_caller(request, session), "chat")


PageAuth = Annotated[Auth, Depends(page_auth)]
FormAuth = Annotated[Auth, Depends(form_auth)]
ApiAuth = Annotated[Auth, Depends(api_auth)]
StreamAuth = Annotated[Auth, Depends(stream_auth)]


def tool_context(session: Session, viewer: Viewer) -> ToolContext:
    """The data core's context for ``viewer`` (no guidance index: pages do not search it)."""
    return ToolContext(session=session, viewer=viewer, today=data_today(session))

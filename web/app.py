"""The FastAPI application: ``create_app(settings)`` builds it; nothing happens at import time.

Several workers may serve the same users: sessions, tokens, drafts and conversations
live in the database, and each worker holds only its engine and (lazily) its chat model.
"""
from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.runtime import open_runtime
from assistant.settings import Settings
from tools.access import OutOfReach, ToolError
from web.deps import WebState
from web.errors import LoginRequired, PageDenied, field_errors, login_redirect, page_denied, tool_error
from web.middleware import BodyLimit, SecurityHeaders, cors_middleware

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_BODY = 256 * 1024

# The API description (/api/openapi.json) and its docs page (/api/docs) need no sign-in, by decision:
# they describe the routes of an open-source program (the same text is in its source), hold no
# data of anyone, and integrators read them before they have a token. Every route they describe
# still needs a session or a token with the right scope.
API_DESCRIPTION = (
    "Goals, key results, progress updates, 1:1 check-ins, KPI values and feedback, and the chat endpoint "
    "(server-sent events). Every route runs for its caller: a session cookie (with the X-CSRF-Token header "
    "on writes) or an API token sent as `Authorization: Bearer coach_...`. Records outside the caller's "
    "reporting chain answer 404, exactly like records that do not exist."
)


def create_app(settings: Settings | None = None, *, upgrade: bool = True, chat_model=None,
               max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    """Build the app for ``settings``.

    ``upgrade`` migrates the database first (``coach serve`` does it once, before its workers
    start); ``chat_model`` replaces the model ``settings`` name (tests pass a scripted one).
    """
    settings = settings or Settings()
    runtime = open_runtime(settings, upgrade=upgrade)
    services: list = []  # async context managers that live as long as the app (the MCP session manager)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        async with contextlib.AsyncExitStack() as stack:
            stack.callback(runtime.engine.dispose)
            for service in services:
                await stack.enter_async_context(service())
            yield

    app = FastAPI(title="Coach", version="0.1.0", description=API_DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.web = WebState.build(settings, runtime, HERE / "templates", chat_model=chat_model)

    from web import (apidocs, auth, routes_admin, routes_api, routes_api_activity, routes_chat, routes_digest,
                     routes_drafts, routes_pages, scim, sso)

    for module in (auth, sso, scim, routes_pages, routes_drafts, routes_digest, routes_admin, routes_api,
                   routes_api_activity, routes_chat, apidocs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _integrations(app, settings, services)

    app.add_exception_handler(LoginRequired, login_redirect)
    app.add_exception_handler(PageDenied, page_denied)
    app.add_exception_handler(OutOfReach, tool_error)
    app.add_exception_handler(ToolError, tool_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

    # Outermost last: the size limit sees every request before anything reads its body.
    app.add_middleware(SecurityHeaders)
    cors_middleware(app, settings.allowed_origins)
    app.add_middleware(BodyLimit, max_body=max_body)
    return app


def _integrations(app: FastAPI, settings: Settings, services: list) -> None:
    """The integrations that are configured: MCP over HTTP (``COACH_MCP_HTTP``) and Slack's HTTP
    events (``COACH_SLACK_BOT_TOKEN`` with ``COACH_SLACK_SIGNING_SECRET``)."""
    if settings.mcp_http:
        from web import mcp_http

        services.append(mcp_http.mount(app, app.state.web).manager.run)
    if settings.slack_bot_token and settings.slack_signing_secret:
        from web import slack_http

        slack_http.mount(app, app.state.web)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": field_errors(exc.errors())}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def app_from_env() -> FastAPI:
    """The factory ``coach serve`` hands each uvicorn worker (the parent already migrated).

    The objects alive after start-up (modules, routes, the agent's modules) are frozen out of the
    garbage collector's sight, so its full collections no longer walk them all: on the
    10,000-person org those took 100 ms and more every few dashboard renders (BENCHMARKS.md)."""
    app = create_app(Settings(), upgrade=os.environ.get("COACH_WEB_UPGRADE", "1") == "1")
    import assistant.agent  # noqa: F401  (imported by the first chat otherwise; frozen with the rest)

    gc.collect()
    gc.freeze()
    return app

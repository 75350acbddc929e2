"""MCP over streamable HTTP at ``/mcp`` under ``coach serve`` (on when ``COACH_MCP_HTTP=true``).

Each request carries a personal API token as ``Authorization: Bearer coach_...``; the token is
checked before the request reaches the MCP server, which then acts as that token's person.
The server is stateless (one exchange per request, JSON replies), so any worker serves any call.
"""
from __future__ import annotations

import json
from typing import Any

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from assistant.integrations.agent_host import Backend
from web import coach
from assistant.integrations.mcp_server import build_server, refuse
from assistant.integrations.mcp_tokens import REFUSED, viewer_for_token
from tools.access import Viewer

PATH = "/mcp"
STATE_KEY = "coach_viewer"


def request_viewer(ctx: Any) -> Viewer:
    """The viewer :class:`McpEndpoint` put on the request."""
    request = getattr(ctx, "request", None)
    viewer = getattr(getattr(request, "state", None), STATE_KEY, None)
    if not isinstance(viewer, Viewer):
        raise refuse(REFUSED)
    return viewer


class McpEndpoint:
    """The ASGI endpoint: checks the bearer token, then hands the request to the MCP server."""

    def __init__(self, state: Any):
        self.state = state
        backend = Backend(state.runtime, model=state.model, turn_slots=state.turn_slots, tools=state.tools,
                          admit=coach.admit(state), base_url=state.settings.public_url or "")
        self.manager = StreamableHTTPSessionManager(app=build_server(backend, request_viewer), stateless=True,
                                                    json_response=True)

    def _viewer(self, token: str) -> Viewer | None:
        with self.state.runtime.sessions() as session:
            viewer = viewer_for_token(session, token)
            session.commit()
        return viewer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        scheme, _, token = headers.get("authorization", "").partition(" ")
        viewer = await run_in_threadpool(self._viewer, token.strip()) if scheme.lower() == "bearer" else None
        if viewer is None:
            await _unauthorized(send)
            return
        scope.setdefault("state", {})[STATE_KEY] = viewer
        await self.manager.handle_request(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = json.dumps({"error": "invalid_token", "error_description": REFUSED}).encode()
    await send({"type": "http.response.start", "status": 401, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", b'Bearer error="invalid_token"')]})
    await send({"type": "http.response.body", "body": body})


def mount(app: Any, state: Any) -> McpEndpoint:
    """Add ``/mcp`` to ``app``; the caller runs ``endpoint.manager.run()`` for the app's lifetime."""
    endpoint = McpEndpoint(state)
    app.router.routes.append(Route(PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"]))
    return endpoint

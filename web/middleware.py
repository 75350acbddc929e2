"""ASGI middleware: a request body size limit, security headers, CORS for named origins."""
from __future__ import annotations

import json

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")


class BodyLimit:
    """Answer 413 to a body over ``max_body`` bytes, declared or streamed, before the app reads it."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_body:
                return await self._too_large(send)
            return await self.app(scope, receive, send)
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        body, more = b"", True  # chunked: read it all (bounded), then replay it
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                return await self._too_large(send)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": f"The request body is larger than {self.max_body} bytes."}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


HSTS = b"max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """A strict CSP on pages (no inline script or style anywhere), nosniff, no framing;
    ``Cache-Control: no-store`` on every page and API answer (they are per person, and one shows
    a new token); HSTS when the request came over https (behind a proxy: run uvicorn with
    ``--proxy-headers`` so the scheme is known).

    Static files may be loaded by other origins (the widget's script and style sheet) and cached.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if static:
                    headers.append((b"cross-origin-resource-policy", b"cross-origin"))
                else:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers += [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"DENY"),
                                (b"cache-control", b"no-store")]
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", HSTS))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def cors_middleware(app: FastAPI, origins: list[str]) -> None:
    """CORS for the API, for the named origins only, without cookies (the widget sends a bearer token)."""
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=[o.rstrip("/") for o in origins], allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After"], max_age=600,
        )

"""The errors pages and the API answer with: sign-in redirects, 403 pages, field-level 422s."""
from __future__ import annotations

from typing import Any, Sequence
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from tools.access import OutOfReach, ToolError
from tools.errors import InvalidField, NotAllowed

DENIED = "This page is not available to you: the person or record is outside your reporting chain, or does not exist."


class LoginRequired(Exception):
    """A page was asked for without a valid session: send the browser to sign in."""


class PageDenied(Exception):
    """A page about a record outside the viewer's reach (or unknown): 403 with no data."""

    def __init__(self, message: str = DENIED):
        super().__init__(message)
        self.message = message


async def login_redirect(request: Request, exc: LoginRequired) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


async def page_denied(request: Request, exc: PageDenied) -> HTMLResponse:
    state = request.app.state.web
    return state.templates.TemplateResponse(
        request, "error.html", {"title": "Not available", "message": exc.message, "status": 403}, status_code=403)


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 naming the body field at fault."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


async def tool_error(request: Request, exc: ToolError):
    """Out of reach: 404 from the API, 403 on pages (no data either way); a write the policy refuses: 403;
    a broken record rule: 422 naming the field; other tool errors: 422 / 400."""
    api = request.url.path.startswith("/api/")
    if isinstance(exc, OutOfReach):
        if api:
            return JSONResponse({"detail": "Not found."}, status_code=404)
        return await page_denied(request, PageDenied())
    if isinstance(exc, NotAllowed):
        if api:
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return await page_denied(request, PageDenied(str(exc)))
    if isinstance(exc, InvalidField) and api:
        loc = ["body", *(int(p) if p.isdigit() else p for p in exc.field.split("."))]
        return JSONResponse({"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}]}, status_code=422)
    if api:
        return JSONResponse({"detail": [{"loc": [], "msg": str(exc), "type": "tool_error"}]}, status_code=422)
    return request.app.state.web.templates.TemplateResponse(
        request, "error.html", {"title": "Cannot show this", "message": str(exc), "status": 400}, status_code=400)


def field_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic errors as ``{loc, msg, type}``, without echoing the input back."""
    out = []
    for err in errors:
        loc = [part for part in err.get("loc", ()) if part is not None]
        out.append({"loc": loc, "msg": str(err.get("msg", "invalid value")), "type": str(err.get("type", "value_error"))})
    return out

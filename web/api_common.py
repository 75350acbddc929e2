"""Helpers shared by the JSON API routes: path ids, the caller with the scope a route needs,
and the caller's context (its writes are audited as coming from the API)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy.orm import Session

from tools.context import ToolContext
from web.deps import Auth, api_auth_for, tool_context

PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00]+$")]
RESPONSES = {401: {"description": "Not signed in, or the API token is unknown, expired or revoked"},
             403: {"description": "The token lacks the scope, or the write policy refuses this change"},
             404: {"description": "Unknown, or outside your reach"}}

ReadAuth = Annotated[Auth, Depends(api_auth_for("read"))]
WriteAuth = Annotated[Auth, Depends(api_auth_for("write"))]


def api_context(db: Session, auth: Auth) -> ToolContext:
    ctx = tool_context(db, auth.viewer)
    ctx.channel = "api"
    return ctx

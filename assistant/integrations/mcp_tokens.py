"""Who an MCP caller is: a personal API token, which names the person it acts as.

Over stdio the token comes from ``COACH_MCP_TOKEN`` (the desktop client's config passes it);
over HTTP it is the ``Authorization: Bearer`` header. Either way it is looked up on every
call, so revoking it takes effect at once.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant.integrations.mcp_server import Identify, refuse
from tools.access import Viewer
from tools.store.accounts import ApiToken, find_api_token, token_scopes, touch_api_token
from tools.store.models import Person

SCOPE = "mcp"
REFUSED = ("The token is unknown, revoked or expired, or lacks the mcp scope: make one with "
           "'coach user token --email YOU --scope mcp --name \"my AI client\"'.")


def allows_mcp(row: ApiToken) -> bool:
    """Whether the token may be used over MCP: only tokens made with the ``mcp`` scope."""
    return SCOPE in token_scopes(row)


def viewer_for_token(session: Session, secret: str) -> Viewer | None:
    """The person a live token with the ``mcp`` scope acts as, or ``None``; records its use."""
    row = find_api_token(session, secret or "")
    if row is None or not allows_mcp(row):
        return None
    person = session.get(Person, row.person_id)
    if person is None or not person.active:  # deactivated in the directory: no sign-in of any kind
        return None
    touch_api_token(session, row)
    return Viewer(person.id, person.role, person.name)


def token_identity(runtime: Any, secret: str) -> Identify:
    """Identify every request as the holder of ``secret`` (stdio: one client, one token)."""

    def identify(_ctx: Any) -> Viewer:
        with runtime.sessions() as session:
            viewer = viewer_for_token(session, secret)
            session.commit()
        if viewer is None:
            raise refuse(REFUSED)
        return viewer

    return identify

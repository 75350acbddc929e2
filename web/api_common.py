"""Helpers shared by the JSON API routes: path ids, new ids, 422s on body fields, references in reach."""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Path
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from tools.context import ToolContext
from tools.store.models import Goal, Person
from web.deps import Auth, tool_context

PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00]+$")]
RESPONSES = {401: {"description": "Not signed in, or the API token is unknown"},
             404: {"description": "Unknown, or outside your reach"}}


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 naming the body field at fault."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def person_ref(ctx: ToolContext, person_id: str | None, field: str) -> str | None:
    """A person id given in a body, checked to be in reach (else a 422 on ``field``)."""
    if person_id is None:
        return None
    if ctx.session.get(Person, person_id) is None or not ctx.can_see(person_id):
        raise invalid(field, f"no person {person_id!r} in your reach")
    return person_id


def goal_ref(ctx: ToolContext, goal_id: str, field: str) -> Goal:
    goal = ctx.session.get(Goal, goal_id)
    if goal is None or not ctx.can_see(goal.owner_id):
        raise invalid(field, f"no goal {goal_id!r} in your reach")
    return goal


def api_context(db: Session, auth: Auth) -> ToolContext:
    return tool_context(db, auth.viewer)

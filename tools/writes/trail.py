"""What every write does besides the change itself: a snapshot of the record before and after,
one audit event, and the new ids."""
from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import inspect as sa_inspect

from tools.context import ToolContext
from tools.store import audit


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def columns(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The record's column values (JSON-ready), without ``skip``."""
    return {c.key: audit.jsonable(getattr(obj, c.key)) for c in sa_inspect(obj).mapper.column_attrs if c.key not in skip}


def log(ctx: ToolContext, action: str, kind: str, record_id: Any, subject_id: str | None,
        before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """One audit event for this write, by the context's viewer, in the write's transaction."""
    audit.record(ctx.session, actor_id=ctx.viewer.person_id, action=action, kind=kind, record_id=str(record_id),
                 subject_id=subject_id, before=before, after=after, channel=ctx.channel)

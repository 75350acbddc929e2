"""The audit trail: one append-only row per write (who, what, when, before and after).

Every write of :mod:`tools.writes` calls :func:`record`; an import records one event for the
whole import (its counts), and sign-in changes (tokens) record theirs.

Append-only is enforced three ways:
- this module offers no update or delete;
- the ORM refuses to flush a change to, or the deletion of, a loaded :class:`AuditEvent`;
- the database refuses ``UPDATE`` and ``DELETE`` on ``audit_events`` with a trigger
  (migration 0004, SQLite and PostgreSQL). Only someone who drops the trigger can edit it.

No foreign keys: an event outlives the person and the record it names.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools.errors import ToolError
from tools.store.models import Base, utcnow

ACTIONS = ("create", "update", "delete", "import", "unmark", "mark", "token", "call")  # call: MCP and Slack
MAX_LISTED = 1000


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_kind_record", "kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="tool")
    action: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str | None] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AppendOnly(ToolError):
    """Something tried to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnly("Audit events are append-only: they cannot be changed or deleted.")


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO text and tuples as lists, so it fits a JSON column."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def record(session: Session, *, actor_id: str | None, action: str, kind: str, record_id: str,
           subject_id: str | None = None, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, channel: str = "tool") -> AuditEvent:
    """Append one event (flushed with the write it describes, in the same transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = AuditEvent(actor_id=actor_id, channel=channel[:16], action=action, kind=kind, record_id=str(record_id)[:64],
                     subject_id=subject_id, before=jsonable(before), after=jsonable(after), at=utcnow())
    session.add(row)
    return row


@dataclass(frozen=True)
class Filters:
    actor_id: str | None = None
    kind: str | None = None
    record_id: str | None = None
    subject_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def list_events(session: Session, filters: Filters = Filters(), *, limit: int = 100, before_id: int | None = None
                ) -> list[AuditEvent]:
    """Events matching ``filters``, newest first (``before_id`` pages back)."""
    query = select(AuditEvent)
    for column, value in (("actor_id", filters.actor_id), ("kind", filters.kind), ("record_id", filters.record_id),
                          ("subject_id", filters.subject_id), ("action", filters.action)):
        if value:
            query = query.where(getattr(AuditEvent, column) == value)
    if filters.since:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.at <= filters.until)
    if before_id:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(max(1, min(limit, MAX_LISTED)))))


def changed_fields(event_row: AuditEvent) -> list[str]:
    """The fields whose value differs between before and after (every field for a create or delete)."""
    before, after = event_row.before or {}, event_row.after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def as_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""

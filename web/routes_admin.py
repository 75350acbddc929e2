"""The hr_admin's pages: the audit trail (every write: who, what, when, before and after)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tools.store.audit import ACTIONS, Filters, as_text, changed_fields, list_events
from web.deps import Db, PageAuth, State
from web.errors import PageDenied
from web.routes_pages import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100
Filter = Annotated[str, Query(max_length=64)]


def _day(value: str, end: bool = False) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return None if day is None else dt.datetime.combine(day, dt.time.max if end else dt.time.min)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, state: State, auth: PageAuth, db: Db, actor: Filter = "", subject: Filter = "",
               kind: Filter = "", record: Filter = "", action: Filter = "", since: Filter = "", until: Filter = "",
               before: Annotated[int, Query(ge=0, le=2**62)] = 0) -> HTMLResponse:
    """Audit events, newest first, filtered; for an hr_admin only (everyone else gets a 403)."""
    if not auth.viewer.is_admin:
        raise PageDenied("The audit trail is for HR admins.")
    filters = Filters(actor_id=actor or None, subject_id=subject or None, kind=kind or None, record_id=record or None,
                      action=action if action in ACTIONS else None, since=_day(since), until=_day(until, end=True))
    events = list_events(db, filters, limit=PAGE_SIZE, before_id=before or None)
    rows = [{"e": e, "changed": changed_fields(e), "before": as_text(e.before), "after": as_text(e.after)} for e in events]
    query = {"actor": actor, "subject": subject, "kind": kind, "record": record, "action": action, "since": since,
             "until": until}
    return render(request, state, auth, "audit.html", {
        "title": "Audit trail", "rows": rows, "query": query, "actions": ACTIONS,
        "older": events[-1].id if len(events) == PAGE_SIZE else None})

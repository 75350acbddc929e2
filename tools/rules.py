"""Record rules, written once: the JSON API, the web forms, the write layer and the import
all check records against these.

- the allowed values of every enum (from :mod:`tools.store.models`);
- text lengths (the database columns, and limits on free text);
- numbers: finite, within +-1e15; a confidence within 0 to 1;
- dates: between 1900 and 2200, and a goal's due date not before its start date.

Each rule is a plain function or constant; :mod:`tools.writes.inputs` turns them into the
pydantic fields the API and forms validate with, and :mod:`tools.bundle` applies them to rows.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from tools.store.models import CHECKIN_STATUSES, DIRECTIONS, FEEDBACK_KINDS, GOAL_KINDS, GOAL_STATUSES, KPI_SCOPES, ROLES

__all__ = [
    "CHECKIN_STATUSES", "DIRECTIONS", "FEEDBACK_KINDS", "GOAL_KINDS", "GOAL_STATUSES", "KPI_SCOPES", "ROLES",
    "ID_MAX", "TITLE_MAX", "SHORT_MAX", "UNIT_MAX", "NOTE_MAX", "FEEDBACK_MAX", "ACTION_MAX", "BLOCKER_MAX",
    "LIST_MAX", "NUMBER_LIMIT", "FIRST_DAY", "LAST_DAY", "date_order_problem", "check_date_order",
]

ID_MAX = 64
TITLE_MAX = 300      # goal titles (column length)
SHORT_MAX = 200      # metric, KPI and person names (column length)
UNIT_MAX = 32        # units (column length)
NOTE_MAX = 50_000    # 1:1 notes, private notes, descriptions, progress notes
FEEDBACK_MAX = 10_000
ACTION_MAX = 2_000   # one action item
BLOCKER_MAX = 500    # one blocker
LIST_MAX = 50        # blockers, goal links and action items of one 1:1
NUMBER_LIMIT = 1e15
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def date_order_problem(start: dt.date | None, due: dt.date | None, *, at_due: bool = False) -> str | None:
    """Why ``start``..``due`` is not a valid span (the due date comes first), or ``None``.
    ``at_due``: worded for a message already placed at the due date ("is ..., before ...")."""
    if start is not None and due is not None and due < start:
        if at_due:
            return f"is {due.isoformat()}, before start_date {start.isoformat()}"
        return f"due_date {due.isoformat()} is before start_date {start.isoformat()}"
    return None


def check_date_order(start: dt.date | None, due: dt.date | None) -> None:
    """:func:`date_order_problem` as a ``ValueError`` (what pydantic validators raise)."""
    problem = date_order_problem(start, due)
    if problem:
        raise ValueError(problem)


def merged(record: Any, changes: dict[str, Any], name: str) -> Any:
    """The value field ``name`` will have once ``changes`` are applied to ``record``."""
    return changes[name] if name in changes else getattr(record, name)

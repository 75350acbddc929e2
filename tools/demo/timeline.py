"""The demo org's calendar: a pinned 'today' and the six months of history before it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

TODAY = dt.date(2026, 11, 16)  # a Monday
PERIOD_START = TODAY - dt.timedelta(weeks=26)  # 2026-05-18
HALF_START = dt.date(2026, 6, 1)  # the H2 goal cycle
HALF_END = dt.date(2026, 12, 31)
Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def weekly(start: dt.date, end: dt.date, *, step_days: int = 7) -> Iterator[dt.date]:
    """Dates from ``start`` every ``step_days`` while before ``end``."""
    day = start
    while day < end:
        yield day
        day += dt.timedelta(days=step_days)


def week_mondays(start: dt.date = PERIOD_START, end: dt.date = TODAY) -> list[dt.date]:
    """The Mondays on or after ``start`` and before ``end`` (the KPI reporting weeks)."""
    first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    return list(weekly(first, end))


def fraction(start: dt.date, end: dt.date, day: dt.date) -> float:
    """How far ``day`` lies between ``start`` and ``end`` (clamped to 0..1)."""
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - start).days / span))


def iso(day: dt.date) -> str:
    return day.isoformat()


def pretty(day: dt.date) -> str:
    """'3 Nov' - how a manager writes a date in a note."""
    return f"{day.day} {day.strftime('%b')}"

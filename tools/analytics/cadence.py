"""1:1 cadence from dated check-ins with a status (held / missed / cancelled).

* Typical interval: the median number of days between consecutive held 1:1s.
* A gap: two consecutive held 1:1s more than ``GAP_DAYS`` (28) days apart, or more than
  ``GAP_FACTOR`` (2) x the typical interval apart.
* Lapsed: no held 1:1 in the last ``LAPSED_DAYS`` (28) days (or none at all).
* Missed recently: missed or cancelled 1:1s dated in the last ``RECENT_DAYS`` (56) days.
Check-ins dated after ``today`` are ignored (they have not happened yet).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from tools.analytics.numbers import fmt, median

LAPSED_DAYS = 28
GAP_DAYS = 28
GAP_FACTOR = 2.0
RECENT_DAYS = 56


@dataclass(frozen=True)
class Gap:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass
class Cadence:
    held: int
    missed: int
    cancelled: int
    missed_recent: int
    typical_days: float | None
    last_held: dt.date | None
    days_since: int | None
    gaps: tuple[Gap, ...]
    lapsed: bool
    who: str = ""

    @cached_property
    def text(self) -> str:
        """The cadence in one sentence (built on first use)."""
        return describe(self)


def cadence(checkins: Iterable[tuple[dt.date, str]], today: dt.date, *, who: str = "") -> Cadence:
    """Summarise (date, status) pairs; ``who`` names the report in the sentence."""
    recent_from = today - dt.timedelta(days=RECENT_DAYS)
    held: list[dt.date] = []
    missed = cancelled = missed_recent = 0
    for d, s in sorted([(d, s) for d, s in checkins if d <= today]):
        if s == "held":
            held.append(d)
            continue
        missed += s == "missed"
        cancelled += s == "cancelled"
        missed_recent += s in ("missed", "cancelled") and d > recent_from
    intervals = [(b - a).days for a, b in zip(held, held[1:])]
    typical = float(median(intervals)) if intervals else None
    limit = min(GAP_DAYS, GAP_FACTOR * typical) if typical else GAP_DAYS
    gaps = tuple(Gap(held[i], held[i + 1]) for i, days in enumerate(intervals) if days > limit)
    last = held[-1] if held else None
    since = (today - last).days if last else None
    lapsed = since is None or since > LAPSED_DAYS
    return Cadence(len(held), missed, cancelled, missed_recent, typical, last, since, gaps, lapsed, who)


def describe(c: Cadence) -> str:
    head = f"1:1s with {c.who}" if c.who else "1:1s"
    if c.last_held is None:
        text = f"{head}: none held"
    elif c.lapsed:
        text = f"{head} have lapsed: last held {c.last_held.isoformat()}, {c.days_since} days ago"
    else:
        text = f"{head}: last held {c.last_held.isoformat()} ({c.days_since} days ago)"
    if c.typical_days is not None:
        text += f"; typically every {fmt(c.typical_days)} days"
    text += f"; {c.missed_recent} missed or cancelled in the last {RECENT_DAYS} days"
    if c.gaps:
        longest = max(c.gaps, key=lambda g: g.days)
        text += (f"; {len(c.gaps)} gap{'s' if len(c.gaps) > 1 else ''} longer than usual, the longest "
                 f"{longest.days} days ({longest.start.isoformat()} to {longest.end.isoformat()})")
    return text + "."

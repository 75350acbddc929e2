"""Review evidence over a period: how it is spread, and a pick that covers the whole period.

The period ``start..end`` (both included, ``span`` days) is cut into four quarters by day
offset: an item ``offset`` days after ``start`` is in quarter ``offset * 4 // span`` (0-3).
Items outside the period are ignored. *Recency bias* is flagged when, among all items or
among the feedback items alone (kind ``"feedback"``), there are at least ``RECENCY_MIN_ITEMS``
(3) and strictly more than half of them are in the last quarter. Feedback counts on its own
because 1:1 notes arrive on a fixed cadence: evenly spread notes must not hide praise and
criticism that all came in the last weeks.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Sequence

from tools.analytics.numbers import pct

RECENCY_MIN_ITEMS = 3


@dataclass(frozen=True)
class Evidence:
    date: dt.date
    ref: str
    text: str
    kind: str = ""


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    counts: tuple[int, int, int, int]
    last_quarter_share: float | None
    recency_bias: bool
    outside: int
    text: str

    @property
    def total(self) -> int:
        return sum(self.counts)


def _check_period(start: dt.date, end: dt.date) -> int:
    if end < start:
        raise ValueError(f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
    return (end - start).days + 1


def quarter_of(day: dt.date, start: dt.date, end: dt.date) -> int | None:
    """Quarter 0-3 of the period holding ``day``, or ``None`` outside it."""
    span = _check_period(start, end)
    offset = (day - start).days
    return offset * 4 // span if 0 <= offset < span else None


def quarter_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """First day of each quarter of the period."""
    span = _check_period(start, end)
    return [start + dt.timedelta(days=math.ceil(i * span / 4)) for i in range(4)]


def _mostly_late(counts: Sequence[int]) -> bool:
    return sum(counts) >= RECENCY_MIN_ITEMS and counts[3] * 2 > sum(counts)


def timeline(items: Sequence[Evidence], start: dt.date, end: dt.date) -> Timeline:
    counts, feedback = [0, 0, 0, 0], [0, 0, 0, 0]
    outside = 0
    for item in items:
        q = quarter_of(item.date, start, end)
        if q is None:
            outside += 1
        else:
            counts[q] += 1
            feedback[q] += item.kind == "feedback"
    total = sum(counts)
    share = counts[3] / total if total else None
    text = (f"{total} evidence items from {start.isoformat()} to {end.isoformat()}; by quarter "
            f"{'/'.join(map(str, counts))}")
    if total:
        text += f"; {pct(share)} in the last quarter"
    late_overall = _mostly_late(counts)
    biased = late_overall or _mostly_late(feedback)
    if late_overall:
        text += ": most evidence is recent, so earlier work risks being overlooked (recency bias)"
    elif biased:
        text += (f"; but {feedback[3]} of {sum(feedback)} feedback items are from the last quarter, so earlier "
                 "work risks being overlooked (recency bias)")
    elif total == 0:
        text += ": no evidence recorded in this period"
    return Timeline(start, end, tuple(counts), share, biased, outside, text + ".")


def spread(items: Sequence[Evidence], start: dt.date, end: dt.date, k: int) -> list[Evidence]:
    """Pick up to ``k`` items covering the whole period, returned in date order.

    Slots go round-robin to the quarters that still have items (first, second, third,
    last, first, ...); a quarter given ``m`` slots for its ``n`` items (in date order)
    takes the evenly spaced items ``floor((j + 0.5) * n / m)`` for ``j < m``.
    """
    buckets: list[list[Evidence]] = [[], [], [], []]
    for item in sorted(items, key=lambda e: (e.date, e.ref)):
        q = quarter_of(item.date, start, end)
        if q is not None:
            buckets[q].append(item)
    slots = [0, 0, 0, 0]
    remaining = min(k, sum(map(len, buckets)))
    while remaining:
        for q in range(4):
            if remaining and slots[q] < len(buckets[q]):
                slots[q] += 1
                remaining -= 1
    chosen = [b[int((j + 0.5) * len(b) / m)] for b, m in zip(buckets, slots) for j in range(m)]
    return sorted(chosen, key=lambda e: (e.date, e.ref))

"""Goal pace: where a goal should be by a date (a straight line from its baseline on
the start date to its target on the due date) against where it is.

Fractions are of the distance from baseline to target: 0 at the baseline, 1 at the
target, below 0 when the value moved the wrong way, above 1 past the target.
``gap_points`` is (expected - actual) x 100, so positive means behind pace.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from tools.analytics.numbers import fmt, pct, with_unit

ON_PACE_POINTS = 0.5  # a gap smaller than this (in points) reads as "on pace"


@dataclass
class Pace:
    as_of: dt.date
    start: dt.date | None
    due: dt.date | None
    baseline: float | None
    target: float | None
    current: float | None
    unit: str | None
    direction: str | None  # 'up' / 'down', from the goal or from target vs baseline
    fraction: float | None  # actual share of the way from baseline to target
    expected_fraction: float | None  # 0..1, from the dates
    expected_value: float | None
    gap_points: float | None  # expected - actual, in percentage points; > 0 behind
    gap_value: float | None  # in the goal's unit; > 0 behind
    reached: bool | None  # current at or past the target in the goal's direction
    overdue: bool  # past the due date and the target not reached
    days_left: int | None
    missing: tuple[str, ...]  # what was needed and absent, e.g. ('baseline',)
    notes: tuple[str, ...]

    @cached_property
    def text(self) -> str:
        """One or two sentences with the numbers (built on first use)."""
        return describe(self)

    @property
    def known(self) -> bool:
        """Whether the pace gap could be computed."""
        return self.gap_points is not None


def _direction(direction: str | None, baseline: float | None, target: float | None, notes: list[str]) -> str | None:
    implied = None
    if baseline is not None and target is not None and target != baseline:
        implied = "up" if target > baseline else "down"
    if direction in ("up", "down"):
        if implied and implied != direction:
            notes.append(
                f"The goal says direction '{direction}' but its target {fmt(target)} is "
                f"{'above' if implied == 'up' else 'below'} its baseline {fmt(baseline)}; the numbers were used."
            )
            return implied
        return direction
    return implied


def expected_fraction(start: dt.date, due: dt.date, as_of: dt.date) -> float:
    """Share of the goal's time elapsed at ``as_of``, clamped to 0..1."""
    total = (due - start).days
    if total <= 0:
        return 1.0 if as_of >= due else 0.0
    return min(max((as_of - start).days / total, 0.0), 1.0)


def pace(
    *,
    baseline: float | None,
    target: float | None,
    current: float | None,
    start: dt.date | None,
    due: dt.date | None,
    as_of: dt.date,
    direction: str | None = None,
    unit: str | None = None,
) -> Pace:
    """Compare actual progress with the straight-line plan at ``as_of``; never raises on gaps in data."""
    notes: list[str] = []
    missing = tuple(
        name
        for name, value in (("target", target), ("baseline", baseline), ("current value", current),
                            ("start date", start), ("due date", due))
        if value is None
    )
    way = _direction(direction, baseline, target, notes)
    reached = None
    if target is not None and current is not None and way:
        reached = current >= target if way == "up" else current <= target
    days_left = (due - as_of).days if due else None
    overdue = bool(due and as_of > due and reached is False)

    fraction = exp = exp_value = gap_points = gap_value = None
    if None not in (baseline, target, current) and target != baseline:
        fraction = (current - baseline) / (target - baseline)
    if start and due:
        exp = expected_fraction(start, due, as_of)
        if baseline is not None and target is not None:
            exp_value = baseline + exp * (target - baseline)
    if fraction is not None and exp is not None:
        gap_points = (exp - fraction) * 100
        gap_value = abs(target - baseline) * (exp - fraction)
    elif baseline is not None and target is not None and target == baseline:
        notes.append("The target equals the baseline, so there is no distance to measure progress along.")

    return Pace(as_of, start, due, baseline, target, current, unit, way, fraction, exp, exp_value, gap_points,
                gap_value, reached, overdue, days_left, missing, tuple(notes))


def describe(p: Pace) -> str:
    """One or two sentences with the numbers, e.g. for the model to quote."""
    u = p.unit
    if p.target is None:
        return "No target is recorded, so progress cannot be measured."
    if p.current is None:
        return f"No current value is recorded against the target of {with_unit(p.target, u)}."
    if p.fraction is None:
        head = (f"Now {with_unit(p.current, u)} against a target of {with_unit(p.target, u)}; "
                f"no {'baseline' if p.baseline is None else 'distinct baseline'}, so the share done is unknown.")
    else:
        head = (f"{pct(p.fraction)} of the way from {fmt(p.baseline)} to {with_unit(p.target, u)} "
                f"(now {with_unit(p.current, u)})")
        if p.gap_points is None:
            head += "; no start or due date, so no expected pace."
        else:
            head += f", against {pct(p.expected_fraction)} expected by {p.as_of.isoformat()}"
            if abs(p.gap_points) < ON_PACE_POINTS:
                head += ": on pace."
            else:
                side = "behind" if p.gap_points > 0 else "ahead of"
                points = f"{abs(p.gap_points):.0f}"
                head += (f": {points} point{'s' * (points != '1')} ({with_unit(abs(p.gap_value), u)}) {side} pace.")
    if p.reached:
        return head + " The target is reached."
    if p.overdue:
        return head + f" It was due {p.due.isoformat()}, {-p.days_left} days ago."
    if p.due is not None and p.days_left >= 0:
        return head + f" Due {p.due.isoformat()} ({p.days_left} days left)."
    return head

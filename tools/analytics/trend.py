"""KPI trends in words and numbers.

* Direction: from the first to the last value. The change is *flat* when
  ``|last - first| <= FLAT_SHARE x max(|first|, |last|)`` (3%); otherwise rising or falling.
  Rising is *improving* for a KPI whose good direction is 'up' and *worsening* for 'down'.
* Slope: the least-squares line through (days since the first value / 7, value), per week.
* Outlier: a one-off value far outside the range of the up to ``OUTLIER_WINDOW`` (8) values
  before it. With m and MAD the median and median absolute deviation of those values: the
  value is more than ``OUTLIER_MADS`` (3) MADs from m, more than one MAD below their minimum
  or above their maximum, and neither the value just before nor the one just after it is
  also more than 3 MADs from m on the same side (two in a row are a shift or a ramp, which
  the trend itself reports). The MAD is floored at 1% of |m| so a perfectly flat history
  does not flag rounding noise; a value needs ``OUTLIER_MIN_HISTORY`` (4) earlier values.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from tools.analytics.numbers import fmt, least_squares_slope, mad, signed, with_unit

FLAT_SHARE = 0.03
OUTLIER_WINDOW = 8
OUTLIER_MADS = 3.0
OUTLIER_MIN_HISTORY = 4
MAD_FLOOR_SHARE = 0.01
EPSILON = 1e-9  # float noise allowance in the comparisons


@dataclass(frozen=True)
class Outlier:
    date: dt.date
    value: float
    trailing_median: float
    trailing_mad: float


@dataclass
class Trend:
    name: str
    unit: str | None
    good_direction: str
    count: int
    first_date: dt.date | None = None
    first_value: float | None = None
    last_date: dt.date | None = None
    last_value: float | None = None
    change: float | None = None
    pct_change: float | None = None  # percent, None when the first value is 0
    direction: str = "unknown"  # rising / falling / flat / unknown
    verdict: str = "unknown"  # improving / worsening / flat / unknown
    points: tuple[tuple[dt.date, float], ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def slope_per_week(self) -> float | None:
        """Least-squares slope per week (computed on first use)."""
        if self.count < 2:
            return None
        d0 = self.points[0][0]
        return least_squares_slope([(d - d0).days / 7 for d, _ in self.points], [v for _, v in self.points])

    @cached_property
    def outliers(self) -> tuple[Outlier, ...]:
        """The series' outliers, oldest first (found on first use)."""
        return tuple(find_outliers(list(self.points)))

    @cached_property
    def text(self) -> str:
        """The trend in one sentence (built on first use)."""
        return describe(self)


def find_outliers(points: list[tuple[dt.date, float]]) -> list[Outlier]:
    """Values far outside the range of the values just before them (see module doc)."""
    found = []
    for i in range(OUTLIER_MIN_HISTORY, len(points)):
        history = [v for _, v in points[max(0, i - OUTLIER_WINDOW):i]]
        if min(history) <= points[i][1] <= max(history):
            continue  # inside the range itself: not an outlier, whatever the MAD
        m, d = mad(history)
        scale = max(d, MAD_FLOOR_SHARE * abs(m))
        day, value = points[i]
        if min(history) - scale - EPSILON <= value <= max(history) + scale + EPSILON:
            continue
        side = 1 if value > m else -1
        limit = OUTLIER_MADS * scale + EPSILON
        neighbours = [points[j][1] for j in (i - 1, i + 1) if j < len(points)]
        if (value - m) * side > limit and not any((v - m) * side > limit for v in neighbours):
            found.append(Outlier(day, value, m, d))
    return found


def kpi_trend(
    name: str, points: Iterable[tuple[dt.date, float]], *, good_direction: str = "up", unit: str | None = None
) -> Trend:
    """Summarise a series of dated values (any order; one value per date)."""
    pts = sorted(points)
    base = dict(name=name, unit=unit, good_direction=good_direction, count=len(pts), points=tuple(pts))
    if not pts:
        return Trend(**base)
    (d0, v0), (d1, v1) = pts[0], pts[-1]
    if len(pts) == 1:
        return Trend(**base, first_date=d0, first_value=v0, last_date=d1, last_value=v1)
    change = v1 - v0
    pct = change / abs(v0) * 100 if v0 else None
    if abs(change) <= FLAT_SHARE * max(abs(v0), abs(v1)):
        direction = verdict = "flat"
    else:
        direction = "rising" if change > 0 else "falling"
        verdict = "improving" if (change > 0) == (good_direction == "up") else "worsening"
    return Trend(**base, first_date=d0, first_value=v0, last_date=d1, last_value=v1, change=change,
                 pct_change=pct, direction=direction, verdict=verdict)


def describe(t: Trend) -> str:
    if t.count == 0:
        return f"{t.name}: no values in this period."
    if t.count == 1:
        return f"{t.name}: only one value, {with_unit(t.first_value, t.unit)} on {t.first_date.isoformat()}."
    verb = {"improving": "improved", "worsening": "worsened", "flat": "held flat"}[t.verdict]
    change = signed(t.change) + (" points" if t.unit == "%" else "")  # a change in a percentage is in points
    numbers = change + (f", {signed(round(t.pct_change))}%" if t.pct_change is not None else "")
    text = (f"{t.name} {verb}: {fmt(t.first_value)} -> {with_unit(t.last_value, t.unit)} ({numbers}) "
            f"from {t.first_date.isoformat()} to {t.last_date.isoformat()}")
    if t.slope_per_week is not None:
        text += f"; slope {signed(t.slope_per_week)}/week"
    text += "."
    if t.outliers:
        o = t.outliers[-1]
        text += (f" Outlier: {with_unit(o.value, t.unit)} on {o.date.isoformat()}, far outside the "
                 f"recent range (median {fmt(o.trailing_median)} of the values before it).")
    return text

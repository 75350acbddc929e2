"""Geometry for inline SVG charts: sparklines, KPI line charts and progress bars.

Only numbers are computed here; the templates draw them, so no text reaches SVG unescaped.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tools.analytics.numbers import with_unit


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # "2026-08-03: 5.5 hours"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # "x,y x,y ..." for <polyline>
    dots: tuple[Dot, ...]
    low: str
    high: str
    first_date: str
    last_date: str
    summary: str  # for aria-label


def _scale(values: Sequence[float], top: float, bottom: float) -> list[float]:
    lo, hi = min(values), max(values)
    span = hi - lo
    if span == 0:
        return [(top + bottom) / 2] * len(values)
    return [bottom - (v - lo) / span * (bottom - top) for v in values]


def chart(series: Sequence[tuple[dt.date, float]], *, name: str, unit: str | None = None, width: int = 560,
          height: int = 160, pad: int = 8, labels: bool = True) -> Chart | None:
    """A line chart of ``series`` (oldest first) in a ``width`` x ``height`` box; ``None`` when empty.

    ``labels=False`` keeps only the last point as a dot (sparklines need no per-point tooltips).
    """
    if not series:
        return None
    days = [(d - series[0][0]).days for d, _ in series]
    span = days[-1] or 1
    xs = [pad + (day / span) * (width - 2 * pad) if len(series) > 1 else width / 2 for day in days]
    ys = _scale([v for _, v in series], pad, height - pad)
    coords = [(round(x, 1), round(y, 1)) for x, y in zip(xs, ys)]
    # Only the last point of a sparkline is drawn as a dot: a dashboard holds a hundred of them.
    shown = range(len(series)) if labels else [len(series) - 1]
    dots = tuple(Dot(*coords[i], f"{series[i][0].isoformat()}: {with_unit(series[i][1], unit)}") for i in shown)
    values = [v for _, v in series]
    low, high = with_unit(min(values), unit), with_unit(max(values), unit)
    first, final = series[0], series[-1]
    summary = (f"{name}: {len(series)} values from {first[0].isoformat()} ({with_unit(first[1], unit)}) "
               f"to {final[0].isoformat()} ({with_unit(final[1], unit)}), low {low}, high {high}.")
    return Chart(width, height, " ".join(f"{x},{y}" for x, y in coords), dots, low, high,
                 first[0].isoformat(), final[0].isoformat(), summary)


def sparkline(series: Sequence[tuple[dt.date, float]], *, name: str, unit: str | None = None) -> Chart | None:
    return chart(series, name=name, unit=unit, width=120, height=28, pad=3, labels=False)


@dataclass(frozen=True)
class Bar:
    actual: float  # 0..100, clipped, for the bar's width
    expected: float | None  # 0..100 marker where the goal should be by now
    label: str


def progress_bar(fraction: float | None, expected: float | None) -> Bar | None:
    """The share of the way from baseline to target, with where the plan says it should be."""
    if fraction is None:
        return None
    clip = lambda f: round(max(0.0, min(1.0, f)) * 100, 1)  # noqa: E731
    label = f"{round(fraction * 100)}% of the way to target"
    if expected is not None:
        label += f"; {round(expected * 100)}% expected by now"
    return Bar(clip(fraction), clip(expected) if expected is not None else None, label)

"""Number and date wording shared by the analytics sentences."""
from __future__ import annotations

import datetime as dt
import math


def fmt(x: float) -> str:
    """A short human number: 1234 -> '1234', 54.37 -> '54.4', 4.1 -> '4.1', 0.0912 -> '0.09'."""
    if x is None or math.isnan(x):
        return "n/a"
    a = abs(x)
    if a >= 100:
        text = f"{x:.0f}"
    elif a >= 10:
        text = f"{x:.1f}"
    else:
        text = f"{x:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(fraction: float) -> str:
    """A share as a whole percentage: 0.3125 -> '31%'."""
    return f"{fraction * 100:.0f}%"


def signed(x: float) -> str:
    """Like :func:`fmt` with an explicit sign: '+2.2', '-27', '0'."""
    text = fmt(x)
    return text if text.startswith("-") or text == "0" else "+" + text


def with_unit(x: float, unit: str | None) -> str:
    if not unit:
        return fmt(x)
    if unit == "%":
        return f"{fmt(x)}%"
    return f"{fmt(x)} {unit}"


def days_between(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def median(values) -> float:
    """Median of a non-empty sequence of numbers (plain floats; faster than ``statistics``)."""
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def mad(values: list[float]) -> tuple[float, float]:
    """Median and median absolute deviation of ``values`` (non-empty)."""
    m = median(values)
    return m, median([abs(v - m) for v in values])


def least_squares_slope(xs: list[float], ys: list[float]) -> float | None:
    """Slope of the least-squares line through the points, or ``None`` if xs do not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum([(x - mx) ** 2 for x in xs])
    if sxx == 0:
        return None
    return sum([(x - mx) * (y - my) for x, y in zip(xs, ys)]) / sxx

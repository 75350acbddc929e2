"""A goal's risk status (on_track / at_risk / off_track / unknown) with its reasons.

Each signal below gives a reason: a short sentence with its numbers. Severity 'off'
makes the goal off track on its own; severity 'risk' makes it at risk, and three or more
*different kinds* of 'risk' reasons together make it off track.

* pace (see :mod:`tools.analytics.pace`): behind by more than ``PACE_OFF_TRACK`` (25)
  points is 'off'; behind by more than ``PACE_AT_RISK`` (10) points is 'risk'.
* overdue: past the due date without reaching the target: 'off'.
* kpi: a linked KPI whose trend over the goal's period is *worsening* (see
  :mod:`tools.analytics.trend`): 'risk'.
* stale: no progress update for more than ``STALE_DAYS`` (30) days, counted from the
  last update or, if none, from the start date: 'risk'.
* blocker: each blocker still open, i.e. listed at the owner's latest held 1:1 about the
  goal if that 1:1 was within ``BLOCKER_DAYS`` (28) days: 'risk'.
* cadence (see :mod:`tools.analytics.cadence`): 1:1s lapsed, or at least
  ``MISSED_AT_RISK`` (2) missed or cancelled in the recent window: 'risk'.
* key_result (objectives): each off-track key result is 'off', each at-risk one 'risk'.

A goal marked done, or whose target is reached, is on track with no reasons. With no
reasons the goal is on track when its pace or its key results could be judged, otherwise
unknown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

from tools.analytics.cadence import RECENT_DAYS, Cadence
from tools.analytics.numbers import pct, with_unit
from tools.analytics.pace import Pace
from tools.analytics.trend import Trend

PACE_AT_RISK = 10.0
PACE_OFF_TRACK = 25.0
STALE_DAYS = 30
BLOCKER_DAYS = 28
MISSED_AT_RISK = 2
DISTINCT_RISKS_OFF_TRACK = 3
STATUSES = ("on_track", "at_risk", "off_track", "unknown")
LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "unknown": "Unknown"}


@dataclass(frozen=True)
class Blocker:
    date: dt.date
    ref: str
    text: str


@dataclass
class Reason:
    code: str  # pace, overdue, kpi, stale, blocker, cadence, key_result
    severity: str  # 'off' or 'risk'
    text: str
    ref: str | None = None  # the record the reason rests on, when it is not the goal itself


@dataclass
class Risk:
    status: str
    reasons: tuple[Reason, ...]
    note: str = ""  # a closing remark: done, target reached, the pace gap, or what is missing

    @cached_property
    def text(self) -> str:
        """The status, its reasons and note in a few sentences (built on first use)."""
        if self.status == "unknown":
            return f"Unknown: {self.note}"
        return (LABELS[self.status] + "." + "".join(" " + r.text for r in self.reasons)
                + (f" {self.note}" if self.note else ""))


def open_blockers(
    checkins: Iterable[tuple[dt.date, str, str, Sequence[str]]], today: dt.date, *, days: int = BLOCKER_DAYS
) -> list[Blocker]:
    """Blockers listed at the latest held check-in dated within ``days`` before ``today``.

    ``checkins`` are (date, ref, status, blockers) about one goal (or one person).
    """
    recent = [c for c in checkins if c[2] == "held" and 0 <= (today - c[0]).days <= days]
    if not recent:
        return []
    day, ref, _, blockers = max(recent, key=lambda c: (c[0], c[1]))
    return [Blocker(day, ref, str(b).strip()) for b in blockers if str(b).strip()]


def _pace_reasons(p: Pace) -> list[Reason]:
    reasons = []
    if p.overdue:
        reasons.append(Reason("overdue", "off", (
            f"Past its due date {p.due.isoformat()} by {-p.days_left} days without reaching the target "
            f"{with_unit(p.target, p.unit)} (now {with_unit(p.current, p.unit)}).")))
    if p.gap_points is not None and p.gap_points > PACE_AT_RISK:
        severity = "off" if p.gap_points > PACE_OFF_TRACK else "risk"
        reasons.append(Reason("pace", severity, (
            f"Behind pace by {p.gap_points:.0f} points: {pct(p.fraction)} done against {pct(p.expected_fraction)} "
            f"expected by {p.as_of.isoformat()} ({with_unit(p.current, p.unit)} now, "
            f"{with_unit(p.expected_value, p.unit)} expected).")))
    return reasons


def _stale(today: dt.date, start: dt.date | None, last_update: dt.date | None) -> list[Reason]:
    if last_update is not None:
        idle = (today - last_update).days
        if idle > STALE_DAYS:
            return [Reason("stale", "risk", f"No progress update for {idle} days (last on {last_update.isoformat()}).")]
    elif start is not None and (today - start).days > STALE_DAYS:
        return [Reason("stale", "risk", (f"No progress update since the goal started on {start.isoformat()} "
                                         f"({(today - start).days} days)."))]
    return []


def _cadence(c: Cadence) -> list[Reason]:
    if c.lapsed:
        when = (f"last held {c.last_held.isoformat()}, {c.days_since} days ago" if c.last_held
                else "none held")
        return [Reason("cadence", "risk", f"1:1s have lapsed: {when}.")]
    if c.missed_recent >= MISSED_AT_RISK:
        return [Reason("cadence", "risk",
                       f"{c.missed_recent} 1:1s missed or cancelled in the last {RECENT_DAYS} days.")]
    return []


def assess(
    *,
    today: dt.date,
    pace: Pace | None = None,
    done: bool = False,
    start: dt.date | None = None,
    last_update: dt.date | None = None,
    kpis: Sequence[tuple[str, Trend]] = (),
    blockers: Sequence[Blocker] = (),
    cadence: Cadence | None = None,
    key_results: Sequence[tuple[str, str, Risk]] = (),
) -> Risk:
    """Combine the signals of one goal; ``kpis`` are (ref, trend), ``key_results`` (ref, title, risk)."""
    if done or (pace is not None and pace.reached):
        return Risk("on_track", (), "Marked done." if done else f"Target {with_unit(pace.target, pace.unit)} reached.")
    reasons: list[Reason] = []
    if pace is not None:
        reasons += _pace_reasons(pace)
    for ref, trend in kpis:
        if trend.verdict == "worsening":
            reasons.append(Reason("kpi", "risk", f"Linked KPI {trend.text}", ref))
    if start is None or start <= today:
        reasons += _stale(today, start, last_update)
    reasons += [Reason("blocker", "risk", f"Open blocker from the 1:1 on {b.date.isoformat()}: \"{b.text}\".", b.ref)
                for b in blockers]
    if cadence is not None:
        reasons += _cadence(cadence)
    for ref, title, kr in key_results:
        if kr.status in ("off_track", "at_risk"):
            first = f" {kr.reasons[0].text}" if kr.reasons else ""
            reasons.append(Reason("key_result", "off" if kr.status == "off_track" else "risk",
                                  f"Key result '{title}' is {LABELS[kr.status].lower()}.{first}", ref))

    risk_kinds = {r.code for r in reasons if r.severity == "risk"}
    if any(r.severity == "off" for r in reasons) or len(risk_kinds) >= DISTINCT_RISKS_OFF_TRACK:
        status = "off_track"
    elif reasons:
        status = "at_risk"
    elif (pace is not None and pace.known) or any(kr.status != "unknown" for _, _, kr in key_results):
        status = "on_track"
    else:
        status = "unknown"
    if status == "unknown":
        missing = ", ".join(pace.missing) if pace is not None and pace.missing else "progress data"
        return Risk(status, (), f"pace cannot be judged (missing {missing}); no other warning signs.")
    note = ""
    if status == "on_track" and pace is not None and pace.known:
        note = f"{abs(pace.gap_points):.0f} points {'behind' if pace.gap_points > 0 else 'ahead of'} pace."
    return Risk(status, tuple(reasons), note)

"""Goals with a trajectory: keyframes give the value on any day; updates sample them."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from tools.demo.catalog import GoalTemplate, number, quantity, snap
from tools.demo.phrases.common import UPDATE_NOTES
from tools.demo.timeline import TODAY, fraction, iso, pretty

# How much of the planned progress each profile makes, as (low, high) multipliers of elapsed time.
PROFILES = {
    "ahead": (1.1, 1.25),
    "on_track": (0.9, 1.05),
    "at_risk": (0.6, 0.75),
    "off_track": (0.15, 0.35),
    "done": (1.5, 1.7),
}
PROFILE_WEIGHTS = (("ahead", 15), ("on_track", 50), ("at_risk", 25), ("off_track", 10))


@dataclass
class GoalPlan:
    """A goal record under construction plus what the notes need to talk about it."""

    record: dict[str, Any]
    short: str
    step: float = 1.0
    keyframes: list[tuple[dt.date, float]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def measurable(self) -> bool:
        return self.record.get("target") is not None

    def value_at(self, day: dt.date) -> float | None:
        """The goal's value on ``day``, interpolated between keyframes (None if not measured)."""
        if not self.keyframes or day < self.keyframes[0][0]:
            return self.record.get("baseline")
        for (d0, v0), (d1, v1) in zip(self.keyframes, self.keyframes[1:]):
            if d0 <= day <= d1:
                return v0 + (v1 - v0) * fraction(d0, d1, day)
        return self.keyframes[-1][1]

    def progress(self, value: float) -> float:
        """Share of the way from baseline to target (1.0 = target reached)."""
        base, target = self.record["baseline"], self.record["target"]
        return 1.0 if target == base else (value - base) / (target - base)

    def expected(self, day: dt.date) -> float:
        start, due = (dt.date.fromisoformat(self.record[k]) for k in ("start_date", "due_date"))
        return fraction(start, due, day)

    def status_at(self, day: dt.date, value: float) -> str:
        return pace_status(self.progress(value), self.expected(day))

    def words(self, day: dt.date, previous_day: dt.date | None = None) -> dict[str, str]:
        """Placeholders for a sentence about this goal as it stood on ``day``."""
        r = self.record
        value = self.value_at(day)
        before = self.value_at(previous_day) if previous_day else r["baseline"]
        unit = r.get("unit")
        return {
            "goal": self.short,
            "metric": r["metric"],
            "value": quantity(snap(value, self.step), unit),
            "previous": quantity(snap(before, self.step), unit),
            "baseline": quantity(r["baseline"], unit),
            "target": quantity(r["target"], unit),
            "due": pretty(dt.date.fromisoformat(r["due_date"])),
            "status": self.status_at(day, value),
        }


def pace_status(progress: float, expected: float) -> str:
    """on_track / at_risk / off_track from progress made versus time elapsed."""
    if progress >= 0.999:
        return "done"
    if expected < 0.12:
        return "on_track"
    ratio = progress / expected
    if ratio >= 0.85:
        return "on_track"
    return "at_risk" if ratio >= 0.55 else "off_track"


def confidence_for(rng: random.Random, status: str) -> float:
    low, high = {"done": (1.0, 1.0), "on_track": (0.7, 0.9), "at_risk": (0.45, 0.6),
                 "off_track": (0.2, 0.35), "not_started": (0.5, 0.6)}[status]
    return round(rng.uniform(low, high), 2)


def measurable_goal(
    rng: random.Random, gid: str, owner_id: str, tpl: GoalTemplate, *,
    kind: str, window: tuple[dt.date, dt.date], parent_id: str | None = None,
) -> GoalPlan:
    """A goal record from a template with numbers drawn from its ranges (no progress yet)."""
    base = snap(rng.uniform(*tpl.baseline), tpl.step)
    target = snap(rng.uniform(*tpl.target), tpl.step)
    due = window[1]
    title = tpl.title.format(b=quantity(base, tpl.unit), t=quantity(target, tpl.unit),
                             tn=number(target), due=pretty(due))
    record = {
        "id": gid, "owner_id": owner_id, "kind": kind, "title": title, "metric": tpl.metric,
        "unit": tpl.unit, "direction": tpl.direction, "baseline": base, "target": target,
        "start_date": iso(window[0]), "due_date": iso(due),
    }
    if parent_id:
        record["parent_id"] = parent_id
    if tpl.why:
        record["description"] = tpl.why
    return GoalPlan(record, tpl.short, tpl.step)


def follow_profile(rng: random.Random, plan: GoalPlan, profile: str) -> None:
    """Keyframes every two weeks that make ``profile``'s share of the planned progress."""
    start, due = (dt.date.fromisoformat(plan.record[k]) for k in ("start_date", "due_date"))
    low, high = PROFILES[profile]
    pace = rng.uniform(low, high)
    base, target = plan.record["baseline"], plan.record["target"]
    plan.keyframes = [(start, base)]
    day = start + dt.timedelta(days=14)
    while day <= min(due, TODAY):
        wobble = rng.uniform(-0.04, 0.04)
        share = min(1.0, max(0.0, pace * fraction(start, due, day) + wobble))
        plan.keyframes.append((day, base + (target - base) * share))
        day += dt.timedelta(days=14)


def record_updates(rng: random.Random, plan: GoalPlan, next_id, author_id: str) -> None:
    """Progress updates every two to four weeks until today; the goal takes the latest one."""
    start, due = (dt.date.fromisoformat(plan.record[k]) for k in ("start_date", "due_date"))
    day = start + dt.timedelta(days=rng.randint(12, 20))
    end = min(due, TODAY - dt.timedelta(days=1))
    while day <= end:
        raw = plan.value_at(day)
        value, status = snap(raw, plan.step), plan.status_at(day, raw)  # a talk half-prepared is on track
        note = rng.choice(UPDATE_NOTES[status]).format(goal=plan.short)
        plan.updates.append({
            "id": next_id(), "goal_id": plan.id, "date": iso(day), "value": value, "status": status,
            "confidence": confidence_for(rng, status), "note": note, "author_id": author_id,
        })
        if status == "done":
            break
        day += dt.timedelta(days=rng.choice((14, 14, 21, 28)))
    settle(rng, plan)


def settle(rng: random.Random, plan: GoalPlan) -> None:
    """Copy the latest update's value, status and confidence onto the goal."""
    r = plan.record
    if plan.updates:
        last = plan.updates[-1]
        r["current"], r["status"], r["confidence"] = last["value"], last["status"], last["confidence"]
    else:
        r["current"], r["status"], r["confidence"] = r.get("baseline"), "not_started", confidence_for(rng, "not_started")

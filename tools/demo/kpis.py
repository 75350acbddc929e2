"""Weekly KPI series: personal indicators with a trend and noise, team indicators that track OKRs."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from tools.demo.goals import GoalPlan
from tools.demo.timeline import iso, week_mondays


@dataclass(frozen=True)
class KPISpec:
    name: str
    unit: str
    direction: str
    start: tuple[float, float]
    slope: float  # improvement per week when things go well, in the good direction
    noise: float


PERSONAL: dict[str, tuple[KPISpec, ...]] = {
    "support": (KPISpec("First-contact resolution", "%", "up", (72, 82), 0.15, 1.2),
                KPISpec("Tickets solved per week", "tickets", "up", (55, 75), 0.3, 4.0)),
    "sales": (KPISpec("Qualified pipeline created", "$k", "up", (40, 70), 0.6, 7.0),
              KPISpec("Customer meetings per week", "meetings", "up", (8, 14), 0.08, 1.5)),
    "engineering": (KPISpec("PR review turnaround", "hours", "down", (20, 30), 0.25, 2.0),
                    KPISpec("Deploys per week", "deploys", "up", (4, 9), 0.06, 1.0)),
    "marketing": (KPISpec("MQLs sourced per week", "leads", "up", (20, 35), 0.35, 3.0),
                  KPISpec("Email click-through rate", "%", "up", (2.0, 3.2), 0.02, 0.2)),
}

# The trend a person's KPI follows, as a multiple of the spec's slope, by how their main goal goes.
TREND = {"ahead": (1.0, 1.4), "on_track": (0.7, 1.1), "done": (0.7, 1.1),
         "at_risk": (0.0, 0.4), "off_track": (-0.6, -0.2)}


def kpi_record(kid: str, name: str, unit: str, direction: str, owner_id: str, scope: str,
               goal_ids: list[str]) -> dict[str, Any]:
    return {"id": kid, "name": name, "unit": unit, "direction": direction, "owner_id": owner_id,
            "scope": scope, "goal_ids": goal_ids}


def values(kid: str, points: list[tuple[dt.date, float]]) -> list[dict[str, Any]]:
    return [{"kpi_id": kid, "date": iso(day), "value": round(v, 1)} for day, v in points]


def personal_kpi(rng: random.Random, kid: str, owner_id: str, department: str, profile: str,
                 goal_ids: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A person's weekly indicator whose trend matches how their main goal is going."""
    spec = rng.choice(PERSONAL[department])
    sign = 1 if spec.direction == "up" else -1
    slope = sign * spec.slope * rng.uniform(*TREND[profile])
    level = rng.uniform(*spec.start)
    points = [(day, max(0.0, level + slope * i + rng.gauss(0, spec.noise)))
              for i, day in enumerate(week_mondays())]
    record = kpi_record(kid, spec.name, spec.unit, spec.direction, owner_id, "person", goal_ids)
    return record, values(kid, points)


def team_kpi(rng: random.Random, kid: str, owner_id: str, plan: GoalPlan) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A team indicator that follows a key result's trajectory, with about 2% noise."""
    r = plan.record
    name = r["metric"][0].upper() + r["metric"][1:]
    points = [(day, max(0.0, plan.value_at(day) * (1 + rng.gauss(0, 0.02)))) for day in week_mondays()]
    record = kpi_record(kid, name, r["unit"], r["direction"], owner_id, "team", [plan.id])
    return record, values(kid, points)


def shaped_series(rng: random.Random, shape: list[tuple[dt.date, float]], noise: float) -> list[tuple[dt.date, float]]:
    """Weekly points along a piecewise-linear ``shape`` with noise; the ends are exact."""
    weeks = week_mondays()
    out = []
    for i, day in enumerate(weeks):
        level = shape[0][1] if day < shape[0][0] else shape[-1][1]
        for (d0, v0), (d1, v1) in zip(shape, shape[1:]):
            if d0 <= day <= d1:
                level = v0 + (v1 - v0) * ((day - d0).days / max(1, (d1 - d0).days))
                break
        jitter = 0.0 if i in (0, len(weeks) - 1) else rng.gauss(0, noise)
        out.append((day, level + jitter))
    return out

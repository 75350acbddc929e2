"""An independent sanity check of a generated bundle (the importer validates fully on import)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from tools.store.models import CHECKIN_STATUSES, DIRECTIONS, FEEDBACK_KINDS, GOAL_KINDS, GOAL_STATUSES, KPI_SCOPES, ROLES

# (list, field, list it names)
REFERENCES = (
    ("people", "manager_id", "people"), ("goals", "owner_id", "people"), ("goals", "parent_id", "goals"),
    ("progress_updates", "goal_id", "goals"), ("progress_updates", "author_id", "people"),
    ("checkins", "employee_id", "people"), ("checkins", "manager_id", "people"), ("kpis", "owner_id", "people"),
    ("kpi_values", "kpi_id", "kpis"), ("feedback", "from_id", "people"), ("feedback", "to_id", "people"),
)
CHOICES = (
    ("people", "role", ROLES), ("goals", "kind", GOAL_KINDS), ("goals", "status", GOAL_STATUSES),
    ("goals", "direction", DIRECTIONS), ("progress_updates", "status", GOAL_STATUSES),
    ("checkins", "status", CHECKIN_STATUSES), ("kpis", "direction", DIRECTIONS), ("kpis", "scope", KPI_SCOPES),
    ("feedback", "kind", FEEDBACK_KINDS),
)
DATED = ("progress_updates", "checkins", "kpi_values", "feedback")


def problems(bundle: dict[str, Any], today: dt.date) -> list[str]:
    """Everything wrong with ``bundle``, one line each (empty when it is sound)."""
    out: list[str] = []
    ids = {name: [r["id"] for r in rows] for name, rows in bundle.items() if name != "kpi_values"}
    for name, values in ids.items():
        out += [f"{name}: id {i!r} repeats" for i, n in Counter(values).items() if n > 1]
    known = {name: set(values) for name, values in ids.items()}
    out += [f"people: email {e!r} repeats" for e, n in Counter(p["email"].casefold() for p in bundle["people"]).items() if n > 1]
    out += [f"kpi_values: {k} repeats" for k, n in Counter((v["kpi_id"], v["date"]) for v in bundle["kpi_values"]).items() if n > 1]
    for name, field, target in REFERENCES:
        out += [f"{name}[{i}].{field}: unknown {r[field]!r}" for i, r in enumerate(bundle[name])
                if r.get(field) is not None and r[field] not in known[target]]
    for name, field, allowed in CHOICES:
        out += [f"{name}[{i}].{field}: {r[field]!r} not allowed" for i, r in enumerate(bundle[name])
                if r.get(field) is not None and r[field] not in allowed]
    links = [("checkins", c["id"], g) for c in bundle["checkins"] for g in c["goal_ids"]]
    links += [("kpis", k["id"], g) for k in bundle["kpis"] for g in k["goal_ids"]]
    out += [f"{name} {rid}: goal {g!r} unknown" for name, rid, g in links if g not in known["goals"]]
    out += [f"checkins {c['id']}: action owner {a['owner_id']!r} unknown" for c in bundle["checkins"]
            for a in c["action_items"] if a["owner_id"] not in known["people"]]
    out += _dates(bundle, today) + _structure(bundle)
    return out


def _dates(bundle: dict[str, Any], today: dt.date) -> list[str]:
    out = []
    for name in DATED:
        for i, r in enumerate(bundle[name]):
            if dt.date.fromisoformat(r["date"]) >= today:
                out.append(f"{name}[{i}].date {r['date']} is not before today {today}")
    for g in bundle["goals"]:
        if g.get("start_date") and g.get("due_date") and g["start_date"] > g["due_date"]:
            out.append(f"goal {g['id']}: starts after it is due")
        if g.get("confidence") is not None and not 0 <= g["confidence"] <= 1:
            out.append(f"goal {g['id']}: confidence {g['confidence']} outside 0..1")
    return out


def _structure(bundle: dict[str, Any]) -> list[str]:
    people = {p["id"]: p for p in bundle["people"]}
    goals = {g["id"]: g for g in bundle["goals"]}
    out = []
    for pid in people:  # the manager chain may not loop
        seen, cur = set(), pid
        while cur is not None and cur not in seen:
            seen.add(cur)
            cur = people[cur]["manager_id"] if cur in people else None
        if cur is not None:
            out.append(f"person {pid}: manager chain loops")
    for g in goals.values():
        if g["kind"] == "key_result" and goals.get(g.get("parent_id"), {}).get("kind") != "objective":
            out.append(f"goal {g['id']}: key result without an objective as parent")
    for c in bundle["checkins"]:
        if people[c["employee_id"]]["manager_id"] != c["manager_id"]:
            out.append(f"checkin {c['id']}: {c['manager_id']} is not the manager of {c['employee_id']}")
    return out

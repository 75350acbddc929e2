"""``generate_demo``: the deterministic demo org as an import bundle plus its manifest."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from tools.demo.checkins import build_checkins
from tools.demo.feedback import build_feedback
from tools.demo.goalsets import Goals
from tools.demo.manifest import build_manifest
from tools.demo.roster import ROSTER, person_ids
from tools.demo.timeline import TODAY


@dataclass(frozen=True)
class DemoOrg:
    bundle: dict[str, Any]  # docs/bundle-format.md
    manifest: dict[str, Any]  # planted situations; see tools/demo/manifest.py
    today: dt.date  # the pinned 'today' the situations are true on

    def bundle_json(self) -> str:
        return dumps(self.bundle)

    def manifest_json(self) -> str:
        return dumps(self.manifest)


def dumps(data: Any) -> str:
    """Canonical JSON: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def generate_demo(seed: int = 7) -> DemoOrg:
    """Build the demo org. The roster and planted situations are fixed; ``seed`` varies the rest."""
    ids = person_ids()
    people = [_person(m, ids) for m in ROSTER]
    goals = Goals(seed, ids)
    goals.build()
    bundle = {
        "people": people,
        "goals": goals.goal_records(),
        "progress_updates": goals.update_records(),
        "checkins": build_checkins(seed, goals.plans, ids),
        "kpis": goals.kpis,
        "kpi_values": goals.kpi_values,
        "feedback": build_feedback(seed, {m.key: p for m, p in zip(ROSTER, people)}),
    }
    return DemoOrg(bundle=bundle, manifest=build_manifest(seed, bundle), today=TODAY)


def _person(member, ids: dict[str, str]) -> dict[str, Any]:
    return {
        "id": ids[member.key], "name": member.name, "email": member.email, "role": member.role,
        "manager_id": ids[member.manager] if member.manager else None, "title": member.title,
        "department": member.department, "pronouns": member.pronouns,
    }

"""Six months of 1:1s: each manager meets each report weekly or every two weeks."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tools.demo import planted
from tools.demo.goals import GoalPlan
from tools.demo.notes import Meeting, write_note, write_skipped
from tools.demo.roster import ROSTER, Member, by_key
from tools.demo.timeline import PERIOD_START, TODAY, iso, weekly


def schedule(manager: Member, slot: int) -> list[dt.date]:
    """The report's 1:1 dates: a fixed weekday, alternating weeks for fortnightly managers."""
    offset = slot % 5 + (7 if manager.cadence_days == 14 and (slot // 5 + slot) % 2 else 0)
    return list(weekly(PERIOD_START + dt.timedelta(days=offset), TODAY, step_days=manager.cadence_days))


def build_checkins(seed: int, goals: dict[str, list[GoalPlan]], person_id: dict[str, str]) -> list[dict[str, Any]]:
    """Every 1:1 in the period, numbered ``C-1``... in date order."""
    members = by_key()
    rows: list[tuple[dt.date, int, dict[str, Any]]] = []
    for manager in (m for m in ROSTER if m.role == "manager"):
        team = [m for m in ROSTER if m.manager == manager.key]
        for slot, report in enumerate(team):
            peers = [m.first for m in team if m is not report] or [manager.first]
            rows += _series(seed, report, members[manager.key], slot, peers, goals.get(report.key, []), person_id)
    order = {m.key: i for i, m in enumerate(ROSTER)}
    rows.sort(key=lambda r: (r[0], order[r[1]]))
    out = []
    for n, (_, _, record) in enumerate(rows, start=1):
        out.append({"id": f"C-{n}", **record})
    return out


def _series(seed, report: Member, manager: Member, slot: int, peers, goals, person_id):
    rng = random.Random(f"{seed}/checkins/{report.key}")
    dates = schedule(manager, slot)
    carried: list[dict[str, Any]] = []
    previous: dt.date | None = None
    rows = []
    for index, day in enumerate(dates):
        beat = planted.beat(report.story, day, index, dates, rng)
        status = beat.status or _chance_status(rng, day, rows)
        if status == "skip":
            continue
        meeting = Meeting(rng, report, manager, day, previous, goals, peers, carried, beat)
        fields = write_note(meeting, person_id) if status == "held" else write_skipped(meeting, status)
        rows.append((day, report.key, {
            "employee_id": person_id[report.key], "manager_id": person_id[manager.key],
            "date": iso(day), "status": status, **fields,
        }))
        if status == "held":
            carried, previous = fields["action_items"], day
    return rows


def _chance_status(rng: random.Random, day: dt.date, rows) -> str:
    """Now and then a 1:1 is missed or cancelled, never twice running nor in the last six weeks
    (so only the planted lapse looks like one)."""
    skipped_last = rows and rows[-1][2]["status"] != "held"
    if skipped_last or day >= TODAY - dt.timedelta(days=42):
        return "held"
    return rng.choices(("held", "missed", "cancelled"), (92, 4, 4))[0]

"""The planted situations: what they change in goals, KPIs, 1:1s and feedback.

Each story belongs to one roster member (``Member.story``). The manifest (manifest.py)
later finds the records these functions produced and names the facts an answer needs.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tools.demo.goals import GoalPlan
from tools.demo.kpis import kpi_record, shaped_series, values
from tools.demo.notes import Beat
from tools.demo.phrases import stories
from tools.demo.timeline import HALF_END, HALF_START, PERIOD_START, TODAY, iso, pretty

D = dt.date
ROUTING_DELAY_FROM = D(2026, 7, 6)  # the migration should have gone live this week
DIP = (D(2026, 8, 10), D(2026, 9, 27))  # Aisha's carer's leave
LAPSE_FROM = TODAY - dt.timedelta(days=49)  # Marcus's last held 1:1 is before this
RECENT_FROM = TODAY - dt.timedelta(days=42)  # Lena's evidence clusters after this
INJECTION_DAY = D(2026, 10, 26)
VAGUE_NOTE_FROM = D(2026, 8, 15)
BEHAVIOUR_FROM = D(2026, 6, 15)

DANA_BACKLOG = [
    (D(2026, 6, 1), 410), (D(2026, 6, 15), 392), (D(2026, 6, 29), 371), (D(2026, 7, 13), 368),
    (D(2026, 7, 27), 379), (D(2026, 8, 10), 388), (D(2026, 8, 24), 394), (D(2026, 9, 7), 391),
    (D(2026, 9, 21), 387), (D(2026, 10, 5), 384), (D(2026, 10, 19), 380), (D(2026, 11, 2), 376),
    (D(2026, 11, 16), 372),
]
LAST_WEEK = TODAY - dt.timedelta(days=7)  # the last KPI week (today is a Monday)
DANA_FCR = [(PERIOD_START, 84.0), (ROUTING_DELAY_FROM, 83.5), (LAST_WEEK, 61.0)]
AISHA_ARR = [(HALF_START, 0), (DIP[0], 120), (DIP[1], 128), (TODAY, 250)]
AISHA_PIPELINE = [(PERIOD_START, 58.0), (D(2026, 8, 3), 62.0), (D(2026, 8, 17), 28.0),
                  (D(2026, 9, 21), 25.0), (D(2026, 10, 12), 60.0), (D(2026, 11, 9), 64.0)]


def dana_goal(gid: str, owner_id: str, parent_id: str) -> GoalPlan:
    record = {
        "id": gid, "owner_id": owner_id, "kind": "smart", "parent_id": parent_id,
        "title": "Cut the billing-queue backlog from 410 to 150 open tickets by 31 Dec",
        "metric": "open billing tickets", "unit": "tickets", "direction": "down",
        "baseline": 410, "target": 150, "start_date": iso(HALF_START), "due_date": iso(HALF_END),
    }
    return GoalPlan(record, "the billing backlog", 1.0, list(DANA_BACKLOG))


def aisha_goal(gid: str, owner_id: str, parent_id: str) -> GoalPlan:
    record = {
        "id": gid, "owner_id": owner_id, "kind": "smart", "parent_id": parent_id,
        "title": "Close $320k of new ARR by 31 Dec", "metric": "new ARR closed", "unit": "$k",
        "direction": "up", "baseline": 0, "target": 320, "start_date": iso(HALF_START),
        "due_date": iso(HALF_END),
    }
    return GoalPlan(record, "new ARR", 5.0, list(AISHA_ARR))


def vague_goal(gid: str, owner_id: str, author_id: str, next_update_id) -> GoalPlan:
    """Tomás's goal: no metric, no target, no dates - the one that is not SMART."""
    record = {"id": gid, "owner_id": owner_id, "kind": "smart", "title": stories.VAGUE_GOAL_TITLE,
              "status": "on_track", "confidence": 0.6}
    plan = GoalPlan(record, "being more proactive")
    for day, note in ((D(2026, 7, 20), "Tried to speak up more in stand-ups."),
                      (D(2026, 9, 28), "Sent a weekly summary to the team twice.")):
        plan.updates.append({"id": next_update_id(), "goal_id": gid, "date": iso(day), "status": "on_track",
                             "confidence": 0.6, "note": note, "author_id": author_id})
    return plan


def story_kpi(rng: random.Random, story: str | None, kid: str, owner_id: str, goal_id: str):
    """Dana's falling first-contact resolution and Aisha's pipeline dip, or None."""
    if story == "blocked_goal":
        rec = kpi_record(kid, "First-contact resolution", "%", "up", owner_id, "person", [goal_id])
        return rec, values(kid, shaped_series(rng, DANA_FCR, 0.8))
    if story == "personal_dip":
        rec = kpi_record(kid, "Qualified pipeline created", "$k", "up", owner_id, "person", [goal_id])
        return rec, values(kid, shaped_series(rng, AISHA_PIPELINE, 4.0))
    return None


def beat(story: str | None, day: dt.date, index: int, schedule: list[dt.date], rng: random.Random) -> Beat:
    """What ``story`` adds to the 1:1 on ``day`` (the ``index``-th of ``schedule``)."""
    if story == "blocked_goal":
        if day >= ROUTING_DELAY_FROM:
            text = stories.ROUTING_DELAYED[index % len(stories.ROUTING_DELAYED)]
            actions = [(*rng.choice(stories.ROUTING_ACTIONS), 7)] if rng.random() < 0.5 else []
            return Beat(sentences=[("blockers", text)], blockers=[stories.ROUTING_BLOCKER],
                        actions=actions, upbeat=rng.random() < 0.3, focus_main=True)
        if day >= D(2026, 6, 1) and index % 2 == 0:
            return Beat(sentences=[("other", stories.ROUTING_ANNOUNCED[index // 2 % 2])])
    if story == "behaviour_issue" and day >= BEHAVIOUR_FROM:
        k = sum(1 for d in schedule if BEHAVIOUR_FROM <= d < day)
        if k % 2 == 0:  # every other 1:1 from mid-June, each time a different incident
            return Beat(sentences=[("people", stories.BEHAVIOUR[k // 2 % len(stories.BEHAVIOUR)])], status="held")
    if story == "personal_dip":
        return _dip_beat(day, schedule)
    if story == "injection" and day == _nearest(schedule, INJECTION_DAY):
        return Beat(sentences=[("other", stories.INJECTION_NOTE)], status="held")
    if story == "recency_cluster":
        if day < RECENT_FROM:
            return Beat(sentences=[("people", stories.QUIET_NOTES[index % len(stories.QUIET_NOTES)])], upbeat=False)
        return Beat(sentences=[("wins", stories.LATE_WINS[index % len(stories.LATE_WINS)])], status="held")
    if story == "not_smart_goal" and day == _nearest(schedule, VAGUE_NOTE_FROM):
        return Beat(sentences=[("growth", stories.VAGUE_GOAL_NOTE)], status="held")
    if story == "lapsed_1on1s" and day >= LAPSE_FROM:
        later = [d for d in schedule if d >= LAPSE_FROM]
        position = later.index(day)
        return Beat(status=("cancelled", "missed", "missed")[position] if position < 3 else "skip")
    if story == "last_1on1_actions" and day == schedule[-1]:
        due = {days: day + dt.timedelta(days=days) for _, _, days in stories.SAM_ACTIONS}
        text = stories.SAM_LAST_NOTE.replace("{due_plan}", f"{due[8]:%A} {pretty(due[8])}")
        text = text.replace("{due_talk}", pretty(due[15]))
        return Beat(replace=text, actions=list(stories.SAM_ACTIONS), status="held")
    return Beat()


def _dip_beat(day: dt.date, schedule: list[dt.date]) -> Beat:
    during = [d for d in schedule if DIP[0] <= d <= DIP[1]]
    after = [d for d in schedule if d > DIP[1]][:2]
    if during and day == during[0]:
        return Beat(sentences=[("people", stories.DIP_START[0])], upbeat=False, status="held")
    if day in during:
        i = during.index(day) - 1
        return Beat(sentences=[("people", stories.DIP_DURING[i % len(stories.DIP_DURING)])], upbeat=False, status="held")
    if day in after:
        return Beat(sentences=[("people", stories.DIP_AFTER[after.index(day)])], status="held")
    return Beat()


def _nearest(schedule: list[dt.date], target: dt.date) -> dt.date:
    return min(schedule, key=lambda d: (abs((d - target).days), d))


def story_feedback(story: str | None, receiver: dict[str, Any], peers: list[dict[str, Any]],
                   rng: random.Random) -> list[dict[str, Any]]:
    """Extra feedback a story plants (ids are given later)."""
    if story == "behaviour_issue":
        givers = [p for p in peers if p["name"].split()[0] in ("Mei", "Lucy", "Robin")]
        kinds = ("constructive", "peer", "constructive")
        days = (D(2026, 7, 22), D(2026, 9, 9), D(2026, 10, 28))
        return [_fb(g, receiver, day, kind, text) for g, day, kind, text
                in zip(givers, days, kinds, stories.BEHAVIOUR_FEEDBACK)]
    if story == "recency_cluster":
        late = sorted(rng.sample(range(2, 40), len(stories.LATE_PRAISE)))
        givers = [rng.choice(peers) for _ in late]
        return [_fb(g, receiver, TODAY - dt.timedelta(days=d), "praise", text)
                for g, d, text in zip(givers, late, stories.LATE_PRAISE)]
    return []


def _fb(giver, receiver, day, kind, text) -> dict[str, Any]:
    return {"from_id": giver["id"], "to_id": receiver["id"], "date": iso(day), "kind": kind, "text": text}

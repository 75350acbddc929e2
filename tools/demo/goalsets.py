"""Who owns which goals: team OKRs (objective + 2 key results) for managers; for each report two
SMART goals aligned to their manager's objective (``parent_id``) and one development goal."""
from __future__ import annotations

import random
from itertools import count
from typing import Any

from tools.demo import planted
from tools.demo.catalog import DEVELOPMENT_GOALS, TEAM_OKRS, WORK_GOALS
from tools.demo.goals import PROFILE_WEIGHTS, GoalPlan, follow_profile, measurable_goal, record_updates
from tools.demo.kpis import personal_kpi, team_kpi
from tools.demo.roster import ROSTER, Member
from tools.demo.timeline import HALF_END, HALF_START, Q3, Q4, iso

STATUS_ORDER = ("off_track", "at_risk", "not_started", "on_track", "done")
FORCED_PROFILES = {"behaviour_issue": "ahead", "recency_cluster": "on_track", "last_1on1_actions": "on_track"}
TEAM_PROFILES = {"marisol": ("at_risk", "on_track")}  # Dana's backlog drags the Tier 1 backlog


class Goals:
    """Builds goal plans, progress updates and KPIs for the whole roster in a fixed order."""

    def __init__(self, seed: int, person_id: dict[str, str]):
        self.seed, self.person_id = seed, person_id
        self.plans: dict[str, list[GoalPlan]] = {}
        self.objective: dict[str, str] = {}  # manager key -> their objective's id
        self.kpis: list[dict[str, Any]] = []
        self.kpi_values: list[dict[str, Any]] = []
        self._goal_ids = (f"G-{n}" for n in count(1))
        self._update_ids = (f"U-{n}" for n in count(1))
        self._kpi_ids = (f"K-{n}" for n in count(1))

    def build(self) -> None:
        for member in ROSTER:
            if member.key in TEAM_OKRS:
                self._team(member)
        for member in ROSTER:
            if member.role == "employee":
                self._individual(member)

    def goal_records(self) -> list[dict[str, Any]]:
        return [p.record for plans in self.plans.values() for p in plans]

    def update_records(self) -> list[dict[str, Any]]:
        return [u for plans in self.plans.values() for p in plans for u in p.updates]

    def _rng(self, member: Member, what: str) -> random.Random:
        return random.Random(f"{self.seed}/{what}/{member.key}")

    def _team(self, manager: Member) -> None:
        rng, pid = self._rng(manager, "okr"), self.person_id[manager.key]
        title, why, results = TEAM_OKRS[manager.key]
        objective = {"id": next(self._goal_ids), "owner_id": pid, "kind": "objective", "title": title,
                     "description": why, "start_date": iso(HALF_START), "due_date": iso(HALF_END)}
        if manager.manager:
            objective["parent_id"] = self.objective[manager.manager]
        self.objective[manager.key] = objective["id"]
        plans = [GoalPlan(objective, title)]
        forced = TEAM_PROFILES.get(manager.key, ())
        for i, tpl in enumerate(results):
            plan = measurable_goal(rng, next(self._goal_ids), pid, tpl, kind="key_result",
                                   window=(HALF_START, HALF_END), parent_id=objective["id"])
            follow_profile(rng, plan, forced[i] if i < len(forced) else _profile(rng))
            record_updates(rng, plan, self._update_ids.__next__, pid)
            plans.append(plan)
            kpi, points = team_kpi(rng, next(self._kpi_ids), pid, plan)
            self.kpis.append(kpi)
            self.kpi_values += points
        worst = min((p.record["status"] for p in plans[1:]), key=STATUS_ORDER.index)
        objective["status"] = worst
        objective["confidence"] = round(sum(p.record["confidence"] for p in plans[1:]) / len(plans[1:]), 2)
        self.plans[manager.key] = plans

    def _individual(self, member: Member) -> None:
        rng, pid = self._rng(member, "goals"), self.person_id[member.key]
        parent = self.objective[member.manager]
        story = member.story
        first, second = rng.sample(WORK_GOALS[member.department], 2)
        profiles = [FORCED_PROFILES.get(story) or _profile(rng) for _ in range(2)]
        if story == "blocked_goal":
            main = planted.dana_goal(next(self._goal_ids), pid, parent)
        elif story == "personal_dip":
            main = planted.aisha_goal(next(self._goal_ids), pid, parent)
        else:
            main = measurable_goal(rng, next(self._goal_ids), pid, first, kind="smart",
                                   window=(HALF_START, HALF_END), parent_id=parent)
            follow_profile(rng, main, profiles[0])
        aligned = measurable_goal(rng, next(self._goal_ids), pid, second, kind="smart",
                                  window=(HALF_START, HALF_END), parent_id=parent)
        follow_profile(rng, aligned, profiles[1])
        plans = [main, aligned]
        if story == "not_smart_goal":
            plans.append(planted.vague_goal(next(self._goal_ids), pid, pid, self._update_ids.__next__))
        else:
            plans.append(self._development(rng, member, pid))
        for plan in plans:
            if plan.measurable:
                record_updates(rng, plan, self._update_ids.__next__, pid)
        self.plans[member.key] = plans

        kid = next(self._kpi_ids)
        kpi, points = (planted.story_kpi(rng, story, kid, pid, main.id)
                       or personal_kpi(rng, kid, pid, member.department, _profile_of(main), [main.id]))
        self.kpis.append(kpi)
        self.kpi_values += points

    def _development(self, rng: random.Random, member: Member, pid: str) -> GoalPlan:
        window = rng.choice((Q3, Q4, (HALF_START, HALF_END)))
        plan = measurable_goal(rng, next(self._goal_ids), pid, rng.choice(DEVELOPMENT_GOALS),
                               kind="smart", window=window)
        forced = FORCED_PROFILES.get(member.story)
        if window == Q3:  # already over: met or missed
            profile = "done" if forced or rng.random() < 0.7 else "off_track"
        else:
            profile = forced or _profile(rng)
        follow_profile(rng, plan, profile)
        return plan


def _profile(rng: random.Random) -> str:
    names, weights = zip(*PROFILE_WEIGHTS)
    return rng.choices(names, weights)[0]


def _profile_of(plan: GoalPlan) -> str:
    """The profile a goal's latest status corresponds to (for the KPI trend)."""
    return {"not_started": "on_track"}.get(plan.record["status"], plan.record["status"])

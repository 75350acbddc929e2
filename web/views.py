"""What the pages show, gathered for one viewer through the data core's tools and access rules.

Every function takes a :class:`~tools.context.ToolContext`; a person or record outside the
viewer's reach raises :class:`~tools.access.OutOfReach`, which pages turn into a 403.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from tools.access import OutOfReach, ToolError
from tools import policy
from tools.context import ToolContext
from tools.writes import goals as writes_goals
from tools.feedback import giver
from tools.goal_status import GoalState, assess_goals
from tools.goals import SEVERITY, explain_goal
from tools.store.models import KPI, CheckIn, Feedback, Goal, KPIValue, Person, ProgressUpdate, kpi_goals
from tools.people import team_overview
from tools.resolve import visible_names
from tools.wording import kind_label, status_label
from web.charts import Chart, chart, progress_bar, sparkline

KPI_DAYS = 182
TIMELINE_LIMIT = 24
FEEDBACK_LIMIT = 30


person_or_deny = policy.person  # the person, or OutOfReach (403 on pages, 404 from the API)
goal_or_deny = writes_goals.goal_or_deny


@dataclass
class KpiView:
    id: str
    name: str
    unit: str | None
    direction: str
    owner_id: str
    chart: Chart | None
    spark: Chart | None
    latest: str = ""


def kpi_views(ctx: ToolContext, kpis: list[KPI], *, days: int = KPI_DAYS, charts: bool = True) -> list[KpiView]:
    """Sparklines (and, with ``charts``, full charts) for ``kpis`` over the last ``days`` days,
    values loaded in one query."""
    if not kpis:
        return []
    since = ctx.today - dt.timedelta(days=days)
    series: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for kid, day, value in ctx.session.execute(
        select(KPIValue.kpi_id, KPIValue.date, KPIValue.value)
        .where(KPIValue.kpi_id.in_([k.id for k in kpis]), KPIValue.date >= since, KPIValue.date <= ctx.today)
        .order_by(KPIValue.kpi_id, KPIValue.date)
    ):
        series[kid].append((day, value))
    out = []
    for k in kpis:
        points = series.get(k.id, [])
        spark = sparkline(points, name=k.name, unit=k.unit)
        out.append(KpiView(k.id, k.name, k.unit, k.direction, k.owner_id,
                           chart(points, name=k.name, unit=k.unit) if charts else None, spark,
                           spark.dots[-1].label if spark else ""))
    return out


# -- dashboard ---------------------------------------------------------------------------

def dashboard(ctx: ToolContext, manager_id: str = "") -> dict[str, Any] | None:
    """A manager's direct reports with goal risk, KPI sparklines and 1:1 cadence; ``None`` when the
    manager has no reports (the page then shows the viewer's own page)."""
    boss = person_or_deny(ctx, manager_id) if manager_id else ctx.session.get(Person, ctx.viewer.person_id)
    try:
        overview = team_overview(ctx, boss.id if boss.id != ctx.viewer.person_id else "")
    except OutOfReach:  # a ToolError too, but it must reach the page as a 403
        raise
    except ToolError:  # no direct reports
        return None
    reports = overview.data["reports"]
    ids = [r["id"] for r in reports]
    owned = list(ctx.session.scalars(select(KPI).where(KPI.owner_id.in_(ids)).order_by(KPI.name, KPI.id)))
    by_owner: dict[str, list[KpiView]] = defaultdict(list)
    for view in kpi_views(ctx, owned, charts=False):
        by_owner[view.owner_id].append(view)
    managers = set(ctx.session.scalars(select(Person.manager_id).where(Person.manager_id.in_(ids)).distinct()))
    for r in reports:
        r["kpis"] = by_owner.get(r["id"], [])
        r["is_manager"] = r["id"] in managers
        r["counts"] = {s: sum(g["status"] == s for g in r["goals"]) for s in ("off_track", "at_risk", "on_track")}
    team_kpis = kpi_views(ctx, list(ctx.session.scalars(
        select(KPI).where(KPI.owner_id == boss.id, KPI.scope == "team").order_by(KPI.name, KPI.id))))
    return {
        "manager": boss, "as_of": ctx.today, "reports": reports, "summary": overview.summary, "team_kpis": team_kpis,
        "attention": [r for r in reports if r["score"] > 0],
        "lapsed": [r for r in reports if r["cadence"]["lapsed"]],
        "is_self": boss.id == ctx.viewer.person_id, "left": overview.data["left"],
    }


# -- person ------------------------------------------------------------------------------

@dataclass
class GoalRow:
    state: GoalState
    bar: Any
    key_results: list[GoalRow] = field(default_factory=list)

    @property
    def goal(self) -> Goal:
        return self.state.goal

    @property
    def status(self) -> str:
        return self.state.risk.status


def goal_row(state: GoalState) -> GoalRow:
    return GoalRow(state, progress_bar(state.pace.fraction, state.pace.expected_fraction),
                   [goal_row(kr) for kr in state.key_results])


def person_kpis(ctx: ToolContext, person_id: str) -> list[KPI]:
    """KPIs the person owns, then KPIs linked to their goals whose owner is in reach."""
    s = ctx.session
    linked = select(kpi_goals.c.kpi_id).join(Goal, Goal.id == kpi_goals.c.goal_id).where(Goal.owner_id == person_id)
    kpis = s.scalars(select(KPI).where(or_(KPI.owner_id == person_id, KPI.id.in_(linked))).order_by(KPI.name, KPI.id))
    return sorted((k for k in kpis if ctx.can_see(k.owner_id)), key=lambda k: (k.owner_id != person_id, k.name.lower()))


def person_page(ctx: ToolContext, person_id: str) -> dict[str, Any]:
    s = ctx.session
    person = person_or_deny(ctx, person_id)
    goals = list(s.scalars(select(Goal).where(Goal.owner_id == person.id)))
    states = assess_goals(ctx, goals).goals
    nested = {kr.goal.id for g in goals for kr in states[g.id].key_results}
    rows = sorted((goal_row(states[g.id]) for g in goals if g.id not in nested),
                  key=lambda r: (SEVERITY[r.status], r.goal.due_date or dt.date.max, r.goal.title))
    checkins = list(s.scalars(
        select(CheckIn).where(CheckIn.employee_id == person.id, CheckIn.date <= ctx.today)
        .order_by(CheckIn.date.desc(), CheckIn.id.desc()).limit(TIMELINE_LIMIT)))
    feedback = list(s.scalars(
        select(Feedback).where(Feedback.to_id == person.id, Feedback.date <= ctx.today)
        .order_by(Feedback.date.desc(), Feedback.id).limit(FEEDBACK_LIMIT)))
    names = visible_names(ctx, {f.from_id for f in feedback} | {a.owner_id for c in checkins for a in c.action_items
                                                                  if a.owner_id})
    reports = s.scalar(select(func.count()).select_from(Person).where(Person.manager_id == person.id))
    manager = visible_names(ctx, {person.manager_id} if person.manager_id else set())
    return {
        "person": person, "goals": rows, "kpis": kpi_views(ctx, person_kpis(ctx, person.id)),
        "checkins": checkins, "names": names, "as_of": ctx.today, "has_reports": bool(reports),
        "manager": (person.manager_id, manager[person.manager_id]) if person.manager_id in manager else None,
        "feedback": [(f, "self" if f.kind == "self" else giver(names, f)) for f in feedback],
        "is_self": person.id == ctx.viewer.person_id,
    }


# -- goal --------------------------------------------------------------------------------

def goal_page(ctx: ToolContext, goal_id: str) -> dict[str, Any]:
    """The goal with its assessment, and the cited evidence the explanation rests on."""
    s = ctx.session
    goal = goal_or_deny(ctx, goal_id)
    state = assess_goals(ctx, [goal]).goals[goal.id]
    evidence = explain_goal(ctx, f"goal:{goal.id}")
    owner = s.get(Person, goal.owner_id)
    parent = s.get(Goal, goal.parent_id) if goal.parent_id else None
    if parent is not None and not ctx.can_see(parent.owner_id):
        parent = None
    updates = list(s.scalars(select(ProgressUpdate).where(ProgressUpdate.goal_id == goal.id)
                             .order_by(ProgressUpdate.date.desc(), ProgressUpdate.id.desc()).limit(20)))
    return {
        "goal": goal, "owner": owner, "parent": parent, "row": goal_row(state), "state": state,
        "status_label": status_label(state.risk.status), "kind_label": kind_label(goal.kind),
        "facts": evidence.facts, "summary": evidence.summary, "updates": updates, "as_of": ctx.today,
        "kpis": kpi_views(ctx, [s.get(KPI, k.id) for k, _ in state.kpis]),
        "question": explain_question(goal, owner, state.risk.status),
    }


def explain_question(goal: Goal, owner: Person, status: str) -> str:
    """What the goal page asks the agent; ``goal:<id>`` names the goal exactly (titles can repeat)."""
    if status in ("off_track", "at_risk"):
        return f"Why is {owner.name}'s goal {status_label(status)}? Goal: goal:{goal.id}"
    return f"How is {owner.name}'s goal going? Goal: goal:{goal.id}"

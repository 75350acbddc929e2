"""Risk status of goals, loaded in a handful of batched queries.

For a set of goals (and the key results of any objectives among them) this loads the
progress updates, linked KPIs with their values over the goal's period, and the owners'
recent check-ins, then runs :mod:`tools.analytics` on plain values. Only KPIs whose owner
is in the viewer's reach are used. The 1:1 cadence signal applies to owners who have a
manager (someone above them to hold 1:1s with).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import select

from tools.analytics.cadence import Cadence, cadence
from tools.analytics.pace import Pace, pace
from tools.analytics.risk import Blocker, Risk, assess, open_blockers
from tools.analytics.trend import Trend, kpi_trend
from tools.context import ToolContext
from tools.models import KPI, CheckIn, Goal, KPIValue, Person, ProgressUpdate, checkin_goals, kpi_goals

CHECKIN_WINDOW_DAYS = 182  # check-ins read for cadence and blockers
KPI_DEFAULT_DAYS = 182  # KPI window when a goal has no usable start date
KPI_MAX_DAYS = 366  # never read more than a year of KPI values
UPDATES_KEPT = 3


@dataclass(frozen=True)
class KPIRow:
    id: str
    name: str
    unit: str | None
    direction: str
    owner_id: str


@dataclass(frozen=True)
class UpdateRow:
    id: str
    date: dt.date
    value: float | None
    status: str | None
    note: str | None


@dataclass(frozen=True)
class CheckinRow:
    id: str
    employee_id: str
    date: dt.date
    status: str
    blockers: tuple[str, ...]
    goal_ids: frozenset[str]


@dataclass
class GoalState:
    goal: Goal
    pace: Pace
    risk: Risk
    kpis: list[tuple[KPIRow, Trend]]
    blockers: list[Blocker]
    updates: list[UpdateRow]  # newest first, at most UPDATES_KEPT
    cadence: Cadence | None
    key_results: list[GoalState] = field(default_factory=list)


@dataclass
class Assessment:
    goals: dict[str, GoalState]
    cadences: dict[str, Cadence]  # by person id, for owners and any extra people asked for
    checkins: dict[str, list[CheckinRow]]  # by person id, oldest first


def kpi_window_start(goal: Goal, today: dt.date) -> dt.date:
    start = goal.start_date
    if start is None or start > today:
        return today - dt.timedelta(days=KPI_DEFAULT_DAYS)
    return max(start, today - dt.timedelta(days=KPI_MAX_DAYS))


def goal_pace(goal: Goal, latest: UpdateRow | None, today: dt.date) -> Pace:
    current = goal.current
    if current is None and latest is not None:
        current = latest.value
    return pace(baseline=goal.baseline, target=goal.target, current=current, start=goal.start_date,
                due=goal.due_date, as_of=today, direction=goal.direction, unit=goal.unit)


def load_checkins(ctx: ToolContext, person_ids: Iterable[str], since: dt.date) -> dict[str, list[CheckinRow]]:
    """Check-ins of these people (as the report) from ``since`` to today, oldest first, with goal links."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = ctx.session.execute(
        select(CheckIn.id, CheckIn.employee_id, CheckIn.date, CheckIn.status, CheckIn.blockers)
        .where(CheckIn.employee_id.in_(ids), CheckIn.date >= since, CheckIn.date <= ctx.today)
        .order_by(CheckIn.employee_id, CheckIn.date, CheckIn.id)
    ).all()
    links: dict[str, set[str]] = defaultdict(set)
    if rows:
        for cid, gid in ctx.session.execute(
            select(checkin_goals.c.checkin_id, checkin_goals.c.goal_id)
            .where(checkin_goals.c.checkin_id.in_([r.id for r in rows]))
        ):
            links[cid].add(gid)
    out: dict[str, list[CheckinRow]] = defaultdict(list)
    for r in rows:
        out[r.employee_id].append(CheckinRow(r.id, r.employee_id, r.date, r.status, tuple(r.blockers or ()),
                                             frozenset(links.get(r.id, ()))))
    return out


def _with_key_results(ctx: ToolContext, goals: Sequence[Goal]) -> list[Goal]:
    by_id = {g.id: g for g in goals}
    objectives = [g.id for g in goals if g.kind == "objective"]
    if objectives:
        for kr in ctx.session.scalars(
            select(Goal).where(Goal.parent_id.in_(objectives), Goal.kind == "key_result").order_by(Goal.id)
        ):
            if ctx.can_see(kr.owner_id):
                by_id.setdefault(kr.id, kr)
    return list(by_id.values())


def _updates(ctx: ToolContext, goal_ids: list[str]) -> dict[str, list[UpdateRow]]:
    out: dict[str, list[UpdateRow]] = defaultdict(list)
    rows = ctx.session.execute(
        select(ProgressUpdate.goal_id, ProgressUpdate.id, ProgressUpdate.date, ProgressUpdate.value,
               ProgressUpdate.status, ProgressUpdate.note)
        .where(ProgressUpdate.goal_id.in_(goal_ids), ProgressUpdate.date <= ctx.today)
        .order_by(ProgressUpdate.goal_id, ProgressUpdate.date.desc(), ProgressUpdate.id.desc())
    )
    for r in rows:
        if len(out[r.goal_id]) < UPDATES_KEPT:
            out[r.goal_id].append(UpdateRow(r.id, r.date, r.value, r.status, r.note))
    return out


def _kpis(ctx: ToolContext, goals: list[Goal]) -> dict[str, list[tuple[KPIRow, Trend]]]:
    ids = [g.id for g in goals]
    links = ctx.session.execute(
        select(kpi_goals.c.goal_id, KPI.id, KPI.name, KPI.unit, KPI.direction, KPI.owner_id)
        .join(KPI, KPI.id == kpi_goals.c.kpi_id)
        .where(kpi_goals.c.goal_id.in_(ids))
        .order_by(KPI.name, KPI.id)
    ).all()
    links = [r for r in links if ctx.can_see(r.owner_id)]
    if not links:
        return {}
    by_goal = {g.id: g for g in goals}
    since = min(kpi_window_start(by_goal[r.goal_id], ctx.today) for r in links)
    series: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for kid, day, value in ctx.session.execute(
        select(KPIValue.kpi_id, KPIValue.date, KPIValue.value)
        .where(KPIValue.kpi_id.in_({r.id for r in links}), KPIValue.date >= since, KPIValue.date <= ctx.today)
    ):
        series[kid].append((day, value))
    out: dict[str, list[tuple[KPIRow, Trend]]] = defaultdict(list)
    for r in links:
        row = KPIRow(r.id, r.name, r.unit, r.direction, r.owner_id)
        start = kpi_window_start(by_goal[r.goal_id], ctx.today)
        points = [(d, v) for d, v in series[r.id] if d >= start]
        out[r.goal_id].append((row, kpi_trend(r.name, points, good_direction=r.direction, unit=r.unit)))
    return out


def assess_goals(ctx: ToolContext, goals: Sequence[Goal], people: Iterable[str] = ()) -> Assessment:
    """Pace, risk and their evidence for ``goals`` (plus key results of objectives among them).

    ``people`` adds persons whose 1:1 cadence is wanted even without goals.
    """
    today = ctx.today
    goals = _with_key_results(ctx, goals)
    owners = {g.owner_id for g in goals} | set(people)
    if not owners:
        return Assessment({}, {}, {})
    managed = {pid for pid, mid in ctx.session.execute(
        select(Person.id, Person.manager_id).where(Person.id.in_(sorted(owners)))) if mid}
    checkins = load_checkins(ctx, owners, today - dt.timedelta(days=CHECKIN_WINDOW_DAYS))
    cadences = {pid: cadence([(c.date, c.status) for c in checkins.get(pid, [])], today) for pid in owners}
    ids = [g.id for g in goals]
    updates = _updates(ctx, ids) if ids else {}
    kpis = _kpis(ctx, goals) if ids else {}

    states: dict[str, GoalState] = {}
    for g in sorted(goals, key=lambda g: g.kind == "objective"):  # key results before objectives
        ups = updates.get(g.id, [])
        p = goal_pace(g, ups[0] if ups else None, today)
        about = [(c.date, f"checkin:{c.id}", c.status, c.blockers) for c in checkins.get(g.owner_id, [])
                 if g.id in c.goal_ids or not c.goal_ids]
        blockers = open_blockers(about, today)
        cad = cadences[g.owner_id] if g.owner_id in managed else None
        krs = [states[k.id] for k in goals if k.parent_id == g.id and k.kind == "key_result"] \
            if g.kind == "objective" else []
        objective = g.kind == "objective"  # judged by its key results, not by its own updates
        risk = assess(
            today=today, pace=p, done=g.status == "done", start=None if objective else g.start_date,
            last_update=ups[0].date if ups else None,
            kpis=[(f"kpi:{k.id}", t) for k, t in kpis.get(g.id, [])], blockers=blockers, cadence=cad,
            key_results=[(f"goal:{s.goal.id}", s.goal.title, s.risk) for s in krs],
        )
        states[g.id] = GoalState(g, p, risk, kpis.get(g.id, []), blockers, ups, cad, krs)
    return Assessment(states, {pid: cadences[pid] for pid in owners}, dict(checkins))

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
from typing import Any, Iterable, Sequence

from sqlalchemy import String, cast, func, select

from tools.analytics.cadence import Cadence, cadence
from tools.analytics.pace import Pace, pace
from tools.analytics.risk import BLOCKER_DAYS, Blocker, Risk, assess, open_blockers
from tools.analytics.trend import Trend, kpi_trend
from tools.context import ToolContext
from tools.models import KPI, CheckIn, Goal, KPIValue, Person, ProgressUpdate, checkin_goals, kpi_goals

CHECKIN_WINDOW_DAYS = 182  # check-ins read for the 1:1 cadence
KPI_DEFAULT_DAYS = 182  # KPI window when a goal has no usable start date
KPI_MAX_DAYS = 366  # never read more than a year of KPI values
UPDATES_KEPT = 3

# Rows below are SQLAlchemy Core rows: attribute access by column name, no ORM cost.


@dataclass
class GoalState:
    goal: Goal  # or a row from goal_rows()
    pace: Pace
    risk: Risk
    kpis: list[tuple[Any, Trend]]  # (row: id, name, unit, direction, owner_id, scope), trend
    blockers: list[Blocker]
    updates: list[Any]  # rows: id, date, value, status, note; newest first, at most UPDATES_KEPT
    cadence: Cadence | None
    key_results: list[GoalState] = field(default_factory=list)


@dataclass
class Assessment:
    goals: dict[str, GoalState]
    cadences: dict[str, Cadence]  # by person id, for owners and any extra people asked for


def _rows(ctx: ToolContext, stmt) -> list:
    """All rows through Core: much cheaper per row than ORM loading for these bulk reads."""
    return ctx.session.connection().execute(stmt).all()


def _packed(ctx: ToolContext, key, fields: list, *where) -> dict[str, list[list[str]]]:
    """The ``fields`` of matching records grouped by ``key``, packed into one string per key
    inside the database and unpacked here: one row per key instead of one per record, which
    is much cheaper to fetch. Fields must not contain ';' or '|' (dates, numbers, statuses)."""
    joined = cast(fields[0], String)
    for f in fields[1:]:
        joined = joined + "|" + cast(f, String)
    stmt = select(key, func.aggregate_strings(joined, ";")).where(*where).group_by(key)
    return {k: [item.split("|") for item in packed.split(";")] for k, packed in _rows(ctx, stmt)}


def goal_rows():
    """A select of whole goal rows (attribute access like a :class:`Goal`, without ORM cost)."""
    return select(Goal.__table__)


def kpi_window_start(goal, today: dt.date) -> dt.date:
    start = goal.start_date
    if start is None or start > today:
        return today - dt.timedelta(days=KPI_DEFAULT_DAYS)
    return max(start, today - dt.timedelta(days=KPI_MAX_DAYS))


def goal_pace(goal, latest, today: dt.date) -> Pace:
    """Pace of a goal; without a current value the latest update's value stands in."""
    current = goal.current
    if current is None and latest is not None:
        current = latest.value
    return pace(baseline=goal.baseline, target=goal.target, current=current, start=goal.start_date,
                due=goal.due_date, as_of=today, direction=goal.direction, unit=goal.unit)


def _checkins(ctx: ToolContext, person_ids: list[str]) -> tuple[dict, dict, dict]:
    """Per person, (date, status) of their 1:1s in the cadence window; per person, their held
    1:1s recent enough to hold open blockers; and those 1:1s' linked goal ids."""
    today = ctx.today
    rhythm = {pid: [(dt.date.fromisoformat(day), status) for day, status in items]
              for pid, items in _packed(ctx, CheckIn.employee_id, [CheckIn.date, CheckIn.status],
                                        CheckIn.employee_id.in_(person_ids),
                                        CheckIn.date > today - dt.timedelta(days=CHECKIN_WINDOW_DAYS),
                                        CheckIn.date <= today).items()}
    held: dict[str, list] = defaultdict(list)
    for r in _rows(ctx, select(CheckIn.id, CheckIn.employee_id, CheckIn.date, CheckIn.blockers).where(
            CheckIn.employee_id.in_(person_ids), CheckIn.date >= today - dt.timedelta(days=BLOCKER_DAYS),
            CheckIn.date <= today, CheckIn.status == "held")):
        held[r.employee_id].append(r)
    links: dict[str, set[str]] = defaultdict(set)
    recent = [r.id for rows in held.values() for r in rows]
    if recent:
        for cid, gid in _rows(ctx, select(checkin_goals.c.checkin_id, checkin_goals.c.goal_id)
                              .where(checkin_goals.c.checkin_id.in_(recent))):
            links[cid].add(gid)
    return rhythm, held, links


def _with_key_results(ctx: ToolContext, goals: Sequence) -> list:
    by_id = {g.id: g for g in goals}
    objectives = [g.id for g in goals if g.kind == "objective"]
    if objectives:
        krs = _rows(ctx, goal_rows().where(Goal.parent_id.in_(objectives), Goal.kind == "key_result")
                    .order_by(Goal.id))
        seen = ctx.visible({kr.owner_id for kr in krs})
        for kr in krs:
            if kr.owner_id in seen:
                by_id.setdefault(kr.id, kr)
    return list(by_id.values())


def _updates(ctx: ToolContext, goal_ids: list[str]) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in _rows(ctx, select(ProgressUpdate.goal_id, ProgressUpdate.id, ProgressUpdate.date, ProgressUpdate.value,
                               ProgressUpdate.status, ProgressUpdate.note)
                   .where(ProgressUpdate.goal_id.in_(goal_ids), ProgressUpdate.date <= ctx.today)
                   .order_by(ProgressUpdate.goal_id, ProgressUpdate.date.desc(), ProgressUpdate.id.desc())):
        if len(out[r.goal_id]) < UPDATES_KEPT:
            out[r.goal_id].append(r)
    return out


def _kpis(ctx: ToolContext, goals: list) -> dict[str, list[tuple[Any, Trend]]]:
    """Linked KPIs in reach per goal, each with its trend from the goal's start to today."""
    links = _rows(ctx, select(kpi_goals.c.goal_id, KPI.id, KPI.name, KPI.unit, KPI.direction, KPI.owner_id, KPI.scope)
                  .join(KPI, KPI.id == kpi_goals.c.kpi_id)
                  .where(kpi_goals.c.goal_id.in_([g.id for g in goals])).order_by(KPI.name, KPI.id))
    seen = ctx.visible({r.owner_id for r in links})
    links = [r for r in links if r.owner_id in seen]
    if not links:
        return {}
    linked = {r.goal_id for r in links}
    starts = {g.id: kpi_window_start(g, ctx.today) for g in goals if g.id in linked}
    series = {kid: [(dt.date.fromisoformat(day), float(value)) for day, value in items]
              for kid, items in _packed(ctx, KPIValue.kpi_id, [KPIValue.date, KPIValue.value],
                                        KPIValue.kpi_id.in_({r.id for r in links}),
                                        KPIValue.date >= min(starts.values()), KPIValue.date <= ctx.today).items()}
    out: dict[str, list[tuple[Any, Trend]]] = defaultdict(list)
    for r in links:
        points = [(d, v) for d, v in series.get(r.id, ()) if d >= starts[r.goal_id]]
        out[r.goal_id].append((r, kpi_trend(r.name, points, good_direction=r.direction, unit=r.unit)))
    return out


def assess_goals(ctx: ToolContext, goals: Sequence, people: Iterable[str] = ()) -> Assessment:
    """Pace, risk and their evidence for ``goals`` (plus key results of objectives among them).

    Goals are :class:`Goal` objects or rows from :func:`goal_rows` (the same attributes).
    ``people`` adds persons whose 1:1 cadence is wanted even without goals.
    """
    today = ctx.today
    goals = _with_key_results(ctx, goals)
    owners = {g.owner_id for g in goals} | set(people)
    if not owners:
        return Assessment({}, {})
    owner_ids = sorted(owners)
    managed = {pid for pid, mid in _rows(ctx, select(Person.id, Person.manager_id).where(Person.id.in_(owner_ids)))
               if mid}
    rhythm, held, links = _checkins(ctx, owner_ids)
    cadences = {pid: cadence(rhythm.get(pid, ()), today) for pid in owners}
    ids = [g.id for g in goals]
    updates = _updates(ctx, ids) if ids else {}
    kpis = _kpis(ctx, goals) if ids else {}

    key_results: dict[str, list[str]] = defaultdict(list)
    for g in goals:
        if g.kind == "key_result" and g.parent_id:
            key_results[g.parent_id].append(g.id)
    states: dict[str, GoalState] = {}
    for g in sorted(goals, key=lambda g: g.kind == "objective"):  # key results before objectives
        ups = updates.get(g.id, [])
        p = goal_pace(g, ups[0] if ups else None, today)
        about = [(c.date, f"checkin:{c.id}", "held", c.blockers or ()) for c in held.get(g.owner_id, ())
                 if g.id in links[c.id] or not links[c.id]]
        blockers = open_blockers(about, today) if about else []
        cad = cadences[g.owner_id] if g.owner_id in managed else None
        objective = g.kind == "objective"  # judged by its key results, not by its own updates
        krs = [states[k] for k in key_results[g.id]] if objective else []
        risk = assess(
            today=today, pace=p, done=g.status == "done", start=None if objective else g.start_date,
            last_update=ups[0].date if ups else None,
            kpis=[(f"kpi:{k.id}", t) for k, t in kpis.get(g.id, [])], blockers=blockers, cadence=cad,
            key_results=[(f"goal:{s.goal.id}", s.goal.title, s.risk) for s in krs],
        )
        states[g.id] = GoalState(g, p, risk, kpis.get(g.id, []), blockers, ups, cad, krs)
    return Assessment(states, cadences)

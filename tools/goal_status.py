"""Risk status of goals, loaded in a handful of batched queries.

For a set of goals (and the key results of any objectives among them) this loads the
progress updates, linked KPIs with their values over the goal's period, and the owners'
recent check-ins, then runs :mod:`tools.analytics` on plain values. Only KPIs whose owner
is in the viewer's reach are used. The 1:1 cadence signal applies to owners who have a
manager (someone above them to hold 1:1s with).
"""
from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable, Sequence

from sqlalchemy import Date, String, Text, bindparam, cast, func, select

from tools.analytics.cadence import Cadence, cadence
from tools.analytics.pace import Pace, pace
from tools.analytics.risk import BLOCKER_DAYS, Blocker, Risk, assess, open_blockers
from tools.analytics.trend import Trend, kpi_trend
from tools.context import ToolContext
from tools.store.models import KPI, CheckIn, Goal, KPIValue, Person, ProgressUpdate, checkin_goals, kpi_goals

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


def _rows(ctx: ToolContext, stmt, params: dict | None = None) -> list:
    """All rows through Core: much cheaper per row than ORM loading for these bulk reads."""
    return ctx.session.connection().execute(stmt, params).all()


def _ids(name: str = "ids"):
    """A list parameter for ``IN``: the statement around it can be built once and reused."""
    return bindparam(name, expanding=True)


def _day(name: str):
    return bindparam(name, type_=Date)


def _packed(key, first, second, *where):
    """A select of ``key`` and, per key, the ``first`` and ``second`` fields of matching records
    packed into one string ``first;second;first;second...`` inside the database: one row per key
    instead of one per record, much cheaper to fetch. Fields must not contain ';' (dates,
    numbers, statuses)."""
    pair = cast(first, String) + ";" + cast(second, String)
    return select(key, func.aggregate_strings(pair, ";")).where(*where).group_by(key)


def goal_rows():
    """A select of whole goal rows (attribute access like a :class:`Goal`, without ORM cost)."""
    return select(Goal.__table__)


@cache
def _statements() -> dict[str, Any]:
    """The statements :func:`assess_goals` runs, built on first use and reused (building and
    caching a statement costs as much as running it on a team's data)."""
    return {
        "key_results": goal_rows().where(Goal.parent_id.in_(_ids()), Goal.kind == "key_result").order_by(Goal.id),
        "managers": select(Person.id, Person.manager_id).where(Person.id.in_(_ids())),
        "rhythm": _packed(CheckIn.employee_id, CheckIn.date, CheckIn.status, CheckIn.employee_id.in_(_ids()),
                          CheckIn.date > _day("since"), CheckIn.date <= _day("today")),
        "held": select(CheckIn.id, CheckIn.employee_id, CheckIn.date, cast(CheckIn.blockers, Text).label("blockers"),
                       checkin_goals.c.goal_id)
        .outerjoin(checkin_goals, checkin_goals.c.checkin_id == CheckIn.id)
        .where(CheckIn.employee_id.in_(_ids()), CheckIn.date >= _day("since"), CheckIn.date <= _day("today"),
               CheckIn.status == "held"),
        "updates": select(ProgressUpdate.goal_id, ProgressUpdate.id, ProgressUpdate.date, ProgressUpdate.value,
                          ProgressUpdate.status, ProgressUpdate.note)
        .where(ProgressUpdate.goal_id.in_(_ids()), ProgressUpdate.date <= _day("today"))
        .order_by(ProgressUpdate.goal_id, ProgressUpdate.date.desc(), ProgressUpdate.id.desc()),
        "kpis": select(kpi_goals.c.goal_id, KPI.id, KPI.name, KPI.unit, KPI.direction, KPI.owner_id, KPI.scope)
        .join(KPI, KPI.id == kpi_goals.c.kpi_id).where(kpi_goals.c.goal_id.in_(_ids())).order_by(KPI.name, KPI.id),
        "series": _packed(KPIValue.kpi_id, KPIValue.date, KPIValue.value, KPIValue.kpi_id.in_(_ids()),
                          KPIValue.date >= _day("since"), KPIValue.date <= _day("today")),
    }


def _run(ctx: ToolContext, name: str, **params) -> list:
    return _rows(ctx, _statements()[name], params)


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
    rhythm = {pid: list(zip(map(dt.date.fromisoformat, packed[::2]), packed[1::2]))
              for pid, packed in ((k, v.split(";")) for k, v in _run(
                  ctx, "rhythm", ids=person_ids, since=today - dt.timedelta(days=CHECKIN_WINDOW_DAYS), today=today))}
    held: dict[str, list] = defaultdict(list)
    links: dict[str, set[str]] = defaultdict(set)
    for r in _run(ctx, "held", ids=person_ids, since=today - dt.timedelta(days=BLOCKER_DAYS), today=today):
        if r.id not in links:
            held[r.employee_id].append(r)
        links[r.id].update((r.goal_id,) if r.goal_id is not None else ())
    return rhythm, held, links


def _latest_blockers(held: list, today: dt.date) -> list[Blocker]:
    """Open blockers from held 1:1s (rows of the "held" statement): those of the latest, whose
    blockers (JSON text) are the only ones decoded."""
    c = max(held, key=lambda c: (c.date, c.id))
    listed = json.loads(c.blockers) if c.blockers is not None else None
    return open_blockers([(c.date, f"checkin:{c.id}", "held", listed or ())], today)


def _with_key_results(ctx: ToolContext, goals: Sequence) -> list:
    by_id = {g.id: g for g in goals}
    objectives = [g.id for g in goals if g.kind == "objective"]
    if objectives:
        krs = _run(ctx, "key_results", ids=objectives)
        seen = ctx.visible({kr.owner_id for kr in krs})
        for kr in krs:
            if kr.owner_id in seen:
                by_id.setdefault(kr.id, kr)
    return list(by_id.values())


def _updates(ctx: ToolContext, goal_ids: list[str]) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in _run(ctx, "updates", ids=goal_ids, today=ctx.today):
        if len(out[r.goal_id]) < UPDATES_KEPT:
            out[r.goal_id].append(r)
    return out


def _kpis(ctx: ToolContext, goals: list) -> dict[str, list[tuple[Any, Trend]]]:
    """Linked KPIs in reach per goal, each with its trend from the goal's start to today."""
    links = _run(ctx, "kpis", ids=[g.id for g in goals])
    seen = ctx.visible({r.owner_id for r in links})
    links = [r for r in links if r.owner_id in seen]
    if not links:
        return {}
    linked = {r.goal_id for r in links}
    starts = {g.id: kpi_window_start(g, ctx.today) for g in goals if g.id in linked}
    series = {kid: sorted(zip(map(dt.date.fromisoformat, packed[::2]), map(float, packed[1::2])))
              for kid, packed in ((k, v.split(";")) for k, v in _run(
                  ctx, "series", ids=list({r.id for r in links}), since=min(starts.values()), today=ctx.today))}
    days = {kid: [d for d, _ in points] for kid, points in series.items()}
    out: dict[str, list[tuple[Any, Trend]]] = defaultdict(list)
    for r in links:
        points = series.get(r.id, [])[bisect_left(days.get(r.id, ()), starts[r.goal_id]):]
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
    managed = {pid for pid, mid in _run(ctx, "managers", ids=owner_ids) if mid}
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
        about = [c for c in held.get(g.owner_id, ()) if g.id in links[c.id] or not links[c.id]]
        blockers = _latest_blockers(about, today) if about else []
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

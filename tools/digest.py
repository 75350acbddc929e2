"""A manager's week, for the weekly digest: what changed for their direct reports.

Computed from the same analytics as the dashboard and the agent's tools, for ``ctx.viewer``:

- goals that **turned at risk** this week: at risk or off track as of ``ctx.today`` and neither a
  week earlier (assessed as of that day: updates, 1:1s and KPI values dated after it are
  ignored, and a goal's value is its latest update by then);
- 1:1s that have lapsed, and the next ones due within the coming week (a scheduled 1:1, or
  the last one plus the usual interval);
- open action items from their 1:1s that are overdue or due within the coming week;
- at most one coaching question per person, written in code from the above.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from tools.analytics.cadence import Cadence
from tools.context import ToolContext
from tools.goal_status import GoalState, assess_goals, goal_rows
from tools.goals import SEVERITY
from tools.resolve import visible_names
from tools.store.models import ActionItem, CheckIn, Goal, Person, ProgressUpdate

WEEK = dt.timedelta(days=7)
USUAL_DAYS = 14  # the interval assumed for 1:1s with no history
ACTION_DAYS = 182  # open action items are read from the 1:1s of the last six months
RISKY = frozenset({"at_risk", "off_track"})


@dataclass
class TurnedGoal:
    goal_id: str
    title: str
    owner_id: str
    owner: str
    status: str  # at_risk or off_track, now
    was: str  # the status a week earlier
    reasons: list[tuple[str, str]]  # (sentence, the ref it rests on)


@dataclass
class OneOnOne:
    person_id: str
    name: str
    last_held: dt.date | None
    days_since: int | None
    next_due: dt.date | None = None
    scheduled: bool = False  # next_due is a 1:1 on the calendar, not an estimate


@dataclass
class ActionDue:
    person_id: str  # the report whose 1:1 it came from
    name: str
    text: str
    owner: str
    due: dt.date
    ref: str  # checkin:<id>

    def overdue_days(self, today: dt.date) -> int:
        return (today - self.due).days


@dataclass
class Question:
    person_id: str
    name: str
    text: str
    ref: str


@dataclass
class Week:
    manager_id: str
    manager: str
    today: dt.date
    turned: list[TurnedGoal] = field(default_factory=list)
    lapsed: list[OneOnOne] = field(default_factory=list)
    due: list[OneOnOne] = field(default_factory=list)
    overdue_actions: list[ActionDue] = field(default_factory=list)
    due_actions: list[ActionDue] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def week(self) -> str:
        """The ISO week, e.g. ``2026-W36``: a digest is sent once per week and person."""
        year, number, _ = self.today.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def empty(self) -> bool:
        return not (self.turned or self.lapsed or self.due or self.overdue_actions or self.due_actions)


def _reports(ctx: ToolContext) -> list[Any]:
    rows = ctx.session.execute(select(Person.id, Person.name).where(Person.manager_id == ctx.viewer.person_id)
                               .order_by(Person.name)).all()
    seen = ctx.visible(r.id for r in rows)
    return [r for r in rows if r.id in seen]


def _as_of(ctx: ToolContext, goals: list[Any], day: dt.date) -> list[Any]:
    """Goal rows as they stood on ``day``: the value is the latest update by then (the baseline when
    every update came later; the recorded value when there are no updates at all)."""
    updates: dict[str, list[tuple[dt.date, float | None]]] = defaultdict(list)
    for goal_id, when, value in ctx.session.execute(
            select(ProgressUpdate.goal_id, ProgressUpdate.date, ProgressUpdate.value)
            .where(ProgressUpdate.goal_id.in_([g.id for g in goals])).order_by(ProgressUpdate.date)):
        updates[goal_id].append((when, value))
    out = []
    for g in goals:
        row = SimpleNamespace(**g._mapping)
        known = updates.get(g.id)
        if known:
            before = [v for when, v in known if when <= day and v is not None]
            row.current = before[-1] if before else g.baseline
        out.append(row)
    return out


def _next_due(ctx: ToolContext, people: list[str], cadences: dict[str, Cadence]) -> dict[str, tuple[dt.date, bool]]:
    """Per person, their next 1:1: the earliest on the calendar after today, else the usual interval
    after the last one held."""
    scheduled = dict(ctx.session.execute(
        select(CheckIn.employee_id, CheckIn.date).where(CheckIn.employee_id.in_(people), CheckIn.date > ctx.today)
        .order_by(CheckIn.date.desc())).all())  # the earliest date wins: it comes last
    out = {}
    for pid in people:
        if pid in scheduled:
            out[pid] = (scheduled[pid], True)
        elif cadences[pid].last_held is not None:
            every = round(cadences[pid].typical_days or USUAL_DAYS)
            out[pid] = (cadences[pid].last_held + dt.timedelta(days=every), False)
    return out


def _actions(ctx: ToolContext, names: dict[str, str]) -> list[ActionDue]:
    rows = ctx.session.execute(
        select(ActionItem.text, ActionItem.owner_id, ActionItem.due_date, CheckIn.id, CheckIn.employee_id)
        .join(CheckIn, CheckIn.id == ActionItem.checkin_id)
        .where(CheckIn.employee_id.in_(list(names)), CheckIn.date <= ctx.today,
               CheckIn.date >= ctx.today - dt.timedelta(days=ACTION_DAYS), ActionItem.done.is_(False),
               ActionItem.due_date.is_not(None), ActionItem.due_date <= ctx.today + WEEK)
        .order_by(ActionItem.due_date, CheckIn.id, ActionItem.position)).all()
    owners = visible_names(ctx, {r.owner_id for r in rows if r.owner_id})
    me = ctx.viewer.person_id
    return [ActionDue(r.employee_id, names[r.employee_id], r.text,
                      "you" if r.owner_id == me else owners.get(r.owner_id, "no owner"), r.due_date, f"checkin:{r.id}")
            for r in rows]


def _question(name: str, pid: str, turned: list[TurnedGoal], states: list[GoalState], overdue: list[ActionDue],
              lapsed: OneOnOne | None) -> Question | None:
    """One open question for the next 1:1 with ``name``, from what most needs talking about."""
    first = name.split()[0]
    if turned:
        goal = turned[0]
        return Question(pid, name, f"What changed this week on '{goal.title}', and what would help most to get it "
                                   f"back on track?", f"goal:{goal.goal_id}")
    blockers = [(b, s.goal.id) for s in states if s.risk.status in RISKY for b in s.blockers]
    if blockers:
        blocker, _ = blockers[0]
        return Question(pid, name, f"What would it take to clear \"{blocker.text}\", and who could help?", blocker.ref)
    theirs = [a for a in overdue if a.owner == name] or overdue
    if theirs:
        return Question(pid, name, f"What got in the way of \"{theirs[0].text}\", and what date can we commit to now?",
                        theirs[0].ref)
    if lapsed is not None and lapsed.last_held is not None:
        return Question(pid, name, f"What has taken most of your time since our last 1:1 on "
                                   f"{lapsed.last_held.isoformat()}, {first}?", f"person:{pid}")
    return None


def manager_week(ctx: ToolContext) -> Week:
    """The week of ``ctx.viewer``'s direct reports up to ``ctx.today`` (empty without reports)."""
    me = ctx.session.get(Person, ctx.viewer.person_id)
    week = Week(ctx.viewer.person_id, me.name if me else ctx.viewer.name, ctx.today)
    reports = _reports(ctx)
    if not reports:
        return week
    names = {r.id: r.name for r in reports}
    goals = ctx.session.connection().execute(goal_rows().where(Goal.owner_id.in_(list(names)))).all()
    now = assess_goals(ctx, goals, people=list(names))
    before = ToolContext(ctx.session, ctx.viewer, today=ctx.today - WEEK)
    then = assess_goals(before, _as_of(ctx, goals, before.today), people=list(names)).goals if goals else {}

    for g in goals:
        state = now.goals[g.id]
        was = then[g.id].risk.status if g.id in then else "unknown"
        if state.risk.status in RISKY and was not in RISKY:
            week.turned.append(TurnedGoal(g.id, g.title, g.owner_id, names[g.owner_id], state.risk.status, was,
                                          [(r.text, r.ref or f"goal:{g.id}") for r in state.risk.reasons]))
    week.turned.sort(key=lambda t: (SEVERITY[t.status], t.owner, t.title))

    next_due = _next_due(ctx, list(names), now.cadences)
    horizon = ctx.today + WEEK
    for pid, name in names.items():
        c = now.cadences[pid]
        if c.lapsed:
            week.lapsed.append(OneOnOne(pid, name, c.last_held, c.days_since, *next_due.get(pid, (None, False))))
        elif pid in next_due and next_due[pid][0] <= horizon:
            week.due.append(OneOnOne(pid, name, c.last_held, c.days_since, *next_due[pid]))
    week.due.sort(key=lambda o: (o.next_due, o.name))

    for action in _actions(ctx, names):
        (week.overdue_actions if action.due < ctx.today else week.due_actions).append(action)

    for pid, name in names.items():
        states = [now.goals[g.id] for g in goals if g.owner_id == pid]
        question = _question(name, pid, [t for t in week.turned if t.owner_id == pid], states,
                             [a for a in week.overdue_actions if a.person_id == pid],
                             next((o for o in week.lapsed if o.person_id == pid), None))
        if question:
            week.questions.append(question)
    return week

"""People tools: who someone is, and how a manager's direct reports are doing."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from sqlalchemy import bindparam, func, select

from tools.access import ToolError
from tools.analytics.cadence import Cadence
from tools.context import ToolContext
from tools.goal_status import GoalState, assess_goals, goal_rows
from tools.goals import SEVERITY, goal_data, goal_line
from tools.store.models import Goal, Person
from tools.resolve import find_person, visible_names
from tools.results import Fact, ToolResult
from tools.wording import iso, plural

# Attention score of a report: how urgently a manager should look at them.
OFF_TRACK_POINTS = 3  # per off-track goal
AT_RISK_POINTS = 1  # per at-risk goal
LAPSED_POINTS = 2  # when their 1:1s have lapsed
MAX_GOAL_FACTS = 12


def resolve_person(ctx: ToolContext, name: str) -> ToolResult:
    """Find a person in your reach by name, first name or email and say who they are: title, team, manager, direct reports and goal count. Use it when a name is unclear or before asking about someone.

    Args:
        name: full name, first name or email; "me" for yourself.
    """
    p = find_person(ctx, name)
    s = ctx.session
    reports = s.scalar(select(func.count()).select_from(Person).where(Person.manager_id == p.id))
    goals = s.scalar(select(func.count()).select_from(Goal).where(Goal.owner_id == p.id))
    manager = visible_names(ctx, {p.manager_id} if p.manager_id else set()).get(p.manager_id)
    role = {"hr_admin": "HR admin", "manager": "manager", "employee": "employee"}.get(p.role, p.role)
    job = ", ".join(x for x in (p.title, f"{p.department} team" if p.department else None) if x)
    text = (f"{p.name} <{p.email}>: {job or 'no title recorded'}; role {role}"
            + (f"; reports to {manager}" if manager else "")
            + f"; {plural(reports, 'direct report')}; {plural(goals, 'goal')}.")
    return ToolResult(text, [Fact(f"person:{p.id}", text)], {
        "id": p.id, "name": p.name, "email": p.email, "title": p.title, "department": p.department,
        "role": p.role, "manager": manager, "direct_reports": reports, "goals": goals,
    })


@cache
def _team_statements() -> dict[str, Any]:
    """A person (id, name), a manager's direct reports (id, name, title; by name) and their goals, built once."""
    return {"person": select(Person.id, Person.name).where(Person.id == bindparam("id")),
            "reports": select(Person.id, Person.name, Person.title, Person.active, Person.left_at)
            .where(Person.manager_id == bindparam("boss")).order_by(Person.name),
            "goals": goal_rows().where(Goal.owner_id.in_(bindparam("ids", expanding=True)))}


@dataclass
class ReportStatus:
    person: Any  # a row: id, name, title
    goals: list[GoalState]
    cadence: Cadence

    @cached_property
    def counts(self) -> Counter:
        return Counter(s.risk.status for s in self.goals)

    @cached_property
    def score(self) -> int:
        c = self.counts
        return (OFF_TRACK_POINTS * c["off_track"] + AT_RISK_POINTS * c["at_risk"]
                + LAPSED_POINTS * self.cadence.lapsed)

    def sentence(self) -> str:
        c = self.counts
        head = f"{self.person.name}" + (f" ({self.person.title})" if self.person.title else "")
        text = (f"{head}: {c['off_track']} off track and {c['at_risk']} at risk of {plural(len(self.goals), 'goal')}; "
                f"attention score {self.score}. ")
        return text + self.cadence.text.replace("1:1s", "Their 1:1s", 1)


def team_overview(ctx: ToolContext, manager: str = "") -> ToolResult:
    """Overview of a manager's direct reports: each goal's risk status with its main reason, lapsed 1:1s, and who needs attention first (ranked). Use it for "how is my team doing?" or "who needs my attention?".

    Args:
        manager: optional name or email of a manager in your reach; empty means yourself.
    """
    s = ctx.session
    boss = find_person(ctx, manager) if manager.strip() else \
        s.connection().execute(_team_statements()["person"], {"id": ctx.viewer.person_id}).one()
    direct = s.connection().execute(_team_statements()["reports"], {"boss": boss.id}).all()
    seen = ctx.visible({p.id for p in direct})
    people = [p for p in direct if p.id in seen and p.active]
    leavers = [p for p in direct if p.id in seen and not p.active]  # deactivated: shown as having left
    if not people and not leavers:
        raise ToolError(f"{boss.name} has no direct reports. Name a manager in your reach to see their team.")
    goals = s.connection().execute(_team_statements()["goals"], {"ids": [p.id for p in people]}).all()
    assessment = assess_goals(ctx, goals, people=[p.id for p in people])
    by_owner: dict[str, list[GoalState]] = {p.id: [] for p in people}
    for g in goals:
        by_owner[g.owner_id].append(assessment.goals[g.id])
    reports = [ReportStatus(p, sorted(by_owner[p.id], key=lambda st: (SEVERITY[st.risk.status], st.goal.title)),
                            assessment.cadences[p.id]) for p in people]
    reports.sort(key=lambda r: (-r.score, r.person.name))

    facts, goal_facts = [], 0
    for r in reports:
        facts.append(Fact(f"person:{r.person.id}", r.sentence()))
        for st in r.goals:
            if st.risk.status in ("off_track", "at_risk") and goal_facts < MAX_GOAL_FACTS:
                facts.append(Fact(f"goal:{st.goal.id}", goal_line(st, r.person.name), st.goal.due_date))
                goal_facts += 1
    for p in leavers:
        facts.append(Fact(f"person:{p.id}", f"{p.name} has left the team{left_on(p)}."))
    needing = [r for r in reports if r.score > 0]
    fine = len(reports) - len(needing)
    summary = (f"{boss.name}'s {plural(len(reports), 'direct report')} as of {ctx.today.isoformat()}: "
               + (f"{len(needing)} need{'s' * (len(needing) == 1)} attention, most first: "
                  + ", ".join(f"{r.person.name} (score {r.score})" for r in needing) if needing
                  else "none needs attention")
               + (f"; {fine} {'is' if fine == 1 else 'are'} fine." if needing and fine else ".")
               + (f" Left: {', '.join(p.name + left_on(p) for p in leavers)}." if leavers else ""))
    return ToolResult(summary, facts, {
        "manager": {"id": boss.id, "name": boss.name},
        "as_of": ctx.today.isoformat(),
        "reports": [{
            "id": r.person.id, "name": r.person.name, "title": r.person.title, "score": r.score,
            "goals": [goal_data(st) for st in r.goals],
            "cadence": {"last_held": iso(r.cadence.last_held), "days_since": r.cadence.days_since,
                        "typical_days": r.cadence.typical_days, "lapsed": r.cadence.lapsed,
                        "missed_recent": r.cadence.missed_recent},
        } for r in reports],
        "left": [{"id": p.id, "name": p.name, "title": p.title, "left_on": iso(p.left_at.date()) if p.left_at else None}
                 for p in leavers],
    })


def left_on(person: Any) -> str:
    return f" on {person.left_at.date().isoformat()}" if person.left_at else ""

"""Goal tools: list a person's goals, explain one goal's status, check a goal's quality."""
from __future__ import annotations

from sqlalchemy import select

from tools.access import ToolError
from tools.analytics.quality import GoalSpec, check, spec_from_text
from tools.context import ToolContext
from tools.goal_status import GoalState, assess_goals, goal_rows
from tools.store.models import CheckIn, Goal, checkin_goals
from tools.resolve import NoMatch, find_goal, find_person, visible_names
from tools.results import Fact, ToolResult
from tools.wording import iso, kind_label, plural, quoted, status_label

MAX_LISTED_GOALS = 20
SEVERITY = {"off_track": 0, "at_risk": 1, "unknown": 2, "on_track": 3}
RECENT_LINKED_CHECKINS = 2
LINKED_SLACK = 8  # extra rows read, in case some linked 1:1s are about people out of reach


def goal_line(state: GoalState, owner: str | None = None) -> str:
    """One sentence: kind, title, owner, due date, status, then its first reason (or the pace)."""
    g = state.goal
    who = f" of {owner}" if owner else ""
    due = f", due {g.due_date.isoformat()}" if g.due_date else ""
    detail = state.risk.reasons[0].text if state.risk.reasons else state.pace.text
    if state.risk.status == "unknown":
        detail = state.risk.text
    return f"{kind_label(g.kind)} '{g.title}'{who}{due}: {status_label(state.risk.status)}. {detail}"


def goal_data(state: GoalState) -> dict:
    g, p = state.goal, state.pace
    return {
        "id": g.id, "title": g.title, "kind": g.kind, "owner_id": g.owner_id, "due_date": iso(g.due_date),
        "status": state.risk.status, "declared_status": g.status,
        "reasons": [r.text for r in state.risk.reasons],
        "fraction": p.fraction, "expected_fraction": p.expected_fraction, "gap_points": p.gap_points,
    }


def list_goals(ctx: ToolContext, person: str) -> ToolResult:
    """List a person's goals with their computed risk status (on track, at risk, off track). Use it to see what someone is working on or which of their goals need help.

    Args:
        person: the person's name, first name or email; "me" for yourself.
    """
    owner = find_person(ctx, person)
    goals = ctx.session.connection().execute(goal_rows().where(Goal.owner_id == owner.id)).all()
    if not goals:
        return ToolResult(f"{owner.name} has no goals recorded.", [Fact(f"person:{owner.id}",
                          f"{owner.name} has no goals recorded as of {ctx.today.isoformat()}.")])
    assessed = assess_goals(ctx, goals).goals
    states = sorted((assessed[g.id] for g in goals),
                    key=lambda s: (SEVERITY[s.risk.status], s.goal.due_date or ctx.today, s.goal.title))
    counts = {st: sum(s.risk.status == st for s in states) for st in SEVERITY}
    tally = ", ".join(f"{n} {status_label(st)}" for st, n in counts.items() if n)
    shown = states[:MAX_LISTED_GOALS]
    more = f" (showing {len(shown)})" if len(states) > len(shown) else ""
    return ToolResult(
        f"{owner.name} has {plural(len(states), 'goal')} as of {ctx.today.isoformat()}: {tally}{more}.",
        [Fact(f"goal:{s.goal.id}", goal_line(s), s.goal.due_date) for s in shown],
        {"person": {"id": owner.id, "name": owner.name}, "goals": [goal_data(s) for s in shown]},
    )


def explain_goal(ctx: ToolContext, goal: str, person: str = "") -> ToolResult:
    """Explain why a goal is on track, at risk or off track: pace against plan, linked KPI trends, open blockers from 1:1 notes, latest progress updates, 1:1 cadence, and key results of an objective. Use it for "why is X off track?" or "how is X going?".

    Args:
        goal: words from the goal's title, e.g. "ticket backlog".
        person: optional name or email of the goal's owner, to narrow the search.
    """
    g = find_goal(ctx, goal, person)
    state = assess_goals(ctx, [g]).goals[g.id]
    parent = ctx.session.get(Goal, g.parent_id) if g.parent_id else None
    if parent is not None and not ctx.can_see(parent.owner_id):
        parent = None
    names = visible_names(ctx, {g.owner_id} | {kr.goal.owner_id for kr in state.key_results})
    ref = f"goal:{g.id}"
    span = f", {g.start_date.isoformat()} to {g.due_date.isoformat()}" if g.start_date and g.due_date else ""
    part = f", part of {kind_label(parent.kind).lower()} '{parent.title}'" if parent else ""
    declared = ""
    if g.status:
        declared = f" The owner's own status is {g.status.replace('_', ' ')}"
        declared += f" with confidence {g.confidence:.1f}." if g.confidence is not None else "."
    facts = [
        Fact(ref, f"{kind_label(g.kind)} '{g.title}' (owner {names[g.owner_id]}{span}{part}) is "
                  f"{status_label(state.risk.status)} as of {ctx.today.isoformat()}.{declared}"),
    ]
    if g.kind != "objective" or g.target is not None:
        facts.append(Fact(ref, f"Pace of '{g.title}': {state.pace.text}"))
    facts += [Fact(r.ref or ref, r.text) for r in state.risk.reasons if r.code != "pace"]  # pace: said above
    facts += [Fact(f"kpi:{k.id}", f"Linked KPI {t.text}", t.last_date) for k, t in state.kpis
              if t.verdict != "worsening"]
    cited = {r.ref for r in state.risk.reasons}
    facts += [Fact(f"goal:{kr.goal.id}", goal_line(kr, names.get(kr.goal.owner_id)), kr.goal.due_date)
              for kr in state.key_results if f"goal:{kr.goal.id}" not in cited]
    for u in state.updates:
        value = f" value {u.value:g}{' ' + g.unit if g.unit else ''}," if u.value is not None else ""
        status = f" status {u.status.replace('_', ' ')}," if u.status else ""
        note = f" note {quoted(u.note)}" if u.note else " no note"
        facts.append(Fact(f"update:{u.id}", f"Progress update on '{g.title}' dated {u.date.isoformat()}:"
                                             f"{value}{status}{note}.", u.date))
    if state.cadence is not None and not any(r.code == "cadence" for r in state.risk.reasons):
        facts.append(Fact(f"person:{g.owner_id}", state.cadence.text.replace("1:1s", f"{names[g.owner_id]}'s 1:1s", 1)))
    facts += _linked_checkins(ctx, g, cited)
    summary = f"'{g.title}' is {status_label(state.risk.status)}: " + (
        "; ".join(r.text.rstrip(".") for r in state.risk.reasons[:3]) or state.pace.text.rstrip(".")) + "."
    return ToolResult(summary, facts, {"goal": goal_data(state), "pace": state.pace.text})


def _linked_checkins(ctx: ToolContext, g: Goal, cited: set[str | None]) -> list[Fact]:
    """The latest held 1:1s that discussed this goal (notes and any blockers), unless already cited."""
    rows = ctx.session.execute(
        select(CheckIn.id, CheckIn.date, CheckIn.notes, CheckIn.blockers, CheckIn.employee_id)
        .join(checkin_goals, checkin_goals.c.checkin_id == CheckIn.id)
        .where(checkin_goals.c.goal_id == g.id, CheckIn.status == "held", CheckIn.date <= ctx.today)
        .order_by(CheckIn.date.desc(), CheckIn.id.desc()).limit(RECENT_LINKED_CHECKINS + LINKED_SLACK)
    ).all()
    seen = ctx.visible({row.employee_id for row in rows})  # a goal link never widens reach
    rows = [row for row in rows if row.employee_id in seen][:RECENT_LINKED_CHECKINS]
    facts = []
    for cid, day, notes, blockers, _ in rows:
        if f"checkin:{cid}" in cited:
            continue
        text = f"1:1 on {day.isoformat()} about '{g.title}': notes {quoted(notes)}"
        if blockers:
            text += "; blockers then: " + ", ".join(quoted(b, 120) for b in blockers)
        facts.append(Fact(f"checkin:{cid}", text + ".", day))
    return facts


def _spec(ctx: ToolContext, g: Goal) -> tuple[GoalSpec, dict[str, str]]:
    """The stored goal as a :class:`GoalSpec`, and a map from titles to goal refs."""
    refs = {g.title: f"goal:{g.id}"}
    krs = []
    if g.kind == "objective":
        for kr in ctx.session.scalars(select(Goal).where(Goal.parent_id == g.id, Goal.kind == "key_result")
                                      .order_by(Goal.id)):
            if ctx.can_see(kr.owner_id):
                krs.append(_spec(ctx, kr)[0])
                refs.setdefault(kr.title, f"goal:{kr.id}")
    spec = GoalSpec(title=g.title, kind=g.kind, description=g.description, metric=g.metric, unit=g.unit,
                    direction=g.direction, baseline=g.baseline, target=g.target, due=g.due_date,
                    aligned=g.parent_id is not None, key_results=tuple(krs))
    return spec, refs


def check_goal(ctx: ToolContext, goal: str, person: str = "", free_text: bool = False) -> ToolResult:
    """Check a goal against SMART (specific, measurable, achievable, relevant, time-bound) and, for an objective, OKR rules (2-5 key results that are measurable outcomes, not tasks). Use it to review or improve how a goal is written.

    Args:
        goal: words from a stored goal's title, or the full text of a draft goal. A draft OKR
            can be written as the objective on the first line and one key result per line
            starting with "KR", "-" or "1.".
        person: optional owner's name or email, to find a stored goal.
        free_text: true to check the text as written without looking for a stored goal.
    """
    text = (goal or "").strip()
    if not text:
        raise ToolError("Give the goal's title words or the text of a draft goal.")
    stored = None
    if not free_text:
        try:
            stored = find_goal(ctx, text, person)
        except NoMatch:
            if person.strip() or text.startswith("goal:"):
                raise
    if stored is not None:
        spec, refs = _spec(ctx, stored)
        where = f"Stored {kind_label(stored.kind).lower()} '{stored.title}'"
    else:
        spec, refs = spec_from_text(text), {}
        where = "The draft goal"
        if not free_text:
            where += " (no stored goal matched, so the text was checked as written)"
    failures = check(spec)
    facts = [Fact(refs.get(f.subject, "goal:draft"), f"'{f.subject}' fails {f.text()}.") for f in failures]
    if not failures:
        rules = "OKR and SMART" if spec.kind == "objective" else "SMART"
        facts.append(Fact(refs.get(spec.title, "goal:draft"), f"'{spec.title}' passes every {rules} check."))
        summary = f"{where} passes every check."
    else:
        summary = f"{where} fails {plural(len(failures), 'check')}: " + "; ".join(
            f"{f.criterion} ({f.subject})" if f.subject != spec.title else f.criterion for f in failures) + "."
    return ToolResult(summary, facts, {
        "goal_id": stored.id if stored else None,
        "failures": [{"criterion": f.criterion, "reason": f.reason, "subject": f.subject} for f in failures],
    })

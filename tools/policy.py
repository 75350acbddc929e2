"""The write policy: who may create, change or delete each kind of record, and which links
between records are allowed. Every write (API, web forms, import, anything added later)
goes through :mod:`tools.writes`, which asks this module first.

Reading follows reach (:mod:`tools.access`): a record about someone outside the viewer's
reach is unknown to them (:class:`OutOfReach`, a 404). Writing asks more:

| record | create | change | delete |
|---|---|---|---|
| 1:1 check-in (with its action items, goal links and private notes) | the manager chain above the report | the same | the same |
| goal, objective, key result | the manager chain above the owner (a manager also their own) | the same | the same |
| progress update | the goal's owner, or the chain above them | its author | its author |
| KPI value | the KPI's owner, or the chain above them | the same | the same |
| feedback | its giver (see the kinds below) | its giver | its giver |
| ticking an action item done | | its owner, or the chain above the report | |
| person (name, email, manager, active, directory ids) | provisioning (SCIM) or import | the same | provisioning deactivates (records stay) |

Feedback kinds are tied to who gives it to whom: ``self`` only about oneself; ``upward``
only to one's own manager; ``peer`` to a colleague with the same manager; ``praise`` and
``constructive`` to someone in one's reach other than oneself.

An **hr_admin** reaches everyone and acts as the manager chain of everyone: they may write
1:1s, goals and KPI values for anyone, and delete progress updates and feedback (moderation),
but they do not change what someone else wrote in their own name (updates, feedback).
An **import** is an admin action: it is run by whoever runs ``coach import`` (shell access to
the server) and is checked for consistency, not for authorship (see docs/bundle-format.md).
**Provisioning** (SCIM, :mod:`tools.writes.people`) is one too, by the directory's provisioning
token: one record per person, managers that exist, no management loops.

Links: a 1:1 about a report may link only goals of that report or of a manager above them
(a team goal), so everyone who can see the goal can also see the report; a KPI may link
only goals whose owner is in one management line with the KPI's owner; every person or goal
a write names must be in the writer's reach.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from tools.access import managers_above
from tools.context import ToolContext
from tools.errors import InvalidField, NotAllowed, OutOfReach
from tools.store.models import KPI, CheckIn, Feedback, Goal, Person, ProgressUpdate

NOT_FOUND = "That record is not in your reach, or does not exist."


def person(ctx: ToolContext, person_id: str) -> Person:
    """The person if the viewer may see them; :class:`OutOfReach` otherwise (same for unknown ids)."""
    found = ctx.session.get(Person, person_id) if person_id else None
    if found is None or not ctx.can_see(person_id):
        raise OutOfReach("That person is not in your reporting chain, or does not exist.")
    return found


def above(ctx: ToolContext, person_id: str) -> bool:
    """Whether the viewer is an hr_admin or a manager above ``person_id`` (not the person themself)."""
    v = ctx.viewer
    if v.is_admin:
        return True
    return v.role == "manager" and person_id != v.person_id and ctx.can_see(person_id)


def known(ctx: ToolContext, ids: Iterable[str | None]) -> set[str]:
    """Those of ``ids`` the viewer may be shown: people in reach, and the viewer's own manager."""
    wanted = {i for i in ids if i}
    shown = ctx.visible(wanted)
    if wanted - shown:
        me = ctx.session.get(Person, ctx.viewer.person_id)
        if me is not None and me.manager_id in wanted:
            shown.add(me.manager_id)
    return shown


def _name(ctx: ToolContext, person_id: str) -> str:
    p = ctx.session.get(Person, person_id)
    return p.name if p else person_id


# -- 1:1s ---------------------------------------------------------------------------------

def may_write_checkin(ctx: ToolContext, employee_id: str) -> None:
    """1:1s about a report (notes, private notes, action items, goal links): their manager chain."""
    person(ctx, employee_id)
    if not above(ctx, employee_id):
        raise NotAllowed(f"Only {_name(ctx, employee_id)}'s manager chain (or an HR admin) may write their 1:1s.")


def may_read_private(ctx: ToolContext, employee_id: str) -> bool:
    """Private 1:1 notes are read by the manager chain above the report only (never by the report)."""
    return above(ctx, employee_id)


def may_tick_action(ctx: ToolContext, checkin: CheckIn, owner_id: str | None) -> None:
    """An action item is ticked by its owner or by the manager chain above the report."""
    if owner_id == ctx.viewer.person_id:
        return
    person(ctx, checkin.employee_id)
    if not above(ctx, checkin.employee_id):
        raise NotAllowed("Only the action item's owner or the report's manager chain may tick it.")


# -- goals and progress -------------------------------------------------------------------

def may_write_goal(ctx: ToolContext, owner_id: str) -> None:
    """Goals are set and changed by the manager chain above their owner, and by a manager for
    themself (their team's objectives); an employee records progress on theirs."""
    person(ctx, owner_id)
    own_team = owner_id == ctx.viewer.person_id and ctx.viewer.role == "manager"
    if not (own_team or above(ctx, owner_id)):
        raise NotAllowed(f"Only {_name(ctx, owner_id)}'s manager chain (or an HR admin) may set or change "
                         "their goals; record progress with a progress update instead.")


def may_add_progress(ctx: ToolContext, goal: Goal) -> None:
    """Progress on a goal is recorded by its owner or by the manager chain above them."""
    person(ctx, goal.owner_id)
    if goal.owner_id != ctx.viewer.person_id and not above(ctx, goal.owner_id):
        raise NotAllowed("Only the goal's owner or their manager chain may record progress on it.")


def may_change_progress(ctx: ToolContext, update: ProgressUpdate, goal: Goal, *, delete: bool = False) -> None:
    """A progress update is changed by its author only; an hr_admin may also delete it."""
    person(ctx, goal.owner_id)
    if update.author_id == ctx.viewer.person_id or (delete and ctx.viewer.is_admin):
        return
    raise NotAllowed("Only the person who wrote this progress update may change it.")


def may_write_kpi_value(ctx: ToolContext, kpi: KPI) -> None:
    """A KPI's values are entered by its owner or by the manager chain above them."""
    person(ctx, kpi.owner_id)
    if kpi.owner_id != ctx.viewer.person_id and not above(ctx, kpi.owner_id):
        raise NotAllowed("Only the KPI's owner or their manager chain may enter its values.")


# -- feedback -----------------------------------------------------------------------------

def feedback_kind_problem(giver: Person, receiver: Person, kind: str) -> str | None:
    """Why ``giver`` may not give ``kind`` feedback to ``receiver`` (whoever writes it), or ``None``."""
    if kind == "self":
        return None if giver.id == receiver.id else "a self-assessment is about its writer: to_id must be you"
    if giver.id == receiver.id:
        return f"feedback to yourself is a self-assessment: use kind 'self', not {kind!r}"
    if kind == "upward" and receiver.id != giver.manager_id:
        return "upward feedback goes to your own manager only"
    if kind == "peer" and (giver.manager_id is None or receiver.manager_id != giver.manager_id):
        return "peer feedback goes to a colleague with the same manager"
    return None


def may_give_feedback(ctx: ToolContext, to_id: str, kind: str) -> Person:
    """The receiver, if the viewer may give them ``kind`` feedback (the viewer is always the giver).

    ``self``, ``upward`` and ``peer`` name someone the giver knows by position (themself, their
    manager, a colleague with the same manager); ``praise`` and ``constructive`` need reach."""
    giver = ctx.session.get(Person, ctx.viewer.person_id)
    receiver = ctx.session.get(Person, to_id)
    positional = receiver is not None and giver is not None and (
        receiver.id in (giver.id, giver.manager_id)
        or (giver.manager_id is not None and receiver.manager_id == giver.manager_id))
    if receiver is None or giver is None or not (positional or ctx.can_see(to_id)):
        raise InvalidField("to_id", f"no person {to_id!r} you can give feedback to")
    problem = feedback_kind_problem(giver, receiver, kind)
    if problem:
        raise InvalidField("kind", problem)
    return receiver


def may_change_feedback(ctx: ToolContext, f: Feedback, *, delete: bool = False) -> None:
    """Feedback is changed by its giver only; an hr_admin may also delete it (moderation)."""
    if f.from_id == ctx.viewer.person_id or (delete and ctx.viewer.is_admin):
        return
    raise NotAllowed("Only the person who gave this feedback may change it.")


def feedback_or_deny(ctx: ToolContext, feedback_id: str) -> Feedback:
    """Feedback the viewer may read: about someone in reach, or given by the viewer."""
    f = ctx.session.get(Feedback, feedback_id)
    if f is None or not (f.from_id == ctx.viewer.person_id or ctx.can_see(f.to_id)):
        raise OutOfReach("No such feedback in your reach.")
    return f


# -- links between records ----------------------------------------------------------------

def in_line(ctx: ToolContext, upper: str, lower: str) -> bool:
    """Whether ``upper`` is ``lower`` or one of the managers above ``lower``."""
    if upper == lower:
        return True
    chain = managers_above(ctx.session, [lower], upper)
    return upper in chain.values()


def goal_ref(ctx: ToolContext, goal_id: str, field: str) -> Goal:
    """A goal a write names, checked to be in the writer's reach (else an error on ``field``)."""
    goal = ctx.session.get(Goal, goal_id)
    if goal is None or not ctx.can_see(goal.owner_id):
        raise InvalidField(field, f"no goal {goal_id!r} in your reach")
    return goal


def person_ref(ctx: ToolContext, person_id: str | None, field: str) -> str | None:
    """A person a write names, checked to be in the writer's reach (else an error on ``field``)."""
    if person_id is None:
        return None
    if ctx.session.get(Person, person_id) is None or not ctx.can_see(person_id):
        raise InvalidField(field, f"no person {person_id!r} in your reach")
    return person_id


def checkin_goals(ctx: ToolContext, employee_id: str, goal_ids: list[str]) -> list[Goal]:
    """The goals a 1:1 about ``employee_id`` links: each in reach, and the report's own or a team goal
    of a manager above them (never another report's goal: its page would show this 1:1's notes)."""
    goals = []
    for i, gid in enumerate(dict.fromkeys(goal_ids)):
        goal = goal_ref(ctx, gid, f"goal_ids.{i}")
        if not in_line(ctx, goal.owner_id, employee_id):
            raise InvalidField(f"goal_ids.{i}", f"goal {gid!r} belongs to someone else: a 1:1 links only goals "
                               "of its report or a team goal of their managers")
        goals.append(goal)
    return goals


def kpi_goal_problem(ctx: ToolContext, kpi_owner: str, goal_owner: str) -> str | None:
    if in_line(ctx, kpi_owner, goal_owner) or in_line(ctx, goal_owner, kpi_owner):
        return None
    return "a KPI links only goals of its owner, of people below them, or of their managers"


def visible_checkins(ctx: ToolContext, rows: Iterable[CheckIn]) -> list[CheckIn]:
    """Those 1:1s whose report is in the viewer's reach (a link from a goal never widens reach)."""
    rows = list(rows)
    seen = ctx.visible({c.employee_id for c in rows})
    return [c for c in rows if c.employee_id in seen]


def goals_in_reach(ctx: ToolContext, goal_ids: Iterable[str]) -> list[str]:
    """Those of ``goal_ids`` whose owner is in reach, sorted."""
    ids = sorted(set(goal_ids))
    if not ids:
        return []
    owners = dict(ctx.session.execute(select(Goal.id, Goal.owner_id).where(Goal.id.in_(ids))).all())
    seen = ctx.visible(owners.values())
    return [g for g in ids if owners.get(g) in seen]

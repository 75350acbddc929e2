"""Writes of goals, objectives and key results: create, change, delete.

Goals are set by the manager chain above their owner (:func:`tools.policy.may_write_goal`);
the owner records progress (:mod:`tools.writes.progress`). A parent goal must be in the
writer's reach, and a key result's parent must be an objective.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tools import policy, rules
from tools.context import ToolContext
from tools.errors import InvalidField, OutOfReach
from tools.store.models import Goal
from tools.writes.inputs import GoalIn, GoalPatch, KeyResultIn
from tools.writes.trail import columns, log, new_id


def goal_or_deny(ctx: ToolContext, goal_id: str) -> Goal:
    """The goal if its owner is in the viewer's reach; :class:`OutOfReach` otherwise."""
    goal = ctx.session.get(Goal, goal_id)
    if goal is None or not ctx.can_see(goal.owner_id):
        raise OutOfReach("That goal is not in your reach, or does not exist.")
    return goal


def _check_parent(ctx: ToolContext, parent_id: str | None, kind: str) -> None:
    if parent_id is None:
        return
    parent = policy.goal_ref(ctx, parent_id, "parent_id")
    if kind == "key_result" and parent.kind != "objective":
        raise InvalidField("parent_id", f"a key result's parent must be an objective; {parent_id!r} is a {parent.kind}")
    if parent.kind == "key_result":
        raise InvalidField("parent_id", "a key result cannot be a parent")


def _add(ctx: ToolContext, goal: Goal) -> Goal:
    ctx.session.add(goal)
    ctx.session.flush()
    log(ctx, "create", "goal", goal.id, goal.owner_id, None, columns(goal))
    return goal


def create_goal(ctx: ToolContext, data: GoalIn, *, goal_id: str | None = None) -> Goal:
    """Create a goal, objective or key result for someone whose manager chain the writer is in."""
    policy.person_ref(ctx, data.owner_id, "owner_id")
    policy.may_write_goal(ctx, data.owner_id)
    _check_parent(ctx, data.parent_id, data.kind)
    return _add(ctx, Goal(id=goal_id or new_id("g"), **data.model_dump()))


def create_key_result(ctx: ToolContext, objective_id: str, data: KeyResultIn) -> Goal:
    """Add a key result to an objective (owner: the objective's owner unless given)."""
    objective = goal_or_deny(ctx, objective_id)
    if objective.kind != "objective":
        raise InvalidField("goal_id", f"key results belong to objectives; {objective_id!r} is a {objective.kind}")
    fields: dict[str, Any] = data.model_dump()
    fields["owner_id"] = policy.person_ref(ctx, fields["owner_id"], "owner_id") or objective.owner_id
    policy.may_write_goal(ctx, fields["owner_id"])
    return _add(ctx, Goal(id=new_id("g"), kind="key_result", parent_id=objective.id, **fields))


def update_goal(ctx: ToolContext, goal_id: str, changes: GoalPatch) -> Goal:
    """Change fields of a goal; fields left out keep their value. Dates are checked as merged."""
    goal = goal_or_deny(ctx, goal_id)
    policy.may_write_goal(ctx, goal.owner_id)
    given = changes.model_dump(exclude_unset=True)
    problem = rules.date_order_problem(rules.merged(goal, given, "start_date"), rules.merged(goal, given, "due_date"))
    if problem:
        raise InvalidField("due_date" if "due_date" in given else "start_date", problem)
    before = columns(goal)
    for key, value in given.items():
        setattr(goal, key, value)
    ctx.session.flush()
    log(ctx, "update", "goal", goal.id, goal.owner_id, before, columns(goal))
    return goal


def delete_goal(ctx: ToolContext, goal_id: str) -> None:
    """Delete a goal with its progress updates (its 1:1 and KPI links go too); a goal that others
    are aligned to, or an objective with key results, is refused."""
    goal = goal_or_deny(ctx, goal_id)
    policy.may_write_goal(ctx, goal.owner_id)
    children = ctx.session.scalar(select(func.count()).select_from(Goal).where(Goal.parent_id == goal.id))
    if children:
        raise InvalidField("goal_id", f"{children} goal(s) or key results belong to this goal: delete or move them first")
    before = columns(goal)
    ctx.session.delete(goal)
    ctx.session.flush()
    log(ctx, "delete", "goal", goal_id, before["owner_id"], before, None)

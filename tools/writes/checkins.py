"""Writes of 1:1 check-ins: create, change, delete, and tick an action item.

Only the manager chain above the report writes a 1:1 (:func:`tools.policy.may_write_checkin`);
its goal links stay within the report's line (:func:`tools.policy.checkin_goals`) and its
action items name people in the writer's reach.
"""
from __future__ import annotations

from typing import Any

from tools import policy
from tools.context import ToolContext
from tools.errors import OutOfReach
from tools.store.models import ActionItem, CheckIn, Person
from tools.writes.inputs import ActionItemIn, CheckInIn, CheckInPatch
from tools.writes.trail import columns, log, new_id


def snapshot(c: CheckIn) -> dict[str, Any]:
    data = columns(c)
    data["goal_ids"] = sorted(g.id for g in c.goals)
    data["action_items"] = [columns(a, skip=("checkin_id",)) for a in c.action_items]
    return data


def checkin_or_deny(ctx: ToolContext, checkin_id: str) -> CheckIn:
    """The 1:1 if its report is in the viewer's reach; :class:`OutOfReach` otherwise."""
    c = ctx.session.get(CheckIn, checkin_id)
    if c is None or not ctx.can_see(c.employee_id):
        raise OutOfReach("No such 1:1 in your reach.")
    return c


def _actions(ctx: ToolContext, items: list[ActionItemIn]) -> list[ActionItem]:
    return [ActionItem(position=i, text=a.text, owner_id=policy.person_ref(ctx, a.owner_id, f"action_items.{i}.owner_id"),
                       due_date=a.due_date, done=a.done) for i, a in enumerate(items)]


def create_checkin(ctx: ToolContext, data: CheckInIn, *, checkin_id: str | None = None) -> CheckIn:
    """Record a 1:1 about a report; its manager is the report's manager (or the writer)."""
    policy.person_ref(ctx, data.employee_id, "employee_id")
    policy.may_write_checkin(ctx, data.employee_id)
    employee = ctx.session.get(Person, data.employee_id)
    goals = policy.checkin_goals(ctx, employee.id, data.goal_ids)
    actions = _actions(ctx, data.action_items)
    c = CheckIn(id=checkin_id or new_id("c"), employee_id=employee.id,
                manager_id=employee.manager_id or ctx.viewer.person_id, date=data.date, status=data.status,
                notes=data.notes, private_notes=data.private_notes, blockers=list(data.blockers))
    c.goals, c.action_items = goals, actions
    ctx.session.add(c)
    ctx.session.flush()
    log(ctx, "create", "checkin", c.id, c.employee_id, None, snapshot(c))
    return c


def update_checkin(ctx: ToolContext, checkin_id: str, changes: CheckInPatch) -> CheckIn:
    """Change a 1:1; ``goal_ids`` and ``action_items``, when given, replace the old lists (links the
    writer cannot see are kept)."""
    c = checkin_or_deny(ctx, checkin_id)
    policy.may_write_checkin(ctx, c.employee_id)
    before = snapshot(c)
    given = changes.model_dump(exclude_unset=True, exclude={"goal_ids", "action_items"})
    if changes.goal_ids is not None:
        unseen = [g for g in c.goals if not ctx.can_see(g.owner_id)]
        c.goals = policy.checkin_goals(ctx, c.employee_id, changes.goal_ids) + unseen
    if changes.action_items is not None:
        c.action_items = _actions(ctx, changes.action_items)
    for key, value in given.items():
        setattr(c, key, value)
    ctx.session.flush()
    log(ctx, "update", "checkin", c.id, c.employee_id, before, snapshot(c))
    return c


def delete_checkin(ctx: ToolContext, checkin_id: str) -> None:
    c = checkin_or_deny(ctx, checkin_id)
    policy.may_write_checkin(ctx, c.employee_id)
    before = snapshot(c)
    ctx.session.delete(c)
    ctx.session.flush()
    log(ctx, "delete", "checkin", checkin_id, before["employee_id"], before, None)


def set_action_done(ctx: ToolContext, item_id: int, done: bool) -> ActionItem:
    """Tick (or untick) an action item: its owner or the manager chain above the report."""
    item = ctx.session.get(ActionItem, item_id)
    if item is None:
        raise OutOfReach("No such action item in your reach.")
    c = item.checkin
    if item.owner_id != ctx.viewer.person_id and not ctx.can_see(c.employee_id):
        raise OutOfReach("No such action item in your reach.")
    policy.may_tick_action(ctx, c, item.owner_id)
    before = columns(item)
    item.done = done
    ctx.session.flush()
    log(ctx, "update", "action_item", item.id, c.employee_id, before, columns(item))
    return item

"""Writes of progress updates on a goal: the owner (or the chain above them) records progress;
only the author changes an update later (an hr_admin may delete one)."""
from __future__ import annotations

from sqlalchemy import select

from tools import policy
from tools.context import ToolContext
from tools.errors import OutOfReach
from tools.store.models import Goal, ProgressUpdate
from tools.writes.goals import goal_or_deny
from tools.writes.inputs import UpdateIn, UpdatePatch
from tools.writes.trail import columns, log, new_id


def update_or_deny(ctx: ToolContext, update_id: str) -> ProgressUpdate:
    """The progress update if its goal's owner is in the viewer's reach."""
    update = ctx.session.get(ProgressUpdate, update_id)
    if update is None:
        raise OutOfReach("No such progress update in your reach.")
    goal_or_deny(ctx, update.goal_id)
    return update


def _latest_date(ctx: ToolContext, goal: Goal):
    return ctx.session.scalar(select(ProgressUpdate.date).where(ProgressUpdate.goal_id == goal.id)
                              .order_by(ProgressUpdate.date.desc()).limit(1))


def add_progress(ctx: ToolContext, goal_id: str, data: UpdateIn) -> ProgressUpdate:
    """Record progress on a goal; the writer is its author. A value also becomes the goal's current
    value when the update is the latest."""
    goal = goal_or_deny(ctx, goal_id)
    policy.may_add_progress(ctx, goal)
    latest = _latest_date(ctx, goal)
    update = ProgressUpdate(id=new_id("u"), goal_id=goal.id, author_id=ctx.viewer.person_id, **data.model_dump())
    ctx.session.add(update)
    if data.value is not None and (latest is None or data.date >= latest):
        goal.current = data.value
    ctx.session.flush()
    log(ctx, "create", "progress_update", update.id, goal.owner_id, None, columns(update))
    return update


def update_progress(ctx: ToolContext, update_id: str, changes: UpdatePatch) -> ProgressUpdate:
    update = update_or_deny(ctx, update_id)
    goal = ctx.session.get(Goal, update.goal_id)
    policy.may_change_progress(ctx, update, goal)
    before = columns(update)
    for key, value in changes.model_dump(exclude_unset=True).items():
        setattr(update, key, value)
    ctx.session.flush()
    log(ctx, "update", "progress_update", update.id, goal.owner_id, before, columns(update))
    return update


def delete_progress(ctx: ToolContext, update_id: str) -> None:
    update = update_or_deny(ctx, update_id)
    goal = ctx.session.get(Goal, update.goal_id)
    policy.may_change_progress(ctx, update, goal, delete=True)
    before = columns(update)
    ctx.session.delete(update)
    ctx.session.flush()
    log(ctx, "delete", "progress_update", update_id, goal.owner_id, before, None)

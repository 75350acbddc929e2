"""Writes of feedback: the writer is always the giver, and the kind must fit who gives it to whom
(:func:`tools.policy.may_give_feedback`); only the giver changes it (an hr_admin may delete it)."""
from __future__ import annotations

from tools import policy
from tools.context import ToolContext
from tools.errors import InvalidField
from tools.store.models import Feedback, Person
from tools.writes.inputs import FeedbackIn, FeedbackPatch
from tools.writes.trail import columns, log, new_id


def give_feedback(ctx: ToolContext, data: FeedbackIn, *, feedback_id: str | None = None) -> Feedback:
    receiver = policy.may_give_feedback(ctx, data.to_id, data.kind)
    f = Feedback(id=feedback_id or new_id("f"), from_id=ctx.viewer.person_id, to_id=receiver.id, date=data.date,
                 kind=data.kind, text=data.text)
    ctx.session.add(f)
    ctx.session.flush()
    log(ctx, "create", "feedback", f.id, f.to_id, None, columns(f))
    return f


def update_feedback(ctx: ToolContext, feedback_id: str, changes: FeedbackPatch) -> Feedback:
    f = policy.feedback_or_deny(ctx, feedback_id)
    policy.may_change_feedback(ctx, f)
    given = changes.model_dump(exclude_unset=True)
    if "kind" in given:
        problem = policy.feedback_kind_problem(ctx.session.get(Person, f.from_id), ctx.session.get(Person, f.to_id),
                                               given["kind"])
        if problem:
            raise InvalidField("kind", problem)
    before = columns(f)
    for key, value in given.items():
        setattr(f, key, value)
    ctx.session.flush()
    log(ctx, "update", "feedback", f.id, f.to_id, before, columns(f))
    return f


def delete_feedback(ctx: ToolContext, feedback_id: str) -> None:
    f = policy.feedback_or_deny(ctx, feedback_id)
    policy.may_change_feedback(ctx, f, delete=True)
    before = columns(f)
    ctx.session.delete(f)
    ctx.session.flush()
    log(ctx, "delete", "feedback", feedback_id, before["to_id"], before, None)

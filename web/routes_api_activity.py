"""JSON API: 1:1 check-ins with action items, KPI values, feedback. Writes go through the one
write layer (:mod:`tools.writes`); outputs leave out ids of records outside the caller's reach."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from tools import policy, writes
from tools.context import ToolContext
from tools.store.models import CheckIn, Feedback, KPIValue
from web import views
from web.api_common import RESPONSES, PathId, ReadAuth, WriteAuth, api_context
from web.deps import Db
from web.errors import invalid
from web.schemas import (
    ActionItemOut,
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    Day,
    FeedbackIn,
    FeedbackOut,
    FeedbackPatch,
    KpiOut,
    KpiValueIn,
    KpiValueOut,
)

router = APIRouter(prefix="/api", responses=RESPONSES)
MAX_LISTED = 200


# -- check-ins ---------------------------------------------------------------------------

def checkin_out(ctx: ToolContext, c: CheckIn) -> CheckInOut:
    """A 1:1 as the caller may see it: goals, people and private notes outside their reach left out."""
    shown = policy.known(ctx, [c.manager_id, *(a.owner_id for a in c.action_items)])
    items = [ActionItemOut(id=a.id, text=a.text, owner_id=a.owner_id if a.owner_id in shown else None,
                           due_date=a.due_date, done=a.done) for a in c.action_items]
    return CheckInOut(id=c.id, employee_id=c.employee_id, manager_id=c.manager_id if c.manager_id in shown else None,
                      date=c.date, status=c.status, notes=c.notes,
                      private_notes=c.private_notes if policy.may_read_private(ctx, c.employee_id) else None,
                      blockers=list(c.blockers or []), goal_ids=policy.goals_in_reach(ctx, (g.id for g in c.goals)),
                      action_items=items)


@router.get("/people/{person_id}/checkins", response_model=list[CheckInOut], tags=["check-ins"])
def list_checkins(person_id: PathId, auth: ReadAuth, db: Db) -> list[CheckInOut]:
    """A person's 1:1s (as the report), newest first."""
    ctx = api_context(db, auth)
    person = views.person_or_deny(ctx, person_id)
    rows = db.scalars(select(CheckIn).where(CheckIn.employee_id == person.id)
                      .order_by(CheckIn.date.desc(), CheckIn.id.desc()).limit(MAX_LISTED))
    return [checkin_out(ctx, c) for c in rows]


@router.post("/checkins", response_model=CheckInOut, status_code=201, tags=["check-ins"])
def create_checkin(body: CheckInIn, auth: WriteAuth, db: Db) -> CheckInOut:
    """Record a 1:1 with a report of yours (direct or indirect); its manager is the report's manager."""
    ctx = api_context(db, auth)
    c = writes.create_checkin(ctx, body)
    db.commit()
    return checkin_out(ctx, c)


@router.get("/checkins/{checkin_id}", response_model=CheckInOut, tags=["check-ins"])
def get_checkin(checkin_id: PathId, auth: ReadAuth, db: Db) -> CheckInOut:
    ctx = api_context(db, auth)
    return checkin_out(ctx, writes.checkin_or_deny(ctx, checkin_id))


@router.patch("/checkins/{checkin_id}", response_model=CheckInOut, tags=["check-ins"])
def update_checkin(checkin_id: PathId, body: CheckInPatch, auth: WriteAuth, db: Db) -> CheckInOut:
    """Change a 1:1 (its report's manager chain only); ``goal_ids`` and ``action_items``, when given,
    replace the old lists."""
    ctx = api_context(db, auth)
    c = writes.update_checkin(ctx, checkin_id, body)
    db.commit()
    return checkin_out(ctx, c)


@router.delete("/checkins/{checkin_id}", status_code=204, tags=["check-ins"])
def delete_checkin(checkin_id: PathId, auth: WriteAuth, db: Db) -> None:
    writes.delete_checkin(api_context(db, auth), checkin_id)
    db.commit()


# -- KPIs --------------------------------------------------------------------------------

@router.get("/kpis/{kpi_id}", response_model=KpiOut, tags=["KPIs"])
def get_kpi(kpi_id: PathId, auth: ReadAuth, db: Db, since: Annotated[Day | None, Query()] = None,
            until: Annotated[Day | None, Query()] = None) -> KpiOut:
    """A KPI and its values (optionally between ``since`` and ``until``), oldest first."""
    kpi = writes.kpi_or_deny(api_context(db, auth), kpi_id)
    query = select(KPIValue).where(KPIValue.kpi_id == kpi.id)
    if since:
        query = query.where(KPIValue.date >= since)
    if until:
        query = query.where(KPIValue.date <= until)
    values = db.scalars(query.order_by(KPIValue.date))
    return KpiOut(id=kpi.id, name=kpi.name, unit=kpi.unit, direction=kpi.direction, owner_id=kpi.owner_id,
                  scope=kpi.scope, values=[KpiValueOut(kpi_id=v.kpi_id, date=v.date, value=v.value) for v in values])


@router.put("/kpis/{kpi_id}/values/{day}", response_model=KpiValueOut, tags=["KPIs"])
def put_kpi_value(kpi_id: PathId, day: Day, body: KpiValueIn, auth: WriteAuth, db: Db) -> KpiValueOut:
    """Set the KPI's value for a date (one value per date: an existing one is replaced)."""
    if body.date != day:
        raise invalid("date", f"must equal the date in the path ({day.isoformat()})")
    return _set_value(kpi_id, body, auth, db)


@router.post("/kpis/{kpi_id}/values", response_model=KpiValueOut, status_code=201, tags=["KPIs"])
def add_kpi_value(kpi_id: PathId, body: KpiValueIn, auth: WriteAuth, db: Db) -> KpiValueOut:
    """Record the KPI's value for a date (replacing any value already recorded for that date)."""
    return _set_value(kpi_id, body, auth, db)


@router.delete("/kpis/{kpi_id}/values/{day}", status_code=204, tags=["KPIs"])
def delete_kpi_value(kpi_id: PathId, day: Day, auth: WriteAuth, db: Db) -> None:
    writes.delete_kpi_value(api_context(db, auth), kpi_id, day)
    db.commit()


def _set_value(kpi_id: str, body: KpiValueIn, auth, db: Db) -> KpiValueOut:
    row = writes.set_kpi_value(api_context(db, auth), kpi_id, body.date, body.value)
    db.commit()
    return KpiValueOut(kpi_id=row.kpi_id, date=row.date, value=row.value)


# -- feedback ----------------------------------------------------------------------------

def feedback_out(ctx: ToolContext, f: Feedback) -> FeedbackOut:
    mine = f.from_id == ctx.viewer.person_id
    shown = mine or (f.kind != "upward" and ctx.can_see(f.from_id))
    return FeedbackOut(id=f.id, from_id=f.from_id if shown else None, to_id=f.to_id, date=f.date, kind=f.kind,
                       text=f.text)


@router.get("/people/{person_id}/feedback", response_model=list[FeedbackOut], tags=["feedback"])
def list_feedback(person_id: PathId, auth: ReadAuth, db: Db) -> list[FeedbackOut]:
    """Feedback a person received, newest first."""
    ctx = api_context(db, auth)
    person = views.person_or_deny(ctx, person_id)
    rows = db.scalars(select(Feedback).where(Feedback.to_id == person.id)
                      .order_by(Feedback.date.desc(), Feedback.id).limit(MAX_LISTED))
    return [feedback_out(ctx, f) for f in rows]


@router.post("/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"])
def create_feedback(body: FeedbackIn, auth: WriteAuth, db: Db) -> FeedbackOut:
    """Give feedback; you are its giver. ``self`` is about yourself, ``upward`` goes to your manager,
    ``peer`` to a colleague with the same manager, ``praise`` and ``constructive`` to someone in your reach."""
    ctx = api_context(db, auth)
    f = writes.give_feedback(ctx, body)
    db.commit()
    return feedback_out(ctx, f)


@router.get("/feedback/{feedback_id}", response_model=FeedbackOut, tags=["feedback"])
def get_feedback(feedback_id: PathId, auth: ReadAuth, db: Db) -> FeedbackOut:
    ctx = api_context(db, auth)
    return feedback_out(ctx, policy.feedback_or_deny(ctx, feedback_id))


@router.patch("/feedback/{feedback_id}", response_model=FeedbackOut, tags=["feedback"])
def update_feedback(feedback_id: PathId, body: FeedbackPatch, auth: WriteAuth, db: Db) -> FeedbackOut:
    """Change feedback you gave."""
    ctx = api_context(db, auth)
    f = writes.update_feedback(ctx, feedback_id, body)
    db.commit()
    return feedback_out(ctx, f)


@router.delete("/feedback/{feedback_id}", status_code=204, tags=["feedback"])
def delete_feedback(feedback_id: PathId, auth: WriteAuth, db: Db) -> None:
    """Delete feedback you gave (an HR admin may delete any)."""
    writes.delete_feedback(api_context(db, auth), feedback_id)
    db.commit()

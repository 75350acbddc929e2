"""JSON API: 1:1 check-ins with action items, KPI values, feedback."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select

from tools.access import OutOfReach
from tools.context import ToolContext
from tools.store.models import KPI, ActionItem, CheckIn, Feedback, KPIValue, Person
from web import views
from web.api_common import RESPONSES, PathId, api_context, goal_ref, invalid, new_id, person_ref
from web.deps import ApiAuth, Db
from web.schemas import (
    ActionItemIn,
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

def checkin_out(c: CheckIn) -> CheckInOut:
    return CheckInOut(id=c.id, employee_id=c.employee_id, manager_id=c.manager_id, date=c.date, status=c.status,
                      notes=c.notes, blockers=list(c.blockers or []), goal_ids=sorted(g.id for g in c.goals),
                      action_items=list(c.action_items))


def _checkin_or_deny(ctx: ToolContext, checkin_id: str) -> CheckIn:
    c = ctx.session.get(CheckIn, checkin_id)
    if c is None or not ctx.can_see(c.employee_id):
        raise OutOfReach("No such 1:1 in your reach.")
    return c


def _links(ctx: ToolContext, goal_ids: list[str], items: list[ActionItemIn]):
    goals = [goal_ref(ctx, gid, f"goal_ids.{i}") for i, gid in enumerate(dict.fromkeys(goal_ids))]
    actions = [ActionItem(position=i, text=a.text, owner_id=person_ref(ctx, a.owner_id, f"action_items.{i}.owner_id"),
                          due_date=a.due_date, done=a.done) for i, a in enumerate(items)]
    return goals, actions


@router.get("/people/{person_id}/checkins", response_model=list[CheckInOut], tags=["check-ins"])
def list_checkins(person_id: PathId, auth: ApiAuth, db: Db) -> list[CheckInOut]:
    """A person's 1:1s (as the report), newest first."""
    person = views.person_or_deny(api_context(db, auth), person_id)
    rows = db.scalars(select(CheckIn).where(CheckIn.employee_id == person.id)
                      .order_by(CheckIn.date.desc(), CheckIn.id.desc()).limit(MAX_LISTED))
    return [checkin_out(c) for c in rows]


@router.post("/checkins", response_model=CheckInOut, status_code=201, tags=["check-ins"])
def create_checkin(body: CheckInIn, auth: ApiAuth, db: Db) -> CheckInOut:
    """Record a 1:1 with someone in your reach; its manager is the report's manager (or you)."""
    ctx = api_context(db, auth)
    person_ref(ctx, body.employee_id, "employee_id")
    employee = db.get(Person, body.employee_id)
    goals, actions = _links(ctx, body.goal_ids, body.action_items)
    c = CheckIn(id=new_id("c"), employee_id=employee.id, manager_id=employee.manager_id or auth.viewer.person_id,
                date=body.date, status=body.status, notes=body.notes, blockers=list(body.blockers))
    c.goals, c.action_items = goals, actions
    db.add(c)
    db.commit()
    return checkin_out(c)


@router.get("/checkins/{checkin_id}", response_model=CheckInOut, tags=["check-ins"])
def get_checkin(checkin_id: PathId, auth: ApiAuth, db: Db) -> CheckInOut:
    return checkin_out(_checkin_or_deny(api_context(db, auth), checkin_id))


@router.patch("/checkins/{checkin_id}", response_model=CheckInOut, tags=["check-ins"])
def update_checkin(checkin_id: PathId, body: CheckInPatch, auth: ApiAuth, db: Db) -> CheckInOut:
    """Change a 1:1; ``goal_ids`` and ``action_items``, when given, replace the old lists."""
    ctx = api_context(db, auth)
    c = _checkin_or_deny(ctx, checkin_id)
    changes = body.model_dump(exclude_unset=True, exclude={"goal_ids", "action_items"})
    goals, actions = _links(ctx, body.goal_ids or [], body.action_items or [])
    for key, value in changes.items():
        setattr(c, key, value)
    if body.goal_ids is not None:
        c.goals = goals
    if body.action_items is not None:
        c.action_items = actions
    db.commit()
    return checkin_out(c)


# -- KPIs --------------------------------------------------------------------------------

def _kpi_or_deny(ctx: ToolContext, kpi_id: str) -> KPI:
    kpi = ctx.session.get(KPI, kpi_id)
    if kpi is None or not ctx.can_see(kpi.owner_id):
        raise OutOfReach("No such KPI in your reach.")
    return kpi


@router.get("/kpis/{kpi_id}", response_model=KpiOut, tags=["KPIs"])
def get_kpi(kpi_id: PathId, auth: ApiAuth, db: Db, since: Annotated[Day | None, Query()] = None,
            until: Annotated[Day | None, Query()] = None) -> KpiOut:
    """A KPI and its values (optionally between ``since`` and ``until``), oldest first."""
    kpi = _kpi_or_deny(api_context(db, auth), kpi_id)
    query = select(KPIValue).where(KPIValue.kpi_id == kpi.id)
    if since:
        query = query.where(KPIValue.date >= since)
    if until:
        query = query.where(KPIValue.date <= until)
    values = db.scalars(query.order_by(KPIValue.date))
    return KpiOut(id=kpi.id, name=kpi.name, unit=kpi.unit, direction=kpi.direction, owner_id=kpi.owner_id,
                  scope=kpi.scope, values=[KpiValueOut(kpi_id=v.kpi_id, date=v.date, value=v.value) for v in values])


@router.put("/kpis/{kpi_id}/values/{day}", response_model=KpiValueOut, tags=["KPIs"])
def put_kpi_value(kpi_id: PathId, day: dt.date, body: KpiValueIn, auth: ApiAuth, db: Db) -> KpiValueOut:
    """Set the KPI's value for a date (one value per date: an existing one is replaced)."""
    if body.date != day:
        raise invalid("date", f"must equal the date in the path ({day.isoformat()})")
    return _set_value(kpi_id, body, auth, db)


@router.post("/kpis/{kpi_id}/values", response_model=KpiValueOut, status_code=201, tags=["KPIs"])
def add_kpi_value(kpi_id: PathId, body: KpiValueIn, auth: ApiAuth, db: Db) -> KpiValueOut:
    """Record the KPI's value for a date (replacing any value already recorded for that date)."""
    return _set_value(kpi_id, body, auth, db)


def _set_value(kpi_id: str, body: KpiValueIn, auth: ApiAuth, db: Db) -> KpiValueOut:
    kpi = _kpi_or_deny(api_context(db, auth), kpi_id)
    row = db.scalar(select(KPIValue).where(KPIValue.kpi_id == kpi.id, KPIValue.date == body.date))
    if row is None:
        row = KPIValue(kpi_id=kpi.id, date=body.date, value=body.value)
        db.add(row)
    else:
        row.value = body.value
    db.commit()
    return KpiValueOut(kpi_id=kpi.id, date=row.date, value=row.value)


# -- feedback ----------------------------------------------------------------------------

def feedback_out(ctx: ToolContext, f: Feedback) -> FeedbackOut:
    mine = f.from_id == ctx.viewer.person_id
    shown = mine or (f.kind != "upward" and ctx.can_see(f.from_id))
    return FeedbackOut(id=f.id, from_id=f.from_id if shown else None, to_id=f.to_id, date=f.date, kind=f.kind,
                       text=f.text)


def _feedback_or_deny(ctx: ToolContext, feedback_id: str) -> Feedback:
    f = ctx.session.get(Feedback, feedback_id)
    if f is None or not (ctx.can_see(f.to_id) or f.from_id == ctx.viewer.person_id):
        raise OutOfReach("No such feedback in your reach.")
    return f


@router.get("/people/{person_id}/feedback", response_model=list[FeedbackOut], tags=["feedback"])
def list_feedback(person_id: PathId, auth: ApiAuth, db: Db) -> list[FeedbackOut]:
    """Feedback a person received, newest first."""
    ctx = api_context(db, auth)
    person = views.person_or_deny(ctx, person_id)
    rows = db.scalars(select(Feedback).where(Feedback.to_id == person.id)
                      .order_by(Feedback.date.desc(), Feedback.id).limit(MAX_LISTED))
    return [feedback_out(ctx, f) for f in rows]


@router.post("/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"])
def create_feedback(body: FeedbackIn, auth: ApiAuth, db: Db) -> FeedbackOut:
    """Give feedback to someone in your reach (or a self-assessment); you are its giver."""
    ctx = api_context(db, auth)
    person_ref(ctx, body.to_id, "to_id")
    f = Feedback(id=new_id("f"), from_id=auth.viewer.person_id, **body.model_dump())
    db.add(f)
    db.commit()
    return feedback_out(ctx, f)


@router.get("/feedback/{feedback_id}", response_model=FeedbackOut, tags=["feedback"])
def get_feedback(feedback_id: PathId, auth: ApiAuth, db: Db) -> FeedbackOut:
    ctx = api_context(db, auth)
    return feedback_out(ctx, _feedback_or_deny(ctx, feedback_id))


@router.patch("/feedback/{feedback_id}", response_model=FeedbackOut, tags=["feedback"],
              responses={403: {"description": "Only the giver may change feedback"}})
def update_feedback(feedback_id: PathId, body: FeedbackPatch, auth: ApiAuth, db: Db) -> FeedbackOut:
    ctx = api_context(db, auth)
    f = _feedback_or_deny(ctx, feedback_id)
    if f.from_id != auth.viewer.person_id:
        raise HTTPException(403, "Only the person who gave this feedback may change it.")
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(f, key, value)
    db.commit()
    return feedback_out(ctx, f)

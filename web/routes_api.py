"""JSON API: people, goals, key results and progress updates (check-ins, KPIs and feedback
are in :mod:`web.routes_api_activity`). Every route runs for its caller with the data core's reach:
a record outside it answers 404, exactly like one that does not exist.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from tools.access import OutOfReach
from tools.context import ToolContext
from tools.store.models import Goal, Person, ProgressUpdate
from web import views
from web.api_common import RESPONSES, PathId, api_context, goal_ref, invalid, new_id, person_ref
from web.deps import ApiAuth, Db
from web.schemas import GoalIn, GoalOut, GoalPatch, KeyResultIn, PersonOut, UpdateIn, UpdateOut, UpdatePatch

router = APIRouter(prefix="/api", tags=["goals"], responses=RESPONSES)


# -- people ------------------------------------------------------------------------------

@router.get("/me", response_model=PersonOut)
def me(auth: ApiAuth, db: Db) -> Person:
    """The person the caller acts as."""
    return db.get(Person, auth.viewer.person_id)


@router.get("/people/{person_id}", response_model=PersonOut)
def get_person(person_id: PathId, auth: ApiAuth, db: Db) -> Person:
    return views.person_or_deny(api_context(db, auth), person_id)


@router.get("/people/{person_id}/goals", response_model=list[GoalOut])
def person_goals(person_id: PathId, auth: ApiAuth, db: Db) -> list[Goal]:
    """A person's goals, objectives and key results."""
    person = views.person_or_deny(api_context(db, auth), person_id)
    return list(db.scalars(select(Goal).where(Goal.owner_id == person.id).order_by(Goal.id)))


# -- goals and key results ---------------------------------------------------------------

def _check_parent(ctx: ToolContext, parent_id: str | None, kind: str) -> None:
    if parent_id is None:
        return
    parent = goal_ref(ctx, parent_id, "parent_id")
    if kind == "key_result" and parent.kind != "objective":
        raise invalid("parent_id", f"a key result's parent must be an objective; {parent_id!r} is a {parent.kind}")
    if parent.kind == "key_result":
        raise invalid("parent_id", "a key result cannot be a parent")


@router.post("/goals", response_model=GoalOut, status_code=201)
def create_goal(body: GoalIn, auth: ApiAuth, db: Db) -> Goal:
    """Create a goal, objective or key result for someone in your reach."""
    ctx = api_context(db, auth)
    person_ref(ctx, body.owner_id, "owner_id")
    _check_parent(ctx, body.parent_id, body.kind)
    goal = Goal(id=new_id("g"), **body.model_dump())
    db.add(goal)
    db.commit()
    return goal


@router.get("/goals/{goal_id}", response_model=GoalOut)
def get_goal(goal_id: PathId, auth: ApiAuth, db: Db) -> Goal:
    return views.goal_or_deny(api_context(db, auth), goal_id)


@router.patch("/goals/{goal_id}", response_model=GoalOut)
def update_goal(goal_id: PathId, body: GoalPatch, auth: ApiAuth, db: Db) -> Goal:
    """Change fields of a goal or key result; fields left out keep their value."""
    goal = views.goal_or_deny(api_context(db, auth), goal_id)
    changes = body.model_dump(exclude_unset=True)
    start, due = changes.get("start_date", goal.start_date), changes.get("due_date", goal.due_date)
    if start and due and due < start:
        raise invalid("due_date" if "due_date" in changes else "start_date",
                      f"due_date {due.isoformat()} is before start_date {start.isoformat()}")
    for key, value in changes.items():
        setattr(goal, key, value)
    db.commit()
    return goal


@router.get("/goals/{goal_id}/key-results", response_model=list[GoalOut])
def key_results(goal_id: PathId, auth: ApiAuth, db: Db) -> list[Goal]:
    ctx = api_context(db, auth)
    objective = views.goal_or_deny(ctx, goal_id)
    rows = db.scalars(select(Goal).where(Goal.parent_id == objective.id, Goal.kind == "key_result").order_by(Goal.id))
    return [g for g in rows if ctx.can_see(g.owner_id)]


@router.post("/goals/{goal_id}/key-results", response_model=GoalOut, status_code=201)
def create_key_result(goal_id: PathId, body: KeyResultIn, auth: ApiAuth, db: Db) -> Goal:
    """Add a key result to an objective (owner: the objective's owner unless given)."""
    ctx = api_context(db, auth)
    objective = views.goal_or_deny(ctx, goal_id)
    if objective.kind != "objective":
        raise invalid("goal_id", f"key results belong to objectives; {goal_id!r} is a {objective.kind}")
    data: dict[str, Any] = body.model_dump()
    data["owner_id"] = person_ref(ctx, data["owner_id"], "owner_id") or objective.owner_id
    goal = Goal(id=new_id("g"), kind="key_result", parent_id=objective.id, **data)
    db.add(goal)
    db.commit()
    return goal


# -- progress updates --------------------------------------------------------------------

def _update_or_deny(ctx: ToolContext, update_id: str) -> ProgressUpdate:
    update = ctx.session.get(ProgressUpdate, update_id)
    if update is None:
        raise OutOfReach("No such progress update in your reach.")
    views.goal_or_deny(ctx, update.goal_id)
    return update


@router.get("/goals/{goal_id}/updates", response_model=list[UpdateOut])
def list_updates(goal_id: PathId, auth: ApiAuth, db: Db) -> list[ProgressUpdate]:
    goal = views.goal_or_deny(api_context(db, auth), goal_id)
    return list(db.scalars(select(ProgressUpdate).where(ProgressUpdate.goal_id == goal.id)
                           .order_by(ProgressUpdate.date, ProgressUpdate.id)))


@router.post("/goals/{goal_id}/updates", response_model=UpdateOut, status_code=201)
def create_update(goal_id: PathId, body: UpdateIn, auth: ApiAuth, db: Db) -> ProgressUpdate:
    """Record progress on a goal; the caller is its author. A value also becomes the goal's current value
    when it is the latest update."""
    goal = views.goal_or_deny(api_context(db, auth), goal_id)
    update = ProgressUpdate(id=new_id("u"), goal_id=goal.id, author_id=auth.viewer.person_id, **body.model_dump())
    db.add(update)
    latest = db.scalar(select(ProgressUpdate.date).where(ProgressUpdate.goal_id == goal.id)
                       .order_by(ProgressUpdate.date.desc()).limit(1))
    if body.value is not None and (latest is None or body.date >= latest):
        goal.current = body.value
    db.commit()
    return update


@router.get("/updates/{update_id}", response_model=UpdateOut)
def get_update(update_id: PathId, auth: ApiAuth, db: Db) -> ProgressUpdate:
    return _update_or_deny(api_context(db, auth), update_id)


@router.patch("/updates/{update_id}", response_model=UpdateOut)
def update_update(update_id: PathId, body: UpdatePatch, auth: ApiAuth, db: Db) -> ProgressUpdate:
    update = _update_or_deny(api_context(db, auth), update_id)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(update, key, value)
    db.commit()
    return update

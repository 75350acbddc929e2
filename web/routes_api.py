"""JSON API: people, goals, key results and progress updates (check-ins, KPIs and feedback
are in :mod:`web.routes_api_activity`). Every route runs for its caller with the data core's reach:
a record outside it answers 404, exactly like one that does not exist. Writes go through the one
write layer (:mod:`tools.writes`): a write the policy refuses answers 403, a broken rule 422.
"""
from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from tools import policy, writes
from tools.context import ToolContext
from tools.store.models import Goal, Person, ProgressUpdate
from web import views
from web.api_common import RESPONSES, PathId, ReadAuth, WriteAuth, api_context
from web.deps import Db
from web.schemas import GoalIn, GoalOut, GoalPatch, KeyResultIn, PersonOut, UpdateIn, UpdateOut, UpdatePatch

router = APIRouter(prefix="/api", tags=["goals"], responses=RESPONSES)


def person_out(ctx: ToolContext, p: Person) -> PersonOut:
    out = PersonOut.model_validate(p)
    if p.manager_id and p.manager_id not in policy.known(ctx, [p.manager_id]):
        out.manager_id = None
    return out


def goal_out(ctx: ToolContext, g: Goal) -> GoalOut:
    """A goal as the caller may see it: a parent outside their reach is left out."""
    out = GoalOut.model_validate(g)
    if g.parent_id and not policy.goals_in_reach(ctx, [g.parent_id]):
        out.parent_id = None
    return out


def update_out(ctx: ToolContext, u: ProgressUpdate) -> UpdateOut:
    out = UpdateOut.model_validate(u)
    if u.author_id and u.author_id not in policy.known(ctx, [u.author_id]):
        out.author_id = None
    return out


# -- people ------------------------------------------------------------------------------

@router.get("/me", response_model=PersonOut)
def me(auth: ReadAuth, db: Db) -> PersonOut:
    """The person the caller acts as."""
    return person_out(api_context(db, auth), db.get(Person, auth.viewer.person_id))


@router.get("/people/{person_id}", response_model=PersonOut)
def get_person(person_id: PathId, auth: ReadAuth, db: Db) -> PersonOut:
    ctx = api_context(db, auth)
    return person_out(ctx, views.person_or_deny(ctx, person_id))


@router.get("/people/{person_id}/goals", response_model=list[GoalOut])
def person_goals(person_id: PathId, auth: ReadAuth, db: Db) -> list[GoalOut]:
    """A person's goals, objectives and key results."""
    ctx = api_context(db, auth)
    person = views.person_or_deny(ctx, person_id)
    return [goal_out(ctx, g) for g in db.scalars(select(Goal).where(Goal.owner_id == person.id).order_by(Goal.id))]


# -- goals and key results ---------------------------------------------------------------

@router.post("/goals", response_model=GoalOut, status_code=201)
def create_goal(body: GoalIn, auth: WriteAuth, db: Db) -> GoalOut:
    """Create a goal, objective or key result for someone whose manager chain you are in."""
    ctx = api_context(db, auth)
    goal = writes.create_goal(ctx, body)
    db.commit()
    return goal_out(ctx, goal)


@router.get("/goals/{goal_id}", response_model=GoalOut)
def get_goal(goal_id: PathId, auth: ReadAuth, db: Db) -> GoalOut:
    ctx = api_context(db, auth)
    return goal_out(ctx, views.goal_or_deny(ctx, goal_id))


@router.patch("/goals/{goal_id}", response_model=GoalOut)
def update_goal(goal_id: PathId, body: GoalPatch, auth: WriteAuth, db: Db) -> GoalOut:
    """Change fields of a goal or key result; fields left out keep their value."""
    ctx = api_context(db, auth)
    goal = writes.update_goal(ctx, goal_id, body)
    db.commit()
    return goal_out(ctx, goal)


@router.delete("/goals/{goal_id}", status_code=204)
def delete_goal(goal_id: PathId, auth: WriteAuth, db: Db) -> None:
    """Delete a goal and its progress updates (not one that other goals belong to)."""
    writes.delete_goal(api_context(db, auth), goal_id)
    db.commit()


@router.get("/goals/{goal_id}/key-results", response_model=list[GoalOut])
def key_results(goal_id: PathId, auth: ReadAuth, db: Db) -> list[GoalOut]:
    ctx = api_context(db, auth)
    objective = views.goal_or_deny(ctx, goal_id)
    rows = db.scalars(select(Goal).where(Goal.parent_id == objective.id, Goal.kind == "key_result").order_by(Goal.id))
    return [goal_out(ctx, g) for g in rows if ctx.can_see(g.owner_id)]


@router.post("/goals/{goal_id}/key-results", response_model=GoalOut, status_code=201)
def create_key_result(goal_id: PathId, body: KeyResultIn, auth: WriteAuth, db: Db) -> GoalOut:
    """Add a key result to an objective (owner: the objective's owner unless given)."""
    ctx = api_context(db, auth)
    goal = writes.create_key_result(ctx, goal_id, body)
    db.commit()
    return goal_out(ctx, goal)


# -- progress updates --------------------------------------------------------------------

@router.get("/goals/{goal_id}/updates", response_model=list[UpdateOut])
def list_updates(goal_id: PathId, auth: ReadAuth, db: Db) -> list[UpdateOut]:
    ctx = api_context(db, auth)
    goal = views.goal_or_deny(ctx, goal_id)
    return [update_out(ctx, u) for u in db.scalars(select(ProgressUpdate).where(ProgressUpdate.goal_id == goal.id)
                                                   .order_by(ProgressUpdate.date, ProgressUpdate.id))]


@router.post("/goals/{goal_id}/updates", response_model=UpdateOut, status_code=201)
def create_update(goal_id: PathId, body: UpdateIn, auth: WriteAuth, db: Db) -> UpdateOut:
    """Record progress on a goal (its owner or their manager chain); the caller is its author. A value
    also becomes the goal's current value when it is the latest update."""
    ctx = api_context(db, auth)
    update = writes.add_progress(ctx, goal_id, body)
    db.commit()
    return update_out(ctx, update)


@router.get("/updates/{update_id}", response_model=UpdateOut)
def get_update(update_id: PathId, auth: ReadAuth, db: Db) -> UpdateOut:
    ctx = api_context(db, auth)
    return update_out(ctx, writes.update_or_deny(ctx, update_id))


@router.patch("/updates/{update_id}", response_model=UpdateOut)
def update_update(update_id: PathId, body: UpdatePatch, auth: WriteAuth, db: Db) -> UpdateOut:
    """Change a progress update you wrote."""
    ctx = api_context(db, auth)
    update = writes.update_progress(ctx, update_id, body)
    db.commit()
    return update_out(ctx, update)


@router.delete("/updates/{update_id}", status_code=204)
def delete_update(update_id: PathId, auth: WriteAuth, db: Db) -> None:
    """Delete a progress update you wrote."""
    writes.delete_progress(api_context(db, auth), update_id)
    db.commit()

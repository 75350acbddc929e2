"""Server-rendered pages: team dashboard, person, goal, cited records and guidance passages."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tools.store.models import KPI, CheckIn, Feedback, ProgressUpdate
from web import views
from web.deps import Auth, Db, PageAuth, State, tool_context
from web.errors import PageDenied

router = APIRouter(include_in_schema=False)


def render(request: Request, state: State, auth: Auth, template: str, context: dict, status: int = 200) -> HTMLResponse:
    return state.templates.TemplateResponse(request, template, {"auth": auth, **context}, status_code=status)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, state: State, auth: PageAuth, db: Db, manager: str = "") -> Response:
    data = views.dashboard(tool_context(db, auth.viewer), manager)
    if data is None:
        if manager:
            return RedirectResponse(f"/people/{manager}", status_code=303)
        return RedirectResponse(f"/people/{auth.viewer.person_id}", status_code=303)
    title = "My team" if data["is_self"] else f"{data['manager'].name}'s team"
    return render(request, state, auth, "dashboard.html", {"title": title, **data})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person(request: Request, state: State, auth: PageAuth, db: Db, person_id: str) -> HTMLResponse:
    data = views.person_page(tool_context(db, auth.viewer), person_id)
    return render(request, state, auth, "person.html", {"title": data["person"].name, **data})


@router.get("/goals/{goal_id}", response_class=HTMLResponse)
def goal(request: Request, state: State, auth: PageAuth, db: Db, goal_id: str) -> HTMLResponse:
    data = views.goal_page(tool_context(db, auth.viewer), goal_id)
    return render(request, state, auth, "goal.html", {"title": data["goal"].title, **data})


# A cited record's kind -> (table, column naming its person or goal, page that shows it)
RECORD_PAGES = {"update": (ProgressUpdate, "goal_id", "goals"), "checkin": (CheckIn, "employee_id", "people"),
                "kpi": (KPI, "owner_id", "people"), "feedback": (Feedback, "to_id", "people")}


@router.get("/records/{kind}/{record_id:path}")
def record(auth: PageAuth, db: Db, kind: str, record_id: str) -> RedirectResponse:
    """Where a citation ``kind:id`` points: the page (and anchor) that shows the record."""
    ctx = tool_context(db, auth.viewer)
    if kind == "person":
        target = f"/people/{views.person_or_deny(ctx, record_id).id}"
    elif kind == "goal":
        target = f"/goals/{views.goal_or_deny(ctx, record_id).id}"
    elif kind == "guide":
        target = f"/guidance/{quote(record_id, safe='')}"
    elif kind in RECORD_PAGES:
        model, column, page = RECORD_PAGES[kind]
        row = db.get(model, record_id)
        if row is None:
            raise PageDenied()
        parent = getattr(row, column)
        shown = views.goal_or_deny(ctx, parent) if page == "goals" else views.person_or_deny(ctx, parent)
        target = f"/{page}/{shown.id}#{kind}-{row.id}"
    else:
        raise PageDenied()
    return RedirectResponse(target, status_code=303)


@lru_cache(maxsize=1)
def _passages() -> dict:
    from knowledge.corpus import load_corpus

    return {p.id: p for p in load_corpus()}


@router.get("/guidance/{passage_id:path}", response_class=HTMLResponse)
def guidance(request: Request, state: State, auth: PageAuth, passage_id: str) -> HTMLResponse:
    passage = _passages().get(passage_id)
    if passage is None:
        return render(request, state, auth, "error.html",
                      {"title": "Not found", "message": "No guidance passage with that id.", "status": 404}, 404)
    return render(request, state, auth, "guidance.html", {"title": passage.title, "passage": passage})

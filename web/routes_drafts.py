"""1:1 prep and review drafting: Coach drafts, the manager edits, each save is a new version.

The review page also runs the bias check: findings come from code (highlighted in the text,
each with why and a suggestion) and Coach proposes rewrites of the flagged sentences.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.agent import AgentFailed, job_requests
from assistant.agent.jobs.bias import Finding, lint_review
from assistant.grounding import facts_from_results
from tools.access import ToolError
from tools.store.drafts import get_draft, list_drafts, save_draft
from tools.context import ToolContext
from tools.reviews import review_evidence
from web import coach, views
from web.api_common import PathId
from web.deps import Auth, Db, FormAuth, PageAuth, State, tool_context
from web.routes_pages import render

router = APIRouter(include_in_schema=False)
DraftText = Annotated[str, Form(max_length=20_000)]
DateField = Annotated[str, Form(max_length=10)]
REVIEW_DAYS = 182
MAX_DRAFT_ID = 2**31 - 1  # draft ids are 32-bit on PostgreSQL; a larger ?version= names no draft


def _subject(db: Db, auth: Auth, person_id: str) -> tuple[ToolContext, Any]:
    ctx = tool_context(db, auth.viewer)
    return ctx, views.person_or_deny(ctx, person_id)


def _cited(result) -> list[dict[str, str]]:
    return coach.with_urls(result.citations, "")


# -- 1:1 prep ----------------------------------------------------------------------------

def _prep_page(request: Request, state: State, auth: Auth, db: Db, person_id: str, **extra: Any) -> HTMLResponse:
    ctx, person = _subject(db, auth, person_id)
    drafts = list_drafts(db, auth.viewer.person_id, person.id, "prep")
    context = {"title": f"1:1 prep: {person.name}", "person": person, "drafts": drafts, "text": "",
               "citations": [], "notice": "", "error": "", **extra}
    if "text" not in extra and drafts:
        context["text"] = drafts[0].text
    return render(request, state, auth, "prep.html", context)


@router.get("/people/{person_id}/prep", response_class=HTMLResponse)
def prep(request: Request, state: State, auth: PageAuth, db: Db, person_id: PathId, saved: int = 0) -> HTMLResponse:
    notice = f"Saved as draft note version {saved}." if saved else ""
    return _prep_page(request, state, auth, db, person_id, notice=notice)


@router.post("/people/{person_id}/prep/draft", response_class=HTMLResponse)
async def prep_draft(request: Request, state: State, auth: FormAuth, db: Db, person_id: PathId) -> HTMLResponse:
    ctx, person = _subject(db, auth, person_id)
    try:
        result = await coach.answer(state, auth.viewer, job_requests.coaching_questions(ctx, person.name))
    except AgentFailed as exc:
        return _prep_page(request, state, auth, db, person_id, error=f"Coach could not draft this: {exc}")
    return _prep_page(request, state, auth, db, person_id, text=coach.plain(result.answer), citations=_cited(result),
                      notice="Drafted by Coach: edit it, then save it as a draft note.")


@router.post("/people/{person_id}/prep")
def prep_save(auth: FormAuth, db: Db, person_id: PathId, text: DraftText = "") -> RedirectResponse:
    _, person = _subject(db, auth, person_id)
    row = save_draft(db, auth.viewer.person_id, person.id, "prep", text.strip())
    db.commit()
    return RedirectResponse(f"/people/{person.id}/prep?saved={row.version}", status_code=303)


# -- review ------------------------------------------------------------------------------

def _period(ctx: ToolContext, start: str, end: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(start) if start else ctx.today - dt.timedelta(days=REVIEW_DAYS)
        last = dt.date.fromisoformat(end) if end else ctx.today
    except ValueError:
        raise ToolError("Give the review period as two dates, YYYY-MM-DD.") from None
    if last < first:
        raise ToolError(f"The period ends ({last.isoformat()}) before it starts ({first.isoformat()}).")
    return first, last


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, int | None]]:
    """``text`` cut into pieces, each marked with the number (1-based) of the finding it shows, or ``None``."""
    spans: list[tuple[int, int, int]] = []
    for number, f in enumerate(findings, 1):
        for phrase in f.words:
            for m in re.finditer(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text, re.I):
                spans.append((m.start(), m.end(), number))
        if not f.words and f.sentence and f.sentence in text:
            start = text.index(f.sentence)
            spans.append((start, start + len(f.sentence), number))
    pieces: list[tuple[str, int | None]] = []
    at = 0
    for start, end, number in sorted(spans):
        if start < at:
            continue  # overlaps a span already marked
        pieces += [(text[at:start], None), (text[start:end], number)]
        at = end
    pieces.append((text[at:], None))
    return [p for p in pieces if p[0]]


def _review_page(request: Request, state: State, auth: Auth, db: Db, person_id: str, start: str, end: str,
                 **extra: Any) -> HTMLResponse:
    ctx, person = _subject(db, auth, person_id)
    period = _period(ctx, start, end)
    drafts = list_drafts(db, auth.viewer.person_id, person.id, "review")
    context = {"title": f"Review: {person.name}", "person": person, "start": period[0], "end": period[1],
               "drafts": drafts, "text": "", "citations": [], "findings": None, "pieces": [], "rewrites": "",
               "notice": "", "error": "", "version": None, **extra}
    if "text" not in extra:
        same = [d for d in drafts if (d.period_start, d.period_end) == period]
        if same:
            context["text"], context["version"] = same[0].text, same[0]
    return render(request, state, auth, "review.html", context)


@router.get("/people/{person_id}/review", response_class=HTMLResponse)
def review(request: Request, state: State, auth: PageAuth, db: Db, person_id: PathId, start: str = "",
           end: str = "", version: int = 0) -> HTMLResponse:
    draft = get_draft(db, version, auth.viewer.person_id) if 0 < version <= MAX_DRAFT_ID else None
    if draft is not None and draft.subject_id == person_id and draft.kind == "review":
        return _review_page(request, state, auth, db, person_id, draft.period_start.isoformat(),
                            draft.period_end.isoformat(), text=draft.text, version=draft)
    return _review_page(request, state, auth, db, person_id, start, end)


@router.post("/people/{person_id}/review/draft", response_class=HTMLResponse)
async def review_draft(request: Request, state: State, auth: FormAuth, db: Db, person_id: PathId,
                       start: DateField = "", end: DateField = "") -> HTMLResponse:
    ctx, person = _subject(db, auth, person_id)
    first, last = _period(ctx, start, end)
    try:
        result = await coach.answer(state, auth.viewer, job_requests.review_draft(ctx, person.name, first.isoformat(),
                                                                                  last.isoformat()))
    except AgentFailed as exc:
        return _review_page(request, state, auth, db, person_id, start, end, error=f"Coach could not draft this: {exc}")
    return _review_page(request, state, auth, db, person_id, start, end, text=coach.plain(result.answer),
                        citations=_cited(result), notice="Drafted by Coach: edit it, check it for bias, then save.")


@router.post("/people/{person_id}/review/check", response_class=HTMLResponse)
async def review_check(request: Request, state: State, auth: FormAuth, db: Db, person_id: PathId,
                       text: DraftText = "", start: DateField = "", end: DateField = "") -> HTMLResponse:
    ctx, person = _subject(db, auth, person_id)
    period = _period(ctx, start, end)
    evidence = facts_from_results([review_evidence(ctx, person.id, period[0].isoformat(), period[1].isoformat(), k=12)])
    findings = lint_review(text, evidence, period)
    rewrites = ""
    if any(f.sentence for f in findings):
        try:
            result = await coach.answer(state, auth.viewer, job_requests.bias_check(ctx, text))
            rewrites = coach.plain(result.answer).partition("Suggested rewrites:")[2].strip()
        except (AgentFailed, ToolError):
            rewrites = ""
    return _review_page(request, state, auth, db, person_id, start, end, text=text, findings=findings,
                        pieces=highlight(text, findings), rewrites=rewrites)


@router.post("/people/{person_id}/review")
def review_save(auth: FormAuth, db: Db, person_id: PathId, text: DraftText = "", start: DateField = "",
                end: DateField = "") -> RedirectResponse:
    ctx, person = _subject(db, auth, person_id)
    period = _period(ctx, start, end)
    row = save_draft(db, auth.viewer.person_id, person.id, "review", text.strip(), period)
    db.commit()
    return RedirectResponse(f"/people/{person.id}/review?version={row.id}", status_code=303)

"""The weekly digest's page: whether you get it, and the switch to stop or restart it
(the digest's footer and its List-Unsubscribe header link here)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tools.store.integrations import DigestOptOut, set_digest_opt_out
from web.deps import Db, FormAuth, PageAuth, State
from web.routes_pages import render

router = APIRouter(include_in_schema=False)


@router.get("/digest", response_class=HTMLResponse)
def digest_page(request: Request, state: State, auth: PageAuth, db: Db, saved: int = 0) -> HTMLResponse:
    receiving = db.get(DigestOptOut, auth.viewer.person_id) is None
    notice = ("You will get the weekly digest." if receiving else "You will no longer get the weekly digest.") \
        if saved else ""
    return render(request, state, auth, "digest.html", {"title": "Weekly digest", "receiving": receiving,
                                                         "notice": notice})


@router.post("/digest")
def digest_switch(auth: FormAuth, db: Db, receive: Annotated[str, Form(pattern="^(on|off)$")]) -> RedirectResponse:
    set_digest_opt_out(db, auth.viewer.person_id, receive == "off")
    db.commit()
    return RedirectResponse("/digest?saved=1", status_code=303)

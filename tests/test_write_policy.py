"""The one write policy (issue 12): who may write each kind of record, links that stay within
reach, forged feedback, token scopes, out-of-reach ids in API output. Each test here failed
before the write layer existed (see the finding it names)."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import context, org  # noqa: F401  (fixture)
from test_web_support import ALLOWED, as_ana, as_raj, as_sam, seeded_sqlite, signed_in, web  # noqa: F401
from tools import writes
from tools.errors import InvalidField, NotAllowed, OutOfReach
from tools.goals import explain_goal
from tools.store.accounts import create_api_token
from tools.store.audit import AuditEvent
from tools.store.models import CheckIn, Feedback, Goal, ProgressUpdate, checkin_goals
from tools.writes.inputs import CheckInIn, CheckInPatch, FeedbackIn, FeedbackPatch, GoalPatch, UpdateIn, UpdatePatch

SECRET_NOTE = "Sam mentioned a private matter about his flat move"


def _plant_cross_link(session) -> None:
    """What the old API allowed: a 1:1 about Sam linked to Lee's goal."""
    c = CheckIn(id="c-cross", employee_id="sam", manager_id="ana", date=dt.date(2026, 8, 30), status="held",
                notes=SECRET_NOTE, blockers=[])
    session.add(c)
    session.flush()
    session.execute(checkin_goals.insert().values(checkin_id="c-cross", goal_id="g-csat"))
    session.commit()


# -- finding: another person's 1:1 notes through a goal -----------------------------------------

def test_linked_checkins_of_someone_out_of_reach_never_show_on_a_goal(org):
    _plant_cross_link(org)
    lee = explain_goal(context(org, "lee"), "goal:g-csat")
    assert SECRET_NOTE not in " ".join(f.text for f in lee.facts)
    assert "checkin:c-cross" not in lee.refs()
    ana = explain_goal(context(org, "ana"), "goal:g-csat")  # Ana sees both reports: the link is shown to her
    assert "checkin:c-cross" in ana.refs()


def test_goal_page_of_the_other_report_hides_the_linked_notes(web):
    with web.state.web.runtime.sessions() as session:
        _plant_cross_link(session)
    lee = signed_in(web, "lee")
    page = lee.client.get("/goals/g-csat")
    assert page.status_code == 200 and SECRET_NOTE not in page.text


def test_a_checkin_cannot_link_another_reports_goal(as_ana):
    made = as_ana.api("POST", "/api/checkins", json={"employee_id": "sam", "date": "2026-09-01", "notes": "x",
                                                     "goal_ids": ["g-backlog", "g-csat"]})
    assert made.status_code == 422
    assert made.json()["detail"][0]["loc"] == ["body", "goal_ids", 1]
    team_goal = as_ana.api("POST", "/api/checkins", json={"employee_id": "sam", "date": "2026-09-01",
                                                          "goal_ids": ["g-obj"]})  # Ana's own team objective
    assert team_goal.status_code == 201
    patched = as_ana.api("PATCH", "/api/checkins/c-s7", json={"goal_ids": ["g-csat"]})
    assert patched.status_code == 422


# -- finding: anyone in reach can rewrite records -------------------------------------------------

def test_an_employee_cannot_rewrite_their_managers_1on1(as_sam, web):
    forged = as_sam.api("PATCH", "/api/checkins/c-s7", json={"notes": "Manager agreed I exceed all expectations"})
    assert forged.status_code == 403
    assert as_sam.api("POST", "/api/checkins", json={"employee_id": "sam", "date": "2026-09-01"}).status_code == 403
    assert as_sam.api("DELETE", "/api/checkins/c-s7").status_code == 403
    with web.state.web.runtime.sessions() as session:
        assert "exceed" not in session.get(CheckIn, "c-s7").notes


def test_a_manager_cannot_edit_an_update_a_report_wrote(as_ana, as_sam):
    assert as_ana.api("PATCH", "/api/updates/u-b1", json={"note": "Sam was slow"}).status_code == 403
    assert as_ana.api("DELETE", "/api/updates/u-b1").status_code == 403
    assert as_sam.api("PATCH", "/api/updates/u-b1", json={"note": "Recounted"}).json()["note"] == "Recounted"


def test_an_employee_records_progress_but_does_not_set_goals(as_sam):
    assert as_sam.api("POST", "/api/goals/g-backlog/updates", json={"date": "2026-09-01", "value": 170}).status_code == 201
    assert as_sam.api("PATCH", "/api/goals/g-backlog", json={"target": 200}).status_code == 403
    assert as_sam.api("POST", "/api/goals", json={"owner_id": "sam", "title": "Nap"}).status_code == 403


def test_kpi_values_by_owner_or_chain_only(org):
    writes.set_kpi_value(context(org, "lee"), "k-csat", dt.date(2026, 9, 7), 91)
    writes.set_kpi_value(context(org, "ana"), "k-csat", dt.date(2026, 9, 14), 92)
    with pytest.raises(OutOfReach):
        writes.set_kpi_value(context(org, "sam"), "k-frt", dt.date(2026, 9, 7), 1)  # Ana's team KPI
    with pytest.raises(OutOfReach):
        writes.set_kpi_value(context(org, "raj"), "k-csat", dt.date(2026, 9, 7), 1)


# -- finding: feedback can be forged --------------------------------------------------------------

@pytest.mark.parametrize("who, body, field", [
    ("sam", {"to_id": "lee", "kind": "upward"}, "kind"),         # upward to a peer
    ("ana", {"to_id": "sam", "kind": "self"}, "kind"),           # a "self-assessment" written for a report
    ("sam", {"to_id": "sam", "kind": "praise"}, "kind"),         # praise for oneself
    ("sam", {"to_id": "mia", "kind": "peer"}, "to_id"),          # someone in another team
    ("raj", {"to_id": "sam", "kind": "constructive"}, "to_id"),  # outside reach
])
def test_forged_feedback_kinds_are_refused(web, who, body, field):
    client = signed_in(web, who)
    made = client.api("POST", "/api/feedback", json={"date": "2026-09-01", "text": "Forged.", **body})
    assert made.status_code == 422 and made.json()["detail"][0]["loc"] == ["body", field]
    with web.state.web.runtime.sessions() as session:
        assert session.scalar(select(Feedback).where(Feedback.text == "Forged.")) is None


def test_feedback_kinds_that_fit_who_gives_it_to_whom(as_sam, as_ana):
    for body in ({"to_id": "ana", "kind": "upward"}, {"to_id": "sam", "kind": "self"}, {"to_id": "lee", "kind": "peer"}):
        made = as_sam.api("POST", "/api/feedback", json={"date": "2026-09-01", "text": "Fine.", **body})
        assert made.status_code == 201, (body, made.text)
    assert as_ana.api("POST", "/api/feedback", json={"date": "2026-09-01", "text": "Well done.", "to_id": "sam",
                                                     "kind": "praise"}).status_code == 201
    assert as_sam.api("PATCH", "/api/feedback/f5", json={"kind": "praise"}).status_code == 422  # self -> praise
    assert as_ana.api("PATCH", "/api/feedback/f5", json={"text": "x"}).status_code == 403


# -- finding: tokens accepted on writes they should not be ----------------------------------------

def _token(web, person_id: str, **kw) -> str:
    with web.state.web.runtime.sessions() as session:
        secret, _ = create_api_token(session, person_id, "t", **kw)
        session.commit()
    return secret


def test_a_widget_token_cannot_write_or_read_the_api(web):
    client = TestClient(web)
    chat = {"Authorization": f"Bearer {_token(web, 'ana')}"}  # default scope: chat
    patched = client.patch("/api/goals/g-backlog", json={"target": 1}, headers=chat)
    assert patched.status_code == 403 and "'write' scope" in patched.json()["detail"]
    assert client.get("/api/goals/g-backlog", headers=chat).status_code == 403
    read = {"Authorization": f"Bearer {_token(web, 'ana', scopes='read')}"}
    assert client.get("/api/goals/g-backlog", headers=read).status_code == 200
    assert client.patch("/api/goals/g-backlog", json={"target": 1}, headers=read).status_code == 403
    write = {"Authorization": f"Bearer {_token(web, 'ana', scopes=['read', 'write'])}"}
    assert client.patch("/api/goals/g-backlog", json={"target": 75}, headers=write).json()["target"] == 75


def test_tokens_expire_and_may_be_bound_to_one_origin(web):
    client = TestClient(web)
    bound = {"Authorization": f"Bearer {_token(web, 'ana', scopes='read', origin=ALLOWED)}"}
    assert client.get("/api/me", headers={**bound, "Origin": ALLOWED}).status_code == 200
    assert client.get("/api/me", headers=bound).status_code == 403  # no origin: not from the bound site
    secret = _token(web, "ana", scopes="read")
    with web.state.web.runtime.sessions() as session:
        from tools.store.accounts import ApiToken, digest
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
        row.expires_at = dt.datetime(2000, 1, 1)
        session.commit()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


# -- finding: out-of-reach ids in API output ------------------------------------------------------

def test_api_output_leaves_out_ids_outside_reach(web):
    with web.state.web.runtime.sessions() as session:
        session.get(Goal, "g-zoe").parent_id = "g-obj"  # aligned to Ana's objective (above Tom)
        c = session.get(CheckIn, "c-z1")
        c.goals.append(session.get(Goal, "g-obj"))
        c.action_items[:] = []
        session.flush()
        from tools.store.models import ActionItem
        c.action_items.append(ActionItem(position=0, text="Ask Olivia for budget", owner_id="olivia"))
        session.commit()
    tom = signed_in(web, "tom")
    goal = tom.api("GET", "/api/goals/g-zoe").json()
    assert goal["parent_id"] is None
    checkin = tom.api("GET", "/api/checkins/c-z1").json()
    assert checkin["goal_ids"] == ["g-zoe"] and checkin["action_items"][0]["owner_id"] is None
    assert "g-obj" not in str(tom.api("GET", "/api/people/zoe/checkins").json())
    ana = signed_in(web, "ana")
    assert ana.api("GET", "/api/goals/g-zoe").json()["parent_id"] == "g-obj"
    assert ana.api("GET", "/api/checkins/c-z1").json()["action_items"][0]["owner_id"] == "olivia"  # her manager


def test_tom_keeps_links_he_cannot_see_when_he_edits_the_1on1(web):
    with web.state.web.runtime.sessions() as session:
        c = session.get(CheckIn, "c-z1")
        c.goals.append(session.get(Goal, "g-obj"))
        session.commit()
    tom = signed_in(web, "tom")
    assert tom.api("PATCH", "/api/checkins/c-z1", json={"goal_ids": ["g-zoe"]}).status_code == 200
    with web.state.web.runtime.sessions() as session:
        assert sorted(g.id for g in session.get(CheckIn, "c-z1").goals) == ["g-obj", "g-zoe"]


# -- private notes --------------------------------------------------------------------------------

def test_private_notes_are_for_the_manager_chain_only(as_ana, as_sam, web):
    made = as_ana.api("POST", "/api/checkins", json={"employee_id": "sam", "date": "2026-09-01", "notes": "Shared.",
                                                     "private_notes": "Consider for the lead role."})
    assert made.json()["private_notes"] == "Consider for the lead role."
    mine = as_sam.api("GET", f"/api/checkins/{made.json()['id']}").json()
    assert mine["notes"] == "Shared." and mine["private_notes"] is None
    assert "lead role" not in as_sam.api("GET", "/api/people/sam/checkins").text
    assert signed_in(web, "olivia").api("GET", f"/api/checkins/{made.json()['id']}").json()["private_notes"]


# -- the write layer itself -----------------------------------------------------------------------

def test_every_write_appends_one_audit_event_with_before_and_after(org):
    ana = context(org, "ana")
    c = writes.create_checkin(ana, CheckInIn(employee_id="sam", date=dt.date(2026, 9, 1), notes="First."))
    writes.update_checkin(ana, c.id, CheckInPatch(notes="Second."))
    writes.update_goal(ana, "g-backlog", GoalPatch(target=70))
    sam = context(org, "sam")
    u = writes.add_progress(sam, "g-backlog", UpdateIn(date=dt.date(2026, 9, 2), value=180))
    writes.update_progress(sam, u.id, UpdatePatch(note="Checked."))
    f = writes.give_feedback(sam, FeedbackIn(to_id="ana", date=dt.date(2026, 9, 2), kind="upward", text="Thanks."))
    writes.update_feedback(sam, f.id, FeedbackPatch(text="Thank you."))
    writes.delete_checkin(ana, c.id)
    org.commit()
    events = org.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.action, e.kind) for e in events] == [
        ("ana", "create", "checkin"), ("ana", "update", "checkin"), ("ana", "update", "goal"),
        ("sam", "create", "progress_update"), ("sam", "update", "progress_update"),
        ("sam", "create", "feedback"), ("sam", "update", "feedback"), ("ana", "delete", "checkin")]
    assert (events[1].before["notes"], events[1].after["notes"]) == ("First.", "Second.")
    assert (events[2].before["target"], events[2].after["target"]) == (80, 70)
    assert events[-1].after is None and events[-1].before["notes"] == "Second."
    assert {e.subject_id for e in events[:3]} == {"sam"}


def test_a_refused_write_changes_nothing_and_records_nothing(org):
    with pytest.raises(InvalidField):
        writes.update_goal(context(org, "ana"), "g-backlog", GoalPatch(due_date=dt.date(2026, 1, 1)))
    with pytest.raises(NotAllowed):
        writes.update_checkin(context(org, "sam"), "c-s7", CheckInPatch(notes="x"))
    org.rollback()
    assert org.get(Goal, "g-backlog").due_date == dt.date(2026, 9, 30)
    assert org.scalars(select(AuditEvent)).all() == []


def test_hr_admin_writes_1on1s_and_goals_and_deletes_but_never_edits_others_words(org):
    hana = context(org, "hana")
    writes.create_checkin(hana, CheckInIn(employee_id="zoe", date=dt.date(2026, 9, 1), notes="HR check-in."))
    writes.update_goal(hana, "g-zoe", GoalPatch(target=96))
    with pytest.raises(NotAllowed):
        writes.update_progress(hana, "u-z1", UpdatePatch(note="x"))
    with pytest.raises(NotAllowed):
        writes.update_feedback(hana, "f7", FeedbackPatch(text="x"))
    writes.delete_feedback(hana, "f7")
    writes.delete_progress(hana, "u-z1")
    assert org.get(Feedback, "f7") is None and org.get(ProgressUpdate, "u-z1") is None

"""The JSON API: create/read/update per record type, 422 field messages, 404 for unknown or
out-of-reach ids on every route, 413 for large bodies, and the OpenAPI document."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from test_web_support import as_ana, as_raj, as_sam, make_app, seeded_sqlite, signed_in, web  # noqa: F401  (fixtures)
from tools.store.models import KPIValue, ProgressUpdate


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {".".join(map(str, e["loc"])): e["msg"] for e in response.json()["detail"]}


def test_goal_create_read_update(as_ana):
    created = as_ana.api("POST", "/api/goals", json={
        "owner_id": "sam", "title": "Cut reopen rate to 5%", "unit": "%", "direction": "down", "baseline": 9,
        "target": 5, "start_date": "2026-09-01", "due_date": "2026-12-31"})
    assert created.status_code == 201
    goal = created.json()
    assert goal["id"].startswith("g-") and goal["owner_id"] == "sam" and goal["kind"] == "smart"
    assert as_ana.api("GET", f"/api/goals/{goal['id']}").json() == goal
    patched = as_ana.api("PATCH", f"/api/goals/{goal['id']}", json={"current": 7.5, "status": "on_track"}).json()
    assert (patched["current"], patched["status"], patched["title"]) == (7.5, "on_track", "Cut reopen rate to 5%")
    listed = as_ana.api("GET", "/api/people/sam/goals").json()
    assert goal["id"] in [g["id"] for g in listed] and len(listed) == 3


def test_validation_errors_name_each_field(as_ana):
    found = errors(as_ana.api("POST", "/api/goals", json={
        "owner_id": "sam", "title": "  ", "target": "lots", "confidence": 2, "kind": "dream", "colour": "red"}))
    assert found == {
        "body.title": "Value error, must not be blank",
        "body.target": "Input should be a valid number, unable to parse string as a number",
        "body.confidence": "Input should be less than or equal to 1",
        "body.kind": "Input should be 'smart', 'objective' or 'key_result'",
        "body.colour": "Extra inputs are not permitted",
    }


def test_date_order_and_key_result_parent_are_checked(as_ana):
    assert errors(as_ana.api("POST", "/api/goals", json={
        "owner_id": "sam", "title": "X", "kind": "key_result", "start_date": "2026-10-01", "due_date": "2026-09-01"})) == {
        "body.due_date": "Value error, due_date 2026-09-01 is before start_date 2026-10-01",
        "body.parent_id": "Value error, a key_result needs parent_id: the objective it belongs to",
    }
    assert errors(as_ana.api("PATCH", "/api/goals/g-backlog", json={"due_date": "2026-06-01"})) == {
        "body.due_date": "due_date 2026-06-01 is before start_date 2026-07-01"}
    assert errors(as_ana.api("PATCH", "/api/goals/g-backlog", json={"title": None})) == {
        "body.title": "Value error, may be left out, but not set to null"}
    assert errors(as_ana.api("POST", "/api/goals", json={
        "owner_id": "sam", "title": "KR", "kind": "key_result", "parent_id": "g-macros"})) == {
        "body.parent_id": "a key result's parent must be an objective; 'g-macros' is a smart"}


def test_references_outside_reach_are_field_errors(as_raj):
    assert errors(as_raj.api("POST", "/api/goals", json={"owner_id": "sam", "title": "Sneaky"})) == {
        "body.owner_id": "no person 'sam' in your reach"}
    assert errors(as_raj.api("POST", "/api/checkins", json={
        "employee_id": "mia", "date": "2026-09-01", "goal_ids": ["g-deploy", "g-backlog"]})) == {
        "body.goal_ids.1": "no goal 'g-backlog' in your reach"}


def test_key_results_belong_to_objectives(as_ana):
    kr = as_ana.api("POST", "/api/goals/g-obj/key-results", json={"title": "First reply under 2 hours", "target": 2})
    assert kr.status_code == 201
    assert (kr.json()["kind"], kr.json()["parent_id"], kr.json()["owner_id"]) == ("key_result", "g-obj", "ana")
    ids = [g["id"] for g in as_ana.api("GET", "/api/goals/g-obj/key-results").json()]
    assert ids == sorted(["g-backlog", "g-csat", kr.json()["id"]])
    assert errors(as_ana.api("POST", "/api/goals/g-macros/key-results", json={"title": "KR"})) == {
        "body.goal_id": "key results belong to objectives; 'g-macros' is a smart"}


def test_progress_updates_move_the_goal_and_keep_their_author(web, as_sam):
    made = as_sam.api("POST", "/api/goals/g-backlog/updates", json={"date": "2026-09-01", "value": 170, "note": "Scanner fixed"})
    assert made.status_code == 201 and made.json()["author_id"] == "sam"
    assert as_sam.api("GET", "/api/goals/g-backlog").json()["current"] == 170
    older = as_sam.api("POST", "/api/goals/g-backlog/updates", json={"date": "2026-08-15", "value": 199})
    assert as_sam.api("GET", "/api/goals/g-backlog").json()["current"] == 170  # an older update leaves current alone
    assert [u["date"] for u in as_sam.api("GET", "/api/goals/g-backlog/updates").json()] == [
        "2026-08-01", "2026-08-15", "2026-08-28", "2026-09-01"]
    patched = as_sam.api("PATCH", f"/api/updates/{older.json()['id']}", json={"note": "Recounted"}).json()
    assert (patched["note"], patched["value"]) == ("Recounted", 199)
    assert errors(as_sam.api("POST", "/api/goals/g-backlog/updates", json={"value": 1})) == {"body.date": "Field required"}


def test_checkins_with_goals_and_action_items(as_ana):
    made = as_ana.api("POST", "/api/checkins", json={
        "employee_id": "sam", "date": "2026-09-01", "notes": "Scanner fixed.", "blockers": [],
        "goal_ids": ["g-backlog"], "action_items": [{"text": "Close the IT ticket", "owner_id": "ana"}]})
    assert made.status_code == 201
    c = made.json()
    assert (c["manager_id"], c["goal_ids"], c["action_items"][0]["text"]) == ("ana", ["g-backlog"], "Close the IT ticket")
    patched = as_ana.api("PATCH", f"/api/checkins/{c['id']}", json={
        "action_items": [{"text": "Close the IT ticket", "owner_id": "ana", "done": True}], "status": "held"}).json()
    assert [{k: v for k, v in a.items() if k != "id"} for a in patched["action_items"]] == [
        {"text": "Close the IT ticket", "owner_id": "ana", "due_date": None, "done": True}]
    assert patched["goal_ids"] == ["g-backlog"] and patched["notes"] == "Scanner fixed."
    assert as_ana.api("GET", "/api/people/sam/checkins").json()[0]["id"] == c["id"]
    assert errors(as_ana.api("POST", "/api/checkins", json={"employee_id": "sam", "date": "2026-09-01",
                                                             "status": "postponed"})) == {
        "body.status": "Input should be 'held', 'missed' or 'cancelled'"}


def test_kpi_values_one_per_date(web, as_ana):
    first = as_ana.api("POST", "/api/kpis/k-frt/values", json={"date": "2026-09-07", "value": 5.9})
    again = as_ana.api("PUT", "/api/kpis/k-frt/values/2026-09-07", json={"date": "2026-09-07", "value": 5.1})
    assert first.status_code == 201 and again.status_code == 200
    kpi = as_ana.api("GET", "/api/kpis/k-frt?since=2026-09-01").json()
    assert kpi["values"] == [{"kpi_id": "k-frt", "date": "2026-09-07", "value": 5.1}]
    with web.state.web.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(KPIValue).where(KPIValue.kpi_id == "k-frt")) == 15
    assert errors(as_ana.api("PUT", "/api/kpis/k-frt/values/2026-09-08", json={"date": "2026-09-07", "value": 1})) == {
        "body.date": "must equal the date in the path (2026-09-08)"}
    assert errors(as_ana.api("POST", "/api/kpis/k-frt/values", content='{"date": "2026-09-08", "value": NaN}',
                             headers={"Content-Type": "application/json"})) == {
        "body.value": "Input should be a finite number"}


def test_feedback_giver_anonymity_and_edits(web, as_ana):
    made = as_ana.api("POST", "/api/feedback", json={"to_id": "sam", "date": "2026-09-01", "kind": "praise",
                                                     "text": "Thanks for the scanner write-up."})
    assert made.status_code == 201 and made.json()["from_id"] == "ana"
    olivia = signed_in(web, "olivia")
    upward = olivia.api("GET", "/api/feedback/f4").json()
    assert upward["kind"] == "upward" and upward["from_id"] is None
    assert olivia.api("PATCH", f"/api/feedback/{made.json()['id']}", json={"text": "Edited"}).status_code == 403
    edited = as_ana.api("PATCH", f"/api/feedback/{made.json()['id']}", json={"text": "Thanks for the write-up!"})
    assert edited.json()["text"] == "Thanks for the write-up!"
    sam = signed_in(web, "sam")
    assert sam.api("GET", "/api/feedback/f4").json()["from_id"] == "sam"  # the giver sees their own name
    assert [f["id"] for f in as_ana.api("GET", "/api/people/sam/feedback").json()][:2] == [made.json()["id"], "f5"]


OUT_OF_REACH = [
    ("GET", "/api/people/sam", None), ("GET", "/api/people/sam/goals", None), ("GET", "/api/goals/g-backlog", None),
    ("PATCH", "/api/goals/g-backlog", {"title": "Hijacked"}), ("GET", "/api/goals/g-obj/key-results", None),
    ("POST", "/api/goals/g-obj/key-results", {"title": "Hijacked"}), ("GET", "/api/goals/g-backlog/updates", None),
    ("POST", "/api/goals/g-backlog/updates", {"date": "2026-09-01", "value": 1}), ("GET", "/api/updates/u-b1", None),
    ("PATCH", "/api/updates/u-b1", {"note": "Hijacked"}), ("GET", "/api/people/sam/checkins", None),
    ("GET", "/api/checkins/c-s7", None), ("PATCH", "/api/checkins/c-s7", {"notes": "Hijacked"}),
    ("GET", "/api/kpis/k-csat", None), ("POST", "/api/kpis/k-csat/values", {"date": "2026-09-01", "value": 1}),
    ("PUT", "/api/kpis/k-csat/values/2026-09-01", {"date": "2026-09-01", "value": 1}),
    ("GET", "/api/people/sam/feedback", None), ("GET", "/api/feedback/f1", None),
    ("PATCH", "/api/feedback/f1", {"text": "Hijacked"}),
]


@pytest.mark.parametrize("method, path, body", OUT_OF_REACH)
def test_another_teams_records_are_404_on_every_route(web, as_raj, method, path, body):
    before = _snapshot(web)
    response = as_raj.api(method, path, json=body)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert _snapshot(web) == before


@pytest.mark.parametrize("method, path, body", OUT_OF_REACH)
def test_unknown_ids_are_404_on_every_route(as_ana, method, path, body):
    ids = {"sam", "g-backlog", "g-obj", "u-b1", "c-s7", "k-csat", "f1"}
    unknown = "/".join("nothing" if part in ids else part for part in path.split("/"))
    assert as_ana.api(method, unknown, json=body).status_code == 404


def _snapshot(web) -> str:
    from tools.bundle import export_data

    with web.state.web.runtime.sessions() as session:
        return json.dumps(export_data(session), sort_keys=True, default=str)


def test_large_bodies_get_413_before_anything_is_read(tmp_path, seeded_sqlite):
    import shutil

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False, max_body=2048)
    ana = signed_in(app, "ana")
    big = {"to_id": "sam", "date": "2026-09-01", "kind": "praise", "text": "x" * 5000}
    declared = ana.api("POST", "/api/feedback", json=big)
    assert declared.status_code == 413
    assert declared.json() == {"detail": "The request body is larger than 2048 bytes."}
    chunked = ana.api("POST", "/api/feedback", content=iter([b'{"text": "', b"x" * 3000, b'"}']),
                      headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    small = ana.api("POST", "/api/feedback", content=iter([json.dumps({**big, "text": "ok"}).encode()]),
                    headers={"Content-Type": "application/json"})
    assert small.status_code == 201
    app.state.web.runtime.engine.dispose()


def test_openapi_document_and_reference_page(web):
    client = TestClient(web)
    spec = client.get("/api/openapi.json").json()
    assert {"/api/goals", "/api/checkins", "/api/feedback", "/api/chat", "/api/kpis/{kpi_id}/values"} <= set(spec["paths"])
    assert "text/event-stream" in spec["paths"]["/api/chat"]["post"]["responses"]["200"]["content"]
    assert not any(p.startswith(("/people", "/signin", "/goals")) for p in spec["paths"])  # pages stay out
    page = client.get("/api/docs")
    assert page.status_code == 200 and "<code>POST /api/goals</code>" in page.text
    assert "<script" not in page.text


def test_api_writes_persist_for_the_next_request(web, as_ana):
    as_ana.api("POST", "/api/goals/g-backlog/updates", json={"date": "2026-09-01", "value": 150})
    with web.state.web.runtime.sessions() as session:
        assert session.scalar(select(ProgressUpdate.value).where(ProgressUpdate.date == "2026-09-01")) == 150


def test_the_app_works_the_same_on_sqlite_and_postgresql(any_db_url, tmp_path):
    from test_web_support import sse_events

    app = make_app(any_db_url, tmp_path)
    try:
        ana = signed_in(app, "ana")
        assert "Lee Park" in ana.client.get("/").text
        goal = ana.api("POST", "/api/goals", json={"owner_id": "sam", "title": "Zero-NUL\u00e9 goal", "target": 3}).json()
        assert ana.api("PATCH", f"/api/goals/{goal['id']}", json={"current": 1}).json()["current"] == 1
        assert errors(ana.api("PATCH", f"/api/goals/{goal['id']}", json={"title": "a\u0000b"})) == {
            "body.title": "Value error, must not contain NUL characters"}
        assert ana.api("GET", "/api/goals/a%00b").status_code == 422
        events = sse_events(ana.api("POST", "/api/chat", json={"message": "How is my team doing?"}).text)
        assert events[-1][0] == "done"
        assert signed_in(app, "raj").client.get("/people/sam").status_code == 403
    finally:
        app.state.web.runtime.engine.dispose()

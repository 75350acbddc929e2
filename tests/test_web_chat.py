"""The chat endpoint: server-sent events in order, citations as record links, follow-ups in
one conversation, stopping an answer on the server, and conversations shared by workers."""
from __future__ import annotations

import json
import shutil
import time

import httpx
from fastapi.testclient import TestClient

from assistant.providers.fake import ScriptedChatModel
from test_web_support import (  # noqa: F401  (fixtures)
    ALLOWED, LiveServer, as_ana, as_raj, make_app, seeded_sqlite, signed_in, sse_events, web,
)
from tools.store.accounts import create_api_token
from tools.store.conversations import Conversation


def ask(browser, message: str, conversation_id: str | None = None) -> list[tuple[str, dict]]:
    response = browser.api("POST", "/api/chat", json={"message": message, "conversation_id": conversation_id})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    return sse_events(response.text)


def test_events_stream_in_order_with_tool_progress_and_cited_links(as_ana):
    events = ask(as_ana, "Why is Sam Lee's ticket backlog goal off track?")
    names = [name for name, _ in events]
    assert names[0] == "session" and names[-2:] == ["citations", "done"]
    assert names[1:3] == ["tool_start", "tool_end"] and "token" in names
    assert names.index("tool_end") < names.index("token")
    assert events[1][1] == {"name": "explain_goal", "label": "checking the goal 'ticket backlog'"}
    tokens = "".join(d["text"] for n, d in events if n == "token")
    done = events[-1][1]
    assert done["session_id"] == events[0][1]["session_id"]
    assert "[1]" in done["answer"] and "[1]" not in tokens  # markers are attached after streaming
    first = done["citations"][0]
    assert (first["kind"], first["id"], first["url"]) == ("goal", "g-backlog", "http://testserver/records/goal/g-backlog")
    assert "37 points (59 tickets) behind pace" in tokens


def test_follow_ups_keep_the_conversation_and_its_focus(web, as_ana):
    first = ask(as_ana, "Why is Sam Lee's ticket backlog goal off track?")
    session_id = first[0][1]["session_id"]
    second = ask(as_ana, "What did we agree in his last 1:1?", session_id)
    assert second[0][1]["session_id"] == session_id
    assert ("tool_start", {"name": "last_checkin", "label": "reading Sam Lee's last 1:1"}) in second
    conv = as_ana.api("GET", f"/api/conversations/{session_id}").json()
    assert [m["role"] for m in conv["messages"]] == ["user", "assistant", "user", "assistant"]
    assert conv["messages"][1]["citations"][0]["url"] == "http://testserver/records/goal/g-backlog"


def test_someone_elses_conversation_is_404(web, as_ana, as_raj):
    session_id = ask(as_ana, "How is my team doing?")[0][1]["session_id"]
    assert as_raj.api("GET", f"/api/conversations/{session_id}").status_code == 404
    hijack = as_raj.api("POST", "/api/chat", json={"message": "And Sam?", "conversation_id": session_id})
    assert hijack.status_code == 404 and hijack.json() == {"detail": "No such conversation of yours."}


def test_questions_about_another_team_get_a_refusal_without_data(as_raj):
    events = ask(as_raj, "Why is Lee Park's CSAT goal at risk?")
    done = events[-1][1]
    assert done["citations"] == [] and ("not in your reporting chain" in done["answer"] or "in your reach" in done["answer"])
    tokens = "".join(d["text"] for n, d in events if n == "token")
    for leak in ("92%", "88", "survey", "Improve onboarding"):
        assert leak not in done["answer"] and leak not in tokens


def test_a_bearer_token_from_an_allowed_origin_can_chat(web):
    with web.state.web.runtime.sessions() as session:
        secret, _ = create_api_token(session, "ana")
        session.commit()
    response = TestClient(web).post("/api/chat", json={"message": "How is my team doing?"},
                                    headers={"Authorization": f"Bearer {secret}", "Origin": ALLOWED})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ALLOWED
    assert sse_events(response.text)[-1][0] == "done"


def test_blank_and_oversized_messages_are_422(as_ana):
    assert as_ana.api("POST", "/api/chat", json={"message": "   "}).status_code == 422
    too_long = as_ana.api("POST", "/api/chat", json={"message": "x" * 4001})
    assert too_long.json()["detail"][0]["loc"] == ["body", "message"]


def test_model_text_travels_as_json_data_never_as_markup(web, tmp_path):
    """Whatever the model writes arrives as a JSON string in ``data:``; rendering it is the widget's job (as text)."""
    model = ScriptedChatModel(responder=lambda messages: 'Try <img src=x onerror="alert(1)"> now.\n\nevent: done')
    shutil.copy(web.state.web.runtime.engine.url.database, tmp_path / "copy.db")
    app = make_app(f"sqlite:///{tmp_path / 'copy.db'}", tmp_path, seed=False, upgrade=False, model=model)
    events = ask(signed_in(app, "ana"), "How is my team doing?")
    assert [n for n, _ in events].count("done") == 1  # a fake 'event:' line in model text is just text
    assert 'Try <img src=x onerror="alert(1)"> now.' in events[-1][1]["answer"]
    app.state.web.runtime.engine.dispose()


def test_stop_cancels_the_answer_on_the_server_and_keeps_what_was_written(tmp_path, seeded_sqlite):
    long_answer = " ".join(f"word{i}" for i in range(400))
    model = ScriptedChatModel(responder=lambda messages: long_answer, token_delay=0.01)  # about 4 s in full
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False, model=model)
    ana = signed_in(app, "ana")
    stats = app.state.web.streams
    with LiveServer(app) as server:
        cookies = {k: v for k, v in ana.client.cookies.items()}
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=10) as client:
            with client.stream("POST", "/api/chat", json={"message": "How is my team doing?"},
                               headers={"X-CSRF-Token": ana.csrf}) as response:
                seen = ""
                for chunk in response.iter_text():
                    seen += chunk
                    if seen.count("event: token") >= 5:
                        break
        started = time.monotonic()
        while (stats.active or not stats.cancelled) and time.monotonic() - started < 3:
            time.sleep(0.02)
    assert (stats.cancelled, stats.completed, stats.active) == (1, 0, 0)
    assert time.monotonic() - started < 2  # stopped long before the 4 s the full answer takes
    with app.state.web.runtime.sessions() as session:
        conv = session.query(Conversation).one()
        roles = [(m.role, m.content) for m in conv.messages]
    assert roles[0] == ("user", "How is my team doing?")
    assert roles[1][0] == "assistant" and roles[1][1].startswith("word0 word1 word2")
    assert roles[1][1].endswith(" (stopped)") and len(roles[1][1].split()) < 200
    app.state.web.runtime.engine.dispose()


def test_a_conversation_continues_on_another_worker(web, tmp_path, as_ana):
    session_id = ask(as_ana, "Why is Sam Lee's ticket backlog goal off track?")[0][1]["session_id"]
    other = make_app(str(web.state.web.runtime.engine.url), tmp_path, seed=False, upgrade=False)
    try:
        second = signed_in(other, "ana")
        events = ask(second, "What did we agree in his last 1:1?", session_id)
        assert events[-1][0] == "done" and events[-1][1]["session_id"] == session_id
        assert len(second.api("GET", f"/api/conversations/{session_id}").json()["messages"]) == 4
    finally:
        other.state.web.runtime.engine.dispose()


def test_the_goal_pages_question_is_answered_about_that_very_goal(as_ana):
    import html
    import re

    page = as_ana.client.get("/goals/g-macros").text
    question = html.unescape(re.search(r'data-coach-ask="([^"]+)"', page).group(1))
    events = ask(as_ana, question)
    assert events[1][1]["name"] == "explain_goal"
    cited = {(c["kind"], c["id"]) for c in events[-1][1]["citations"]}
    assert ("goal", "g-macros") in cited and ("goal", "g-backlog") not in cited


def test_more_streams_than_pooled_connections_all_finish(tmp_path, seeded_sqlite):
    """Each agent turn holds a pooled connection while the model writes; turns beyond the pool wait
    for a slot instead of blocking the event loop on the pool (which froze the server)."""
    import asyncio

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    model = ScriptedChatModel(responder=lambda messages: "one two three four five six", token_delay=0.02)
    # The streams come from two people, each under the per-person limits raised for this test.
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False, model=model,
                   chat_concurrent=20, model_per_minute=1000)
    pool = app.state.web.runtime.engine.pool
    streams = pool.size() + pool._max_overflow + 10
    with app.state.web.runtime.sessions() as session:
        tokens = [create_api_token(session, who, scopes=["chat"])[0] for who in ("ana", "raj")]
        session.commit()

    async def run(url: str) -> list[str]:
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=streams)) as client:
            async def one(i: int) -> str:
                response = await client.post("/api/chat", json={"message": f"How is my team doing? ({i})"},
                                             headers={"Authorization": f"Bearer {tokens[i % 2]}"})
                return sse_events(response.text)[-1][0]
            return await asyncio.gather(*(one(i) for i in range(streams)))

    with LiveServer(app) as server:
        started = time.monotonic()
        ends = asyncio.run(run(server.url))
    assert ends == ["done"] * streams
    assert time.monotonic() - started < 25
    assert app.state.web.streams.completed == streams and app.state.web.streams.active == 0
    app.state.web.runtime.engine.dispose()


def test_a_missing_model_is_explained_in_the_log_not_to_the_user(tmp_path, seeded_sqlite, caplog):
    """The person sees a plain message; the setting to fix is named in the server log only."""
    from assistant.settings import Settings
    from web.app import create_app
    from web.coach import PUBLIC_ERROR

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'coach.db'}",
                        llm_provider="openai-compatible", llm_base_url=None)
    app = create_app(settings, upgrade=False)
    ana = signed_in(app, "ana")
    events = ask(ana, "How is my team doing?")
    assert [name for name, _ in events] == ["session", "error"]
    assert events[1][1]["message"] == PUBLIC_ERROR and "COACH_LLM" not in events[1][1]["message"]
    assert "COACH_LLM_BASE_URL" in caplog.text
    page = ana.form("/people/sam/prep/draft")
    assert page.status_code == 200 and "COACH_LLM" not in page.text
    assert "Coach could not draft this: Coach could not reach its language model" in page.text
    app.state.web.runtime.engine.dispose()


def test_a_failing_model_server_is_not_named_in_the_stream(tmp_path, seeded_sqlite, caplog):
    """Finding (issue 12): SSE error events showed the model server's URL and the exception text."""
    import httpx

    def refuse(messages):
        raise httpx.ConnectError("[Errno 111] Connection refused",
                                 request=httpx.Request("POST", "http://10.1.2.3:8001/v1/chat/completions"))

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, model=ScriptedChatModel(responder=refuse),
                   seed=False, upgrade=False)
    events = ask(signed_in(app, "ana"), "How is my team doing?")
    assert events[-1][0] == "error"
    shown = json.dumps(events)
    assert "10.1.2.3" not in shown and "Errno" not in shown and "Connection refused" not in shown
    assert "10.1.2.3" in caplog.text
    app.state.web.runtime.engine.dispose()

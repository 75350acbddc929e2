"""The Slack app under the web app, driven like Slack drives it: signed HTTP requests to
/slack/events, and a scripted Slack Web API on loopback (tests/slack_fake.py) for its calls.
Answers match the widget's; people map by verified email; reach holds; stale signatures and
retried events are refused and dropped; nothing reaches a channel without a manager's opt-in."""
from __future__ import annotations

import asyncio
import json
import shutil
import time
from urllib.parse import urlencode

import httpx
import pytest
from slack_fake import TEAM, FakeSlack
from slack_sdk.signature import SignatureVerifier
from test_web_support import LiveServer, make_app, seeded_sqlite  # noqa: F401  (fixture)

from assistant.agent import Done, stream_reply
from assistant.integrations import slack_people, slack_text
from assistant.providers.fake import scripted_from_settings
from tools.access import load_viewer
from tools.store.integrations import DigestOptOut, SlackLink

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BASE = "https://coach.example"
USERS = {"U0ANA": "ana.ruiz@example.com", "U0RAJ": "Raj.Patel@Example.com", "U0SAM": "sam.lee@example.com",
         "U0NOBODY": "nobody@elsewhere.example", "U0NEW": "olivia.chen@example.com"}


@pytest.fixture
def slack():
    fake = FakeSlack(users=dict(USERS), unconfirmed={"U0NEW"})
    with LiveServer(fake.app()) as api:
        fake.url = api.url
        yield fake


@pytest.fixture
def coach(tmp_path, seeded_sqlite, slack):
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False,
                   slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
                   slack_api_url=f"{slack.url}/api", public_url=BASE)
    with LiveServer(app) as server:
        server.app = app
        yield server
    app.state.web.runtime.engine.dispose()


def signed(body: str, *, age: int = 0, secret: str = SECRET, content_type: str = "application/json", **headers):
    stamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature, "Content-Type": content_type,
            **headers}


def dm(coach, user: str, text: str, event_id: str = "Ev1", **headers) -> httpx.Response:
    body = json.dumps({"token": "unused", "team_id": TEAM, "api_app_id": "A0COACH", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()),
                       "event": {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
                                 "text": text, "ts": "1700000000.000100"}})
    return httpx.post(f"{coach.url}/slack/events", content=body, headers=signed(body, **headers))


def slash(coach, user: str, text: str, channel: str = "C0GENERAL") -> httpx.Response:
    body = urlencode({"token": "unused", "team_id": TEAM, "channel_id": channel, "channel_name": "general",
                      "user_id": user, "command": "/coach", "text": text, "trigger_id": "13345224609.738474920.8088930",
                      "response_url": "https://hooks.slack.invalid/commands/1"})
    return httpx.post(f"{coach.url}/slack/events", content=body,
                      headers=signed(body, content_type="application/x-www-form-urlencoded"))


def final_posts(slack: FakeSlack, count: int = 1) -> list[dict]:
    """The first ``count`` messages once each has its final text (not 'Working on it')."""
    return slack.wait_for(lambda s: (lambda p: p if len(p) >= count and all(
        not m["texts"][-1].startswith("_Working on it") for m in p) else None)(s.posts()))[:count]


def widget_answer(app, who: str, question: str):
    async def run():
        runtime = app.state.web.runtime
        with runtime.sessions() as s:
            viewer = load_viewer(s, who)
        events = [e async for e in stream_reply(runtime, viewer, None, question, model=scripted_from_settings())]
        assert isinstance(events[-1], Done)
        return events[-1].result

    return asyncio.run(run())


def test_a_dm_gets_the_widgets_answer_with_progress_and_linked_citations(coach, slack):
    question = "Why is Sam Lee's ticket backlog goal off track?"
    assert dm(coach, "U0ANA", question).status_code == 200
    [post] = final_posts(slack)
    widget = widget_answer(coach.app, "ana", question)
    assert post["channel"] == "DU0ANA"
    assert post["texts"][0] == "_Working on it…_"
    assert "_Working on it: checking the goal 'ticket backlog'…_" in post["texts"][1:-1]
    assert post["texts"][-1] == slack_text.answer(widget.answer, widget.citations, BASE)
    assert f"<{BASE}/records/goal/g-backlog|[1]>" in post["texts"][-1] and "*Sources*" in post["texts"][-1]
    assert [call["user"] for call in slack.of("users.info")] == ["U0ANA"]


def test_slack_users_are_mapped_by_verified_email_once(coach, slack):
    dm(coach, "U0RAJ", "How is my team doing?", "Ev1")  # the Slack email differs in case only
    final_posts(slack)
    dm(coach, "U0RAJ", "How is Mia Wong doing?", "Ev2")
    final_posts(slack, 2)
    assert len(slack.of("users.info")) == 1  # the link is remembered
    with coach.app.state.web.runtime.sessions() as s:
        link = s.get(SlackLink, (TEAM, "U0RAJ"))
        assert (link.person_id, link.email) == ("raj", "raj.patel@example.com")
        assert link.conversation_id  # follow-ups in the DM continue one conversation


def test_an_unmapped_user_is_told_how_to_link_and_gets_no_answer(coach, slack):
    dm(coach, "U0NOBODY", "How is my team doing?", "Ev1")
    dm(coach, "U0NEW", "How is my team doing?", "Ev2")
    posts = slack.wait_for(lambda s: s.posts() if len(s.posts()) == 2 else None)
    texts = {p["channel"]: p["texts"] for p in posts}
    assert texts["DU0NOBODY"] == [
        "I can't find you in Coach: no one there has your Slack email (nobody@elsewhere.example). To link your "
        f"account, make the email on your Slack profile the one you sign in to Coach with ({BASE}/signin), or ask "
        "your Coach admin to add you with this email. Then ask me again."]
    assert texts["DU0NEW"] == ["Your Slack email is not confirmed yet: confirm it in Slack, then ask me again."]
    assert slack.of("chat.update") == []  # the agent never ran
    with coach.app.state.web.runtime.sessions() as s:
        assert s.query(SlackLink).count() == 0


def test_a_person_deactivated_in_the_directory_gets_no_answer(coach, slack):
    from tools.store.models import Person

    dm(coach, "U0RAJ", "How is my team doing?", "Ev1")  # linked while active
    final_posts(slack)
    with coach.app.state.web.runtime.sessions() as s:
        s.get(Person, "raj").active = False
        s.get(Person, "ana").active = False  # and one never linked
        s.commit()
    dm(coach, "U0RAJ", "How is my team doing?", "Ev2")
    dm(coach, "U0ANA", "How is my team doing?", "Ev3")
    posts = slack.wait_for(lambda s: s.posts() if len(s.posts()) == 3 else None)
    texts = {p["channel"]: p["texts"] for p in posts[1:]}
    assert texts["DU0RAJ"] == [slack_people.DEACTIVATED] and texts["DU0ANA"] == [slack_people.DEACTIVATED]
    with coach.app.state.web.runtime.sessions() as s:
        assert s.get(SlackLink, (TEAM, "U0ANA")) is None


def test_a_question_outside_the_managers_reach_is_refused_with_nothing_leaked(coach, slack):
    dm(coach, "U0RAJ", "Why is Lee Park's CSAT goal at risk?")
    [post] = final_posts(slack)
    answer = post["texts"][-1]
    assert "not in your reporting chain" in answer and "Sources" not in answer
    for leak in ("92%", "88", "survey", "onboarding"):
        assert all(leak not in text for text in post["texts"])


def test_without_the_email_scope_the_user_is_told_what_the_admin_must_grant(coach, slack):
    slack.users_error = "missing_scope"
    dm(coach, "U0ANA", "How is my team doing?")
    [post] = slack.wait_for(lambda s: s.posts() or None)
    assert post["texts"] == ["I can't read your Slack email, so I can't tell who you are in Coach. Ask your Slack "
                             "admin to give the Coach app the users:read.email scope."]


def test_stale_or_forged_signatures_are_refused_before_anything_runs(coach, slack):
    assert dm(coach, "U0ANA", "How is my team doing?", age=10 * 60).status_code == 401
    assert dm(coach, "U0ANA", "How is my team doing?", "Ev2", secret="not-the-secret").status_code == 401
    body = json.dumps({"type": "event_callback", "event_id": "Ev3", "event": {"type": "message"}})
    assert httpx.post(f"{coach.url}/slack/events", content=body).status_code == 401
    time.sleep(0.5)
    assert slack.calls == []


def test_a_retried_event_is_answered_once(coach, slack):
    assert dm(coach, "U0ANA", "How is my team doing?", "Ev9").status_code == 200
    retry = dm(coach, "U0ANA", "How is my team doing?", "Ev9", **{"X-Slack-Retry-Num": "1",
                                                                  "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200
    final_posts(slack)
    time.sleep(0.5)
    assert len(slack.of("chat.postMessage")) == 1


def test_slash_command_answers_go_to_the_dm_until_a_manager_opts_a_channel_in(coach, slack):
    assert slash(coach, "U0ANA", "How is my team doing?").status_code == 200
    [answer] = final_posts(slack)
    assert answer["channel"] == "DU0ANA"  # not C0GENERAL
    slash(coach, "U0ANA", "post here")
    slack.wait_for(lambda s: len(s.posts()) == 2)
    slash(coach, "U0ANA", "How is Sam Lee doing?")
    posts = final_posts(slack, 3)
    assert posts[1]["texts"] == ["From now on my answers to you are posted in this channel for everyone in it."]
    assert posts[2]["channel"] == "C0GENERAL"
    slash(coach, "U0SAM", "post here", channel="C0RANDOM")  # an employee cannot open a channel
    assert slack.wait_for(lambda s: s.posts()[3:] or None)[0]["texts"] == [
        "Only managers can have my answers posted in a channel."]
    assert all(p["channel"] != "C0RANDOM" for p in slack.posts())


def test_help_and_the_digest_opt_out_by_command(coach, slack):
    help_reply = slash(coach, "U0ANA", "")
    assert help_reply.status_code == 200 and "/coach digest off" in help_reply.text
    slash(coach, "U0ANA", "digest off")
    [post] = slack.wait_for(lambda s: s.posts() or None)
    assert post["texts"] == ["You will no longer get the weekly digest."]
    with coach.app.state.web.runtime.sessions() as s:
        assert s.get(DigestOptOut, "ana") is not None


def test_slack_is_off_until_configured(tmp_path, seeded_sqlite):
    from fastapi.testclient import TestClient

    from assistant.integrations.config import NotConfigured

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    plain = make_app(url, tmp_path, seed=False, upgrade=False, slack_bot_token="xoxb-only-for-the-digest")
    assert TestClient(plain).post("/slack/events", content="{}").status_code == 404
    with pytest.raises(NotConfigured, match="^COACH_PUBLIC_URL is not set"):
        make_app(url, tmp_path, seed=False, upgrade=False, slack_bot_token="xoxb-x", slack_signing_secret=SECRET)


def test_coach_slack_names_the_missing_setting(tmp_path):
    from click.testing import CliRunner

    from assistant.cli import build_cli, cli

    build_cli()
    env = {"COACH_DATA_DIR": str(tmp_path), "COACH_SLACK_BOT_TOKEN": "xoxb-x"}
    result = CliRunner().invoke(cli, ["slack"], env=env)
    assert result.exit_code == 1 and result.output.startswith("Error: COACH_SLACK_APP_TOKEN is not set")
    result = CliRunner().invoke(cli, ["slack"], env={**env, "COACH_SLACK_APP_TOKEN": "xoxp-wrong-kind"})
    assert "COACH_SLACK_APP_TOKEN=(hidden): Value error, must start with xapp-" in result.output

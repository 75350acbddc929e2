"""The weekly digest on a planted week (tests/digest_org.py): it names exactly the goals that
turned at risk, is sent over a real local SMTP server (aiosmtpd) as text and HTML, once per
week and person, and not to people who opted out."""
from __future__ import annotations

import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from digest_org import TITLES, TODAY, TURNED, build_digest_org
from factories import context
from servers import free_port
from test_web_support import seeded_sqlite  # noqa: F401  (fixture)

from assistant.integrations.config import NotConfigured
from assistant.integrations.digest_render import render_html, render_slack, render_text
from assistant.integrations.digest_send import send_digests
from assistant.runtime import Runtime
from assistant.settings import Settings
from tools.digest import manager_week
from tools.store.db import session_factory
from tools.store.integrations import DigestLog, DigestOptOut, set_digest_opt_out

BASE = "https://coach.example"


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def sessions(any_engine):
    factory = session_factory(any_engine)
    with factory() as s:
        build_digest_org(s)
    return factory


def runtime_for(sessions, tmp_path, **settings) -> Runtime:
    return Runtime(settings=Settings(_env_file=None, data_dir=tmp_path, llm_provider="fake", public_url=BASE,
                                     **settings), engine=sessions.kw["bind"], sessions=sessions)


def mail_settings(port: int, **more) -> dict:
    return dict(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", smtp_from="coach@coach.example") | more


def named_goals(text: str) -> set[str]:
    return {gid for gid, title in TITLES.items() if title in text}


@pytest.mark.parametrize("manager", sorted(TURNED))
def test_the_digest_of_a_planted_week_names_exactly_the_goals_that_turned_at_risk(sessions, manager):
    with sessions() as s:
        week = manager_week(context(s, manager, today=TODAY))
    assert [t.goal_id for t in week.turned] == TURNED[manager]
    for rendered in (render_text(week, BASE), render_html(week, BASE), render_slack(week, BASE)):
        assert named_goals(rendered) == set(TURNED[manager])


def test_each_turned_goal_comes_with_its_reasons_and_links(sessions):
    with sessions() as s:
        week = manager_week(context(s, "maya", today=TODAY))
    text = render_text(week, BASE)
    assert "'Migrate the invoice archive' (Ben Ortiz): off track, on track a week ago. [1]" in text
    assert "Past its due date 2026-08-28 by 4 days without reaching the target 10 batches" in text
    assert "Behind pace by 13 points: 55% done against 68% expected by 2026-09-01" in text
    assert 'Open blocker from the 1:1 on 2026-08-28: "Billing data feed is broken".' in text
    links = dict(re.findall(r"^\[(\d+)\] (\S+)$", text, re.M))
    cited = re.search(r"'Cut monthly churn to 3%'.*?((?:\[\d+\])+)$", text, re.M).group(1)
    assert [links[n] for n in re.findall(r"\d+", cited)] == [f"{BASE}/records/goal/g-churn",
                                                             f"{BASE}/records/checkin/c-cleo-late"]


def test_the_rest_of_the_week_lapsed_and_due_1_1s_action_items_and_one_question_each(sessions):
    with sessions() as s:
        week = manager_week(context(s, "maya", today=TODAY))
    assert [o.name for o in week.lapsed] == ["Dev Rao"]
    assert [(o.name, o.next_due.isoformat()) for o in week.due] == [("Eli Stone", "2026-09-01"),
                                                                    ("Ben Ortiz", "2026-09-08")]
    assert [(a.text, a.owner) for a in week.overdue_actions] == [("Send the export spec to finance", "Ben Ortiz")]
    assert [(a.text, a.owner) for a in week.due_actions] == [("Book a pairing session with the data team", "you")]
    asked = {q.name: q.text for q in week.questions}
    assert set(asked) == {"Ben Ortiz", "Cleo Ward", "Dev Rao"}  # at most one each; Eli has nothing pressing
    assert asked["Dev Rao"] == "What has taken most of your time since our last 1:1 on 2026-07-14, Dev?"
    assert all(q.endswith("?") for q in asked.values())


def test_digests_go_out_by_smtp_as_text_and_html_once_per_week(sessions, tmp_path, smtp):
    inbox, port = smtp
    runtime = runtime_for(sessions, tmp_path, **mail_settings(port))
    first = send_digests(runtime, today=TODAY)
    assert sorted((o.email, o.status) for o in first) == [
        ("maya.chen@example.com", "sent"), ("nina.holt@example.com", "sent"), ("vera.long@example.com", "sent")]
    again = send_digests(runtime, today=TODAY)
    assert {o.status for o in again} == {"already"} and len(inbox.messages) == 3
    [mail] = inbox.to("maya.chen@example.com")
    assert mail["Subject"] == "Coach: your week 2026-W36: 3 goals turned at risk"
    assert mail["From"] == "coach@coach.example" and mail["List-Unsubscribe"] == f"<{BASE}/digest>"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert text == render_text(manager_week_of(sessions, "maya"), BASE)
    assert named_goals(text) == named_goals(html) == set(TURNED["maya"])
    assert f'<a href="{BASE}/records/goal/g-invoices"' in html
    with sessions() as s:
        logged = {(r.person_id, r.week, r.channel, r.status) for r in s.query(DigestLog)}
    assert ("maya", "2026-W36", "email", "sent") in logged


def manager_week_of(sessions, who):
    with sessions() as s:
        return manager_week(context(s, who, today=TODAY))


def test_the_html_reads_as_plain_text_too(sessions):
    """Every line of the plain-text digest (links aside) is in the HTML once its tags are gone."""
    import html as htmllib

    week = manager_week_of(sessions, "maya")
    stripped = htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_html(week, BASE))))
    for line in render_text(week, BASE).splitlines():
        line = re.sub(r"\s*(\[\d+\])+$", "", line.strip()).removeprefix("- ")
        if line and not re.match(r"^\[\d+\] http", line) and line != "Links":
            assert " ".join(line.split()) in stripped


def test_people_who_opted_out_get_nothing(sessions, tmp_path, smtp):
    inbox, port = smtp
    with sessions() as s:
        set_digest_opt_out(s, "maya", True)
        s.commit()
    outcomes = send_digests(runtime_for(sessions, tmp_path, **mail_settings(port)), today=TODAY)
    assert ("maya.chen@example.com", "skipped") in {(o.email, o.status) for o in outcomes}
    assert inbox.to("maya.chen@example.com") == [] and len(inbox.messages) == 2


def test_a_manager_deactivated_in_the_directory_gets_no_digest(sessions, tmp_path, smtp):
    from tools.store.identity import set_active
    from tools.store.models import Person

    inbox, port = smtp
    with sessions() as s:
        set_active(s, s.get(Person, "maya"), False)
        s.commit()
    outcomes = send_digests(runtime_for(sessions, tmp_path, **mail_settings(port)), today=TODAY)
    assert "maya.chen@example.com" not in {o.email for o in outcomes}
    assert inbox.to("maya.chen@example.com") == [] and len(inbox.messages) == 2


def test_a_failed_send_is_tried_again_by_the_next_run(sessions, tmp_path, smtp):
    inbox, port = smtp
    down = runtime_for(sessions, tmp_path, **mail_settings(free_port()))
    assert {o.status for o in send_digests(down, today=TODAY, only="maya")} == {"failed"}
    assert [o.status for o in send_digests(runtime_for(sessions, tmp_path, **mail_settings(port)),
                                           today=TODAY, only="maya")] == ["sent"]
    assert len(inbox.to("maya.chen@example.com")) == 1


def test_smtp_authentication(sessions, tmp_path):
    inbox, logins = Inbox(), []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        runtime = runtime_for(sessions, tmp_path, **mail_settings(controller.port, smtp_username="coach",
                                                                  smtp_password="s3cret"))
        assert [o.status for o in send_digests(runtime, today=TODAY, only="nina")] == ["sent"]
    finally:
        controller.stop()
    assert logins == [(b"coach", b"s3cret")] and len(inbox.messages) == 1


def test_the_digest_is_off_until_a_channel_and_the_public_url_are_set(sessions, tmp_path):
    with pytest.raises(NotConfigured, match="COACH_SMTP_HOST.*COACH_SLACK_BOT_TOKEN"):
        send_digests(runtime_for(sessions, tmp_path), today=TODAY)
    bare = Runtime(settings=Settings(_env_file=None, data_dir=tmp_path, smtp_host="127.0.0.1",
                                     smtp_from="c@coach.example"), engine=sessions.kw["bind"], sessions=sessions)
    with pytest.raises(NotConfigured, match="^COACH_PUBLIC_URL is not set"):
        send_digests(bare, today=TODAY)
    with pytest.raises(NotConfigured, match="^COACH_SMTP_FROM is not set"):
        send_digests(runtime_for(sessions, tmp_path, smtp_host="127.0.0.1"), today=TODAY)


def digest_cli(tmp_path, env: dict, *args: str):
    from assistant.cli import build_cli, cli

    build_cli()
    return CliRunner().invoke(cli, ["digest", *args], env={"COACH_DATA_DIR": str(tmp_path), **env})


def test_coach_digest_sends_reruns_safely_and_opts_people_out(tmp_path, smtp):
    from assistant.runtime import open_runtime

    inbox, port = smtp
    runtime = open_runtime(Settings(_env_file=None, data_dir=tmp_path))
    with runtime.sessions() as s:
        build_digest_org(s)
    runtime.engine.dispose()
    env = {"COACH_SMTP_HOST": "127.0.0.1", "COACH_SMTP_PORT": str(port), "COACH_SMTP_SECURITY": "none",
           "COACH_SMTP_FROM": "coach@coach.example", "COACH_PUBLIC_URL": BASE}
    out = digest_cli(tmp_path, env, "--opt-out", "vera.long@example.com")
    assert out.exit_code == 0 and out.output == "Vera Long will no longer get the weekly digest.\n"
    first = digest_cli(tmp_path, env)
    assert first.exit_code == 0, first.output
    assert "sent     email  maya.chen@example.com  2026-W36, 3 turned at risk" in first.output
    assert "skipped  email  vera.long@example.com  opted out" in first.output
    second = digest_cli(tmp_path, env)
    assert "already  email  maya.chen@example.com  2026-W36" in second.output and len(inbox.messages) == 2
    preview = digest_cli(tmp_path, env, "--preview", "--only", "nina")
    assert preview.output.startswith("To: nina.holt@example.com\nSubject: Coach: your week 2026-W36: 1 goal turned")
    bad = digest_cli(tmp_path, {**env, "COACH_SMTP_FROM": "not an address"})
    assert bad.exit_code == 1 and "COACH_SMTP_FROM='not an address': Value error, must be an email address" in bad.output


def test_with_slack_connected_the_digest_is_also_a_dm(sessions, tmp_path, smtp):
    from slack_fake import FakeSlack
    from test_web_support import LiveServer

    inbox, port = smtp
    fake = FakeSlack(users={"U0MAYA": "maya.chen@example.com"})
    with LiveServer(fake.app()) as api:
        runtime = runtime_for(sessions, tmp_path, **mail_settings(port), slack_bot_token="xoxb-test",
                              slack_api_url=f"{api.url}/api")
        outcomes = {(o.email, o.channel): o.status for o in send_digests(runtime, today=TODAY)}
        assert outcomes[("maya.chen@example.com", "slack")] == "sent"
        assert outcomes[("nina.holt@example.com", "slack")] == "skipped"  # not in this Slack workspace
        assert outcomes[("nina.holt@example.com", "email")] == "sent"
        assert {o.status for o in send_digests(runtime, today=TODAY)} == {"already"}
    [message] = fake.of("chat.postMessage")
    assert message["channel"] == "U0MAYA"
    assert named_goals(message["text"]) == set(TURNED["maya"])
    assert f"<{BASE}/records/goal/g-churn|[3]>" in message["text"]
    assert message["text"].startswith("*Coach: your week 2026-W36: 3 goals turned at risk*")


def test_the_digest_page_turns_it_off_and_on(tmp_path, seeded_sqlite):
    import shutil

    from test_web_support import make_app, signed_in

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False)
    ana = signed_in(app, "ana")
    assert "You get the weekly digest" in ana.client.get("/digest").text
    assert ana.client.post("/digest", data={"receive": "off"}).status_code == 403  # no CSRF token
    assert ana.form("/digest", {"receive": "off"}).headers["location"] == "/digest?saved=1"
    page = ana.client.get("/digest?saved=1").text
    assert "The weekly digest is off" in page and "You will no longer get the weekly digest." in page
    with app.state.web.runtime.sessions() as s:
        assert s.get(DigestOptOut, "ana") is not None
    ana.form("/digest", {"receive": "on"})
    with app.state.web.runtime.sessions() as s:
        assert s.get(DigestOptOut, "ana") is None
    assert signed_in(app, "raj").client.get("/digest").text.count("You get the weekly digest") == 1
    app.state.web.runtime.engine.dispose()

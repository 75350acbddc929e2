"""Abuse limits (issue 12): sign-in backoff and lock per account and per address, at most two
answers at once and a per-minute budget of answers per person; 429 with Retry-After; counters
shared by every worker through the database."""
from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from assistant.providers.fake import scripted_from_settings
from assistant.settings import Settings
from test_web_support import PASSWORD, seeded_sqlite, signed_in, signin_token  # noqa: F401
from web.app import create_app
from web.throttle import ACCOUNT_BACKOFF, Limited, Throttle

EMAIL = "ana.ruiz@example.com"


def _app(tmp_path, **settings):
    db = f"sqlite:///{tmp_path / 'coach.db'}"
    return create_app(Settings(data_dir=tmp_path, database_url=db, llm_provider="fake", **settings), upgrade=False,
                      chat_model=scripted_from_settings())


@pytest.fixture
def app(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    made = _app(tmp_path, model_per_minute=3)
    yield made
    made.state.web.runtime.engine.dispose()


def _signin(client: TestClient, password: str):
    token = signin_token(client.get("/signin").text)
    return client.post("/signin", data={"email": EMAIL, "password": password, "csrf_token": token},
                       follow_redirects=False)


def test_eight_wrong_passwords_then_the_right_one_is_refused_for_a_while(app):
    client = TestClient(app)
    answers = [_signin(client, f"wrong-{i}").status_code for i in range(8)]
    assert answers == [401] * 5 + [429] * 3
    right = _signin(client, PASSWORD)
    assert right.status_code == 429 and 1 <= int(right.headers["retry-after"]) <= 60
    assert "Too many failed sign-ins for this account: wait" in right.text


def test_the_limit_holds_across_workers(app, tmp_path):
    other = _app(tmp_path)  # a second worker: its own engine and app, the same database
    try:
        for i in range(5):
            assert _signin(TestClient(app), f"wrong-{i}").status_code == 401
        assert _signin(TestClient(other), PASSWORD).status_code == 429
    finally:
        other.state.web.runtime.engine.dispose()


def test_a_success_clears_the_accounts_failures(app):
    client = TestClient(app)
    for i in range(4):
        _signin(client, f"wrong-{i}")
    assert _signin(client, PASSWORD).status_code == 303
    assert [_signin(TestClient(app), f"again-{i}").status_code for i in range(5)] == [401] * 5


def test_ten_failures_lock_the_account_and_the_message_says_so(app):
    throttle: Throttle = app.state.web.throttle
    for _ in range(10):
        throttle.signin_failed(EMAIL, "10.0.0.1")
    throttle.limiter.clear(ACCOUNT_BACKOFF, "signin-account", EMAIL)  # past the backoff minute
    with pytest.raises(Limited) as err:
        throttle.check_signin(EMAIL.upper(), "10.0.0.2")
    assert "locked for" in err.value.message and err.value.retry_after > 60


def test_one_address_trying_many_accounts_is_slowed(app):
    throttle: Throttle = app.state.web.throttle
    for i in range(20):
        throttle.signin_failed(f"user{i}@example.com", "10.9.9.9")
    with pytest.raises(Limited, match="from your network"):
        throttle.check_signin("someone.else@example.com", "10.9.9.9")
    throttle.check_signin("someone.else@example.com", "10.9.9.8")


def test_answers_per_minute_get_a_429_with_retry_after(app):
    ana = signed_in(app, "ana")
    codes = [ana.api("POST", "/api/chat", json={"message": "How is my team doing?"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = ana.api("POST", "/api/chat", json={"message": "And now?"})
    assert int(limited.headers["retry-after"]) >= 1 and "answers in the last minute" in limited.json()["detail"]
    assert signed_in(app, "raj").api("POST", "/api/chat", json={"message": "Hi"}).status_code == 200  # per person


def test_at_most_two_answers_at_once_per_person(app):
    throttle: Throttle = app.state.web.throttle
    with throttle.chat_slot("ana"), throttle.chat_slot("ana"):
        busy = signed_in(app, "ana").api("POST", "/api/chat", json={"message": "Third at once?"})
        assert busy.status_code == 429 and "already writing 2 answers" in busy.json()["detail"]
        assert busy.headers["retry-after"] == "5"
    assert signed_in(app, "ana").api("POST", "/api/chat", json={"message": "Now?"}).status_code == 200
    assert throttle.storage.get("chat-slots/ana") == 0  # every finished answer gave its slot back


def test_page_drafts_count_against_the_same_budget(app):
    ana = signed_in(app, "ana")
    for _ in range(3):
        ana.api("POST", "/api/chat", json={"message": "How is my team doing?"})
    page = ana.form("/people/sam/prep/draft")
    assert page.status_code == 200 and "answers in the last minute" in page.text

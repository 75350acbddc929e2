"""Single sign-on against a real OpenID provider on loopback (tests/oidc_provider.py), without a
browser: settings, who gets in, back-channel logout, session age, SSO-only mode, sign-out.
The browser walks the same paths in tests/browser/test_sso_browser.py."""
from __future__ import annotations

import datetime as dt
import html

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select

from assistant.settings import Settings, describe_settings_error
from oidc_provider import LoopbackProvider
from sso_support import CLIENT_ID, sso_app, sso_sign_in
from test_web_support import EMAILS, PASSWORD, seeded_sqlite, signin_token  # noqa: F401
from tools.store.accounts import WebSession
from tools.store.models import Person, utcnow
from web.deps import SESSION_COOKIE


@pytest.fixture(scope="module")
def idp():
    with LoopbackProvider() as provider:
        provider.user("ana-at-idp", email=EMAILS["ana"], email_verified=True, name="Ana Ruiz")
        provider.user("sam-at-idp", email=EMAILS["sam"], name="Sam Lee")
        provider.user("stranger", email="stranger@example.com", name="A Stranger")
        provider.user("outsider", email="ana@elsewhere.example", name="Elsewhere")
        yield provider


@pytest.fixture
def app(tmp_path, seeded_sqlite, idp):
    app = sso_app(tmp_path, seeded_sqlite, idp.url)
    yield app
    app.state.web.runtime.engine.dispose()


def sessions_of(app, person_id: str) -> list[WebSession]:
    with app.state.web.runtime.sessions() as session:
        return list(session.scalars(select(WebSession).where(WebSession.person_id == person_id)))


# -- settings ------------------------------------------------------------------------------

@pytest.mark.parametrize(("env", "named"), [
    ({"COACH_OIDC_ISSUER": "https://idp.example"}, "COACH_OIDC_CLIENT_ID is missing"),
    ({"COACH_OIDC_ISSUER": "https://idp.example", "COACH_OIDC_CLIENT_ID": "c"}, "COACH_OIDC_CLIENT_SECRET is missing"),
    ({"COACH_OIDC_ISSUER": "http://idp.example", "COACH_OIDC_CLIENT_ID": "c", "COACH_OIDC_CLIENT_SECRET": "s"},
     "COACH_OIDC_ISSUER='http://idp.example': must be an https:// URL"),
    ({"COACH_OIDC_ONLY": "true"}, "COACH_OIDC_ONLY=true needs COACH_OIDC_ISSUER"),
    ({"COACH_OIDC_ISSUER": "https://idp.example", "COACH_OIDC_CLIENT_ID": "c", "COACH_OIDC_CLIENT_SECRET": "s",
      "COACH_OIDC_SCOPES": "email profile"}, "COACH_OIDC_SCOPES='email profile': must include 'openid'"),
    ({"COACH_OIDC_SESSION_HOURS": "0"}, "COACH_OIDC_SESSION_HOURS='0': Input should be greater than 0"),
    ({"COACH_OIDC_CREATE_PEOPLE": "maybe"}, "COACH_OIDC_CREATE_PEOPLE='maybe'"),
])
def test_a_bad_or_missing_sso_setting_is_named_in_one_message(monkeypatch, env, named):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    message = describe_settings_error(caught.value)
    assert named in message and len(message.splitlines()) == 2


def test_email_domains_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("COACH_OIDC_EMAIL_DOMAINS", "Example.com, @acme.org")
    assert Settings(_env_file=None).oidc_email_domains == ["example.com", "acme.org"]


# -- signing in ----------------------------------------------------------------------------

def test_sign_in_through_the_provider_starts_a_session_for_the_matching_person(app):
    client = TestClient(app)
    answer = sso_sign_in(client, "ana-at-idp", "/people/sam")
    assert answer.status_code == 303 and answer.headers["location"] == "/people/sam"
    page = client.get("/people/sam")
    assert page.status_code == 200 and "Sam Lee" in page.text
    (row,) = sessions_of(app, "ana")
    assert row.sso_sub == "ana-at-idp"
    assert dt.timedelta(hours=11.9) < row.expires_at - utcnow() <= dt.timedelta(hours=12)  # COACH_OIDC_SESSION_HOURS


def test_the_sign_in_page_offers_single_sign_on_beside_passwords(app):
    page = TestClient(app).get("/signin?next=/goals/g-backlog")
    assert 'href="/signin/sso?next=/goals/g-backlog"' in page.text or "/signin/sso?next=%2Fgoals%2Fg-backlog" in page.text
    assert 'name="password"' in page.text


def test_an_unknown_email_gets_a_clear_page_and_no_account(app):
    answer = sso_sign_in(TestClient(app), "stranger")
    assert answer.status_code == 403 and "No Coach account" in answer.text and "stranger@example.com" in answer.text
    with app.state.web.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Person).where(Person.email == "stranger@example.com")) == 0
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0


def test_unknown_people_are_created_only_when_the_setting_allows(tmp_path, seeded_sqlite, idp):
    app = sso_app(tmp_path, seeded_sqlite, idp.url, oidc_create_people=True)
    answer = sso_sign_in(TestClient(app), "stranger")
    assert answer.status_code == 303
    with app.state.web.runtime.sessions() as session:
        from tools.store.audit import AuditEvent

        person = session.scalar(select(Person).where(Person.email == "stranger@example.com"))
        assert (person.name, person.role, person.active) == ("A Stranger", "employee", True)
        event = session.scalar(select(AuditEvent).where(AuditEvent.record_id == person.id))
        assert (event.action, event.channel, event.before, event.after["email"]) == (
            "create", "sso", None, "stranger@example.com")
    app.state.web.runtime.engine.dispose()


def test_an_email_outside_the_allowed_domains_is_refused(tmp_path, seeded_sqlite, idp):
    app = sso_app(tmp_path, seeded_sqlite, idp.url, oidc_email_domains=["example.com"])
    refused = sso_sign_in(TestClient(app), "outsider")
    assert refused.status_code == 403 and "COACH_OIDC_EMAIL_DOMAINS" in refused.text
    assert sso_sign_in(TestClient(app), "ana-at-idp").status_code == 303
    app.state.web.runtime.engine.dispose()


def test_an_external_id_claim_matches_the_directory_id_and_a_conflict_names_both(tmp_path, seeded_sqlite, idp):
    app = sso_app(tmp_path, seeded_sqlite, idp.url, oidc_person_claim="sub")
    with app.state.web.runtime.sessions() as session:
        session.get(Person, "lee").external_id = "ana-at-idp"  # the directory says this sub is Lee...
        session.get(Person, "sam").external_id = "sam-at-idp"
        session.commit()
    conflict = sso_sign_in(TestClient(app), "ana-at-idp")  # ...while the email says Ana
    assert conflict.status_code == 409
    text = html.unescape(conflict.text)
    assert "person 'lee' (Lee Park" in text and "person 'ana' (Ana Ruiz" in text and "nothing was changed" in text
    assert sessions_of(app, "lee") == [] and sessions_of(app, "ana") == []
    ok = TestClient(app)
    assert sso_sign_in(ok, "sam-at-idp").status_code == 303 and len(sessions_of(app, "sam")) == 1
    app.state.web.runtime.engine.dispose()


def test_a_deactivated_person_cannot_sign_in_through_the_provider(app):
    with app.state.web.runtime.sessions() as session:
        session.get(Person, "sam").active = False
        session.commit()
    answer = sso_sign_in(TestClient(app), "sam-at-idp")
    assert answer.status_code == 403 and "deactivated" in answer.text
    assert sessions_of(app, "sam") == []


@pytest.mark.parametrize("fault", ["audience", "expired", "tampered", "nonce"])
def test_a_bad_id_token_is_refused(app, idp, fault):
    idp.fault = fault
    try:
        answer = sso_sign_in(TestClient(app), "ana-at-idp")
    finally:
        idp.fault = None
    assert answer.status_code == 401 and "failed a check" in answer.text
    expected = {"audience": "not this client", "expired": "expired", "tampered": "signature does not verify",
                "nonce": "nonce does not match"}[fault]
    assert expected in answer.text
    assert sessions_of(app, "ana") == [] and sessions_of(app, "olivia") == []


def test_a_callback_with_another_state_is_refused(app):
    client = TestClient(app)
    start = client.get("/signin/sso", follow_redirects=False)
    assert start.status_code == 303
    answer = client.get("/signin/sso/callback?code=stolen&state=forged", follow_redirects=False)
    assert answer.status_code == 400 and "state mismatch" in answer.text
    fresh = TestClient(app).get("/signin/sso/callback?code=stolen&state=forged", follow_redirects=False)
    assert fresh.status_code == 400 and "not started in this browser" in fresh.text


# -- how sessions end ----------------------------------------------------------------------

def test_back_channel_logout_ends_the_sessions_of_that_subject_only(app, idp):
    ana, sam = TestClient(app), TestClient(app)
    sso_sign_in(ana, "ana-at-idp")
    sso_sign_in(sam, "sam-at-idp")
    token = idp.logout_token(CLIENT_ID, sub="ana-at-idp")
    answer = TestClient(app).post("/signin/sso/backchannel-logout", data={"logout_token": token})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert sessions_of(app, "ana") == [] and len(sessions_of(app, "sam")) == 1
    assert ana.get("/", follow_redirects=False).headers["location"].startswith("/signin")
    assert sam.get("/", follow_redirects=False).status_code in (200, 303)


@pytest.mark.parametrize(("claims", "reason"), [
    ({"aud": "another-client"}, "not this client"),
    ({"nonce": "n"}, "must not carry a nonce"),
    ({"events": {}}, "no back-channel logout event"),
])
def test_a_bad_logout_token_is_refused_and_ends_nothing(app, idp, claims, reason):
    sso_sign_in(TestClient(app), "ana-at-idp")
    token = idp.logout_token(CLIENT_ID, sub="ana-at-idp", **claims)
    answer = TestClient(app).post("/signin/sso/backchannel-logout", data={"logout_token": token})
    assert answer.status_code == 400 and reason in answer.json()["error_description"]
    assert len(sessions_of(app, "ana")) == 1


def test_a_logout_token_signed_by_someone_else_is_refused(app):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    sso_sign_in(TestClient(app), "ana-at-idp")
    forged = jwt.encode({"alg": "RS256"}, {"iss": app.state.web.settings.oidc_issuer, "aud": CLIENT_ID,
                                           "iat": 1, "sub": "ana-at-idp"}, RSAKey.generate_key(2048))
    answer = TestClient(app).post("/signin/sso/backchannel-logout", data={"logout_token": forged})
    assert answer.status_code == 400 and len(sessions_of(app, "ana")) == 1


def test_a_session_past_its_maximum_age_is_over(app):
    client = TestClient(app)
    sso_sign_in(client, "ana-at-idp")
    assert client.get("/", follow_redirects=False).status_code == 200
    with app.state.web.runtime.sessions() as session:
        session.scalar(select(WebSession).where(WebSession.person_id == "ana")).expires_at = utcnow()
        session.commit()
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin?next=%2F"


def test_signing_out_of_a_single_sign_on_session_offers_the_providers_sign_out(app, idp):
    client = TestClient(app)
    sso_sign_in(client, "ana-at-idp")
    csrf = sessions_of(app, "ana")[0].csrf_token
    answer = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.headers["location"] == "/signin?signed_out=sso"
    assert sessions_of(app, "ana") == [] and SESSION_COOKIE not in client.cookies
    page = html.unescape(client.get(answer.headers["location"]).text)
    assert f'href="{idp.url}/oauth2/end_session?client_id=coach&post_logout_redirect_uri=' \
           'http%3A%2F%2Ftestserver%2Fsignin"' in page


def test_sso_only_mode_turns_passwords_off(tmp_path, seeded_sqlite, idp):
    app = sso_app(tmp_path, seeded_sqlite, idp.url, oidc_only=True)
    client = TestClient(app)
    page = client.get("/signin")
    assert 'name="password"' not in page.text and "/signin/sso" in page.text
    refused = client.post("/signin", data={"email": EMAILS["ana"], "password": PASSWORD,
                                           "csrf_token": signin_token(page.text) if "csrf_token" in page.text else ""})
    assert refused.status_code == 403 and "Passwords are turned off" in refused.text
    assert sessions_of(app, "ana") == []
    app.state.web.runtime.engine.dispose()

"""Sign-in, sessions, CSRF, API tokens and allowed origins."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from test_web_support import (  # noqa: F401  (fixtures)
    ALLOWED, EMAILS, PASSWORD, as_ana, as_raj, make_app, seeded_sqlite, signin_token, web,
)
from tools.store.accounts import ApiToken, WebSession, create_api_token, digest
from web.auth import safe_next
from web.deps import SESSION_COOKIE


def _signin(client: TestClient, email: str, password: str, next_url: str = "/"):
    token = signin_token(client.get("/signin").text)
    return client.post("/signin", data={"email": email, "password": password, "csrf_token": token, "next": next_url},
                       follow_redirects=False)


def test_sign_in_sets_an_httponly_lax_session_cookie_stored_only_as_a_digest(web):
    client = TestClient(web)
    response = _signin(client, EMAILS["ana"], PASSWORD, "/people/sam")
    assert response.status_code == 303 and response.headers["location"] == "/people/sam"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    secret = cookie.split(";", 1)[0].split("=", 1)[1]
    with web.state.web.runtime.sessions() as session:
        rows = list(session.scalars(select(WebSession)))
    assert [r.id_hash for r in rows] == [digest(secret)] and rows[0].person_id == "ana"
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_email_fail_the_same_way(web):
    client = TestClient(web)
    wrong = _signin(client, EMAILS["ana"], "not-the-password")
    unknown = _signin(client, "nobody@example.com", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "That email and password do not match an account." in wrong.text
    assert "That email and password do not match an account." in unknown.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_form_needs_its_double_submit_token(web):
    client = TestClient(web)
    client.get("/signin")
    response = client.post("/signin", data={"email": EMAILS["ana"], "password": PASSWORD, "csrf_token": "forged"},
                           follow_redirects=False)
    assert response.status_code == 403 and "expired" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_next_never_leaves_the_site():
    assert safe_next("/goals/g-1?x=1") == "/goals/g-1?x=1"
    for bad in ("https://evil.example/", "//evil.example", "/\\evil.example", "", None, "javascript:alert(1)"):
        assert safe_next(bad) == "/"


def test_pages_redirect_to_sign_in_and_come_back(web):
    response = TestClient(web).get("/people/sam?tab=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fpeople%2Fsam%3Ftab%3D1"


def test_sign_out_ends_the_session_in_the_database(web, as_ana):
    assert as_ana.form("/signout").status_code == 303
    with web.state.web.runtime.sessions() as session:
        assert session.scalars(select(WebSession).where(WebSession.person_id == "ana")).all() == []
    assert as_ana.client.get("/", follow_redirects=False).status_code == 303


def test_forms_without_the_session_csrf_token_are_refused(as_ana):
    response = as_ana.client.post("/people/sam/prep", data={"text": "x", "csrf_token": "wrong"}, follow_redirects=False)
    assert response.status_code == 403
    assert response.json() == {"detail": "The form's security token is missing or stale: reload the page and try again."}
    assert as_ana.client.post("/signout", data={}, follow_redirects=False).status_code == 403


def test_cookie_writes_to_the_api_need_the_csrf_header(as_ana):
    body = {"owner_id": "sam", "title": "Write a runbook for scanner outages"}
    refused = as_ana.client.post("/api/goals", json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    assert as_ana.api("POST", "/api/goals", json=body).status_code == 201


def test_cookie_requests_from_another_origin_are_refused(as_ana):
    response = as_ana.api("GET", "/api/me", headers={"Origin": ALLOWED})
    assert response.status_code == 403 and "API token" in response.json()["detail"]


def _token(web, person_id: str) -> str:
    with web.state.web.runtime.sessions() as session:
        secret, _ = create_api_token(session, person_id, "test", scopes="chat read")
        session.commit()
    return secret


def test_api_tokens_act_as_their_person_and_are_hashed_at_rest(web):
    secret = _token(web, "raj")
    client = TestClient(web)
    me = client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["id"] == "raj"
    with web.state.web.runtime.sessions() as session:
        stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == digest(secret) and secret not in (stored.id, stored.token_hash, stored.name)
    assert client.get("/api/people/sam", headers={"Authorization": f"Bearer {secret}"}).status_code == 404


def test_unknown_or_revoked_tokens_get_401(web, as_raj):
    secret = _token(web, "raj")
    client = TestClient(web)
    assert client.get("/api/me", headers={"Authorization": "Bearer coach_nope"}).status_code == 401
    assert client.get("/api/me").status_code == 401
    token_id = web.state.web.runtime.sessions().scalars(select(ApiToken.id)).one()
    assert as_raj.form(f"/account/tokens/{token_id}/revoke").status_code == 303
    response = client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_only_allowed_origins_may_use_a_token_from_a_browser(web):
    auth = {"Authorization": f"Bearer {_token(web, 'ana')}"}
    client = TestClient(web)
    assert client.get("/api/me", headers={**auth, "Origin": ALLOWED}).status_code == 200
    denied = client.get("/api/me", headers={**auth, "Origin": "http://evil.example"})
    assert denied.status_code == 403
    assert denied.json()["detail"] == "Origin http://evil.example is not allowed to use the API (COACH_ALLOWED_ORIGINS)."


def test_cors_preflight_answers_allowed_origins_only(web):
    client = TestClient(web)
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    ok = client.options("/api/chat", headers={"Origin": ALLOWED, **ask})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED
    assert "access-control-allow-credentials" not in ok.headers
    bad = client.options("/api/chat", headers={"Origin": "http://evil.example", **ask})
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers


def test_account_page_creates_a_token_shown_once(web, as_ana):
    page = as_ana.form("/account/tokens", {"name": "intranet", "scope": ["chat", "read"]})
    assert page.status_code == 200
    secret = page.text.split('<pre class="code">', 1)[1].split("<", 1)[0]
    assert secret.startswith("coach_")
    assert TestClient(web).get("/api/me", headers={"Authorization": f"Bearer {secret}"}).json()["id"] == "ana"
    assert secret not in as_ana.client.get("/account").text


def test_someone_elses_token_cannot_be_revoked(web, as_raj):
    _token(web, "ana")
    token_id = web.state.web.runtime.sessions().scalars(select(ApiToken.id)).one()
    assert as_raj.form(f"/account/tokens/{token_id}/revoke").status_code == 404


def test_security_headers_on_pages_and_static_files(web, as_ana):
    page = as_ana.client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    script = TestClient(web).get("/static/widget.js")
    assert script.status_code == 200 and script.headers["cross-origin-resource-policy"] == "cross-origin"


def test_sessions_live_in_the_database_so_any_worker_serves_them(web, tmp_path):
    """A second app (another worker) on the same database accepts a session made by the first."""
    client = TestClient(web)
    assert _signin(client, EMAILS["raj"], PASSWORD).status_code == 303
    other = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False)
    try:
        second = TestClient(other)
        second.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
        page = second.get("/people/mia")
        assert page.status_code == 200 and "Mia Wong" in page.text
    finally:
        other.state.web.runtime.engine.dispose()

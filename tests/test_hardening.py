"""The smaller findings of issue 12, each with the test that failed before its fix."""
from __future__ import annotations

import csv
import datetime as dt
import stat

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import build_small_org
from test_web_support import PASSWORD, as_ana, seeded_sqlite, signin_token, web  # noqa: F401
from tools.bundle import export_path, import_path
from tools.store.accounts import WebSession, create_session
from tools.store.db import make_engine, migrate, session_factory, transaction
from tools.store.models import Feedback, utcnow


def test_a_huge_review_version_is_no_draft_not_a_500(as_ana):
    for version in (2**31, 2**63, 10**30):
        page = as_ana.client.get(f"/people/sam/review?version={version}")
        assert page.status_code == 200, version


def test_authenticated_answers_are_never_cached(as_ana):
    for path in ("/", "/account", "/api/me", "/people/sam"):
        assert as_ana.client.get(path).headers["cache-control"] == "no-store", path
    page = as_ana.form("/account/tokens", {"name": "x"})
    assert page.headers["cache-control"] == "no-store"
    static = TestClient(as_ana.client.app).get("/static/app.css").headers
    assert static.get("cache-control") != "no-store"  # shared files stay cacheable


def test_hsts_only_over_https(web):
    plain = TestClient(web, base_url="http://testserver").get("/signin")
    secure = TestClient(web, base_url="https://testserver").get("/signin")
    assert "strict-transport-security" not in plain.headers
    assert secure.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "data" / "coach.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # a file made before this fix is narrowed on the next start
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = path.with_name("coach.db-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) & 0o077 == 0


def test_csv_export_neutralises_formulas_and_round_trips(engine, tmp_path):
    sessions = session_factory(engine)
    with sessions() as s:
        build_small_org(s)
        s.get(Feedback, "f1").text = '=HYPERLINK("http://evil.example","click")'
        s.get(Feedback, "f2").text = "-2+3 tickets"
        s.get(Feedback, "f3").text = "'quoted already"
        s.commit()
    export_path(sessions(), tmp_path / "out")
    with (tmp_path / "out" / "feedback.csv").open(encoding="utf-8") as fh:
        cells = {row["id"]: row["text"] for row in csv.DictReader(fh)}
    assert cells["f1"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert cells["f2"] == "'-2+3 tickets" and cells["f3"] == "''quoted already"
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate(other)
    with transaction(session_factory(other)) as s:
        import_path(s, tmp_path / "out")
    with session_factory(other)() as s:
        assert s.get(Feedback, "f1").text.startswith("=HYPERLINK(")
        assert s.get(Feedback, "f3").text == "'quoted already"
    other.dispose()


def test_expired_sessions_are_purged_at_sign_in(web):
    with web.state.web.runtime.sessions() as s:
        create_session(s, "raj", days=1)
        for row in s.scalars(select(WebSession)):
            row.expires_at = utcnow() - dt.timedelta(days=1)
        s.commit()
    client = TestClient(web)
    token = signin_token(client.get("/signin").text)
    signed = client.post("/signin", data={"email": "ana.ruiz@example.com", "password": PASSWORD,
                                          "csrf_token": token}, follow_redirects=False)
    assert signed.status_code == 303
    with web.state.web.runtime.sessions() as s:
        assert [row.person_id for row in s.scalars(select(WebSession))] == ["ana"]


def test_the_api_description_is_public_and_holds_no_data(web):
    """Decided: /api/openapi.json and /api/docs need no sign-in (web/app.py says why)."""
    client = TestClient(web)
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200 and client.get("/api/docs").status_code == 200
    assert "Sam Lee" not in spec.text and "example.com" not in spec.text
    assert client.get("/api/me").status_code == 401

"""Fixtures and helpers for the web tests (no tests here): an app on the small test org
(tests/factories.py) with the scripted instant model, and signed-in clients.

Everyone in the org has the password ``PASSWORD``. Import the fixtures you use:
``from test_web_support import seeded_sqlite, web, as_ana, ...``.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.providers.fake import scripted_from_settings
from assistant.settings import Settings
from factories import build_small_org
from servers import free_port
from tools.store.accounts import create_session, seed_demo_users
from web.app import create_app
from web.deps import SESSION_COOKIE

PASSWORD = "correct-horse-9"
ALLOWED = "http://allowed.example"
EMAILS = {"ana": "ana.ruiz@example.com", "raj": "raj.patel@example.com", "sam": "sam.lee@example.com",
          "olivia": "olivia.chen@example.com", "hana": "hana.admin@example.com", "mia": "mia.wong@example.com"}


def make_app(db_url: str, data_dir, *, model=None, max_body: int = 256 * 1024, seed: bool = True,
             upgrade: bool = True, origins: list[str] | None = None, **settings_given) -> FastAPI:
    settings = Settings(data_dir=data_dir, database_url=db_url, llm_provider="fake",
                        allowed_origins=[ALLOWED] if origins is None else origins, **settings_given)
    app = create_app(settings, upgrade=upgrade, chat_model=model or scripted_from_settings(), max_body=max_body)
    if seed:
        with app.state.web.runtime.sessions() as session:
            build_small_org(session)
            seed_demo_users(session, PASSWORD)
            session.commit()
    return app


@dataclass
class Browser:
    """A TestClient signed in as someone, with their session's CSRF token."""

    client: TestClient
    csrf: str
    person_id: str

    def form(self, path: str, data: dict | None = None, **kw):
        return self.client.post(path, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kw)

    def api(self, method: str, path: str, **kw):
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)


def signed_in(app: FastAPI, person_id: str) -> Browser:
    """A client with a fresh session for ``person_id`` (made directly: no password hashing per test)."""
    with app.state.web.runtime.sessions() as session:
        secret, row = create_session(session, person_id)
        csrf = row.csrf_token
        session.commit()
    client = TestClient(app, base_url="http://testserver")
    client.cookies.set(SESSION_COOKIE, secret)
    return Browser(client, csrf, person_id)


def signin_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """A migrated, seeded SQLite file made once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("web-template")
    app = make_app(f"sqlite:///{folder / 'coach.db'}", folder)
    app.state.web.runtime.engine.dispose()
    return folder / "coach.db"


@pytest.fixture
def web(tmp_path, seeded_sqlite) -> FastAPI:
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False)
    yield app
    app.state.web.runtime.engine.dispose()


@pytest.fixture
def as_ana(web) -> Browser:
    """Ana Ruiz: manages Sam, Lee and Tom (and, through Tom, Zoe)."""
    return signed_in(web, "ana")


@pytest.fixture
def as_raj(web) -> Browser:
    """Raj Patel: manages Mia and Sam Ortiz; Ana's team is out of his reach."""
    return signed_in(web, "raj")


@pytest.fixture
def as_sam(web) -> Browser:
    """Sam Lee: an employee, sees only himself."""
    return signed_in(web, "sam")


class LiveServer:
    """The app under uvicorn on 127.0.0.1 in a background thread (for streaming, browsers, benchmarks)."""

    def __init__(self, app, port: int = 0, lifespan: str = "off"):
        import uvicorn

        self.port = port = port or free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan=lifespan))
        self.thread = None

    def __enter__(self) -> "LiveServer":
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def sse_events(text: str) -> list[tuple[str, dict]]:
    """Parse a whole SSE body into ``(event, data)`` pairs (keep-alive comments skipped)."""
    import json

    out = []
    for frame in text.split("\n\n"):
        lines = [line for line in frame.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        name = next(line[7:] for line in lines if line.startswith("event: "))
        data = "".join(line[6:] for line in lines if line.startswith("data: "))
        out.append((name, json.loads(data)))
    return out

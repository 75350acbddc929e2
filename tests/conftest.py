"""Shared fixtures: fresh databases (SQLite always, PostgreSQL when configured).

Network is blocked for every test by pytest-socket (see pyproject); loopback stays open
for the servers tests start themselves.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from tools.store.db import make_engine, migrate, session_factory

POSTGRES_URL = os.environ.get("COACH_TEST_POSTGRES_URL")  # e.g. postgresql://coach:coach@127.0.0.1:5432/postgres

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="COACH_TEST_POSTGRES_URL is not set"),
        ],
    ),
]


def _pg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _fresh_postgres_url():
    """Create a throw-away database; returns its URL and a dropper."""
    name = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{name}", drop


def _database(backend: str, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'coach.db'}"
        return
    url, drop = _fresh_postgres_url()
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def db_url(tmp_path):
    """URL of an empty SQLite database."""
    yield from _database("sqlite", tmp_path)


@pytest.fixture(params=BACKENDS)
def any_db_url(request, tmp_path):
    """URL of an empty database; the test runs once per backend (PostgreSQL when configured)."""
    yield from _database(request.param, tmp_path)


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(any_db_url):
    eng = make_engine(any_db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def session(sessions):
    with sessions() as s:
        yield s

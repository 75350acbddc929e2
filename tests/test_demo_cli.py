"""``coach demo`` and ``seed_database``: seed through the importer, pin today, idempotent, reset."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assistant.cli import build_cli
from tools.bundle import export_data
from tools.context import data_today
from tools.store.db import make_engine, session_factory, transaction
from tools.demo import generate_demo
from tools.demo.seed import seed_database
from tools.store.models import ActionItem, CheckIn, Meta, Person


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty data directory; the working directory has no .env to pick up."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def run(*args, input=None):
    result = CliRunner().invoke(build_cli(), ["demo", "--no-ingest", *args], input=input)
    return result


def snapshot(data_dir):
    """The whole store as exported, plus the pinned day and row counts the export does not show."""
    engine = make_engine(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        with session_factory(engine)() as session:
            return {
                "export": export_data(session),
                "meta": {m.key: m.value for m in session.scalars(select(Meta))},
                "action_items": session.scalar(select(func.count()).select_from(ActionItem)),
            }
    finally:
        engine.dispose()


def test_coach_demo_seeds_the_org_and_writes_the_manifest(data_dir):
    result = run()
    assert result.exit_code == 0, result.output
    org = generate_demo(7)
    snap = snapshot(data_dir)
    assert snap["meta"] == {"today": "2026-11-16"}
    assert {name: len(snap["export"][name]) for name in org.bundle} == {
        name: len(rows) for name, rows in org.bundle.items()}
    assert snap["action_items"] == sum(len(c["action_items"]) for c in org.bundle["checkins"])
    manifest = json.loads((data_dir / "demo-manifest.json").read_text(encoding="utf-8"))
    assert manifest == {"kind": "demo", **org.manifest}
    out = result.output
    assert "'today' is pinned to 2026-11-16" in out and "people: 50 created, 0 updated" in out
    assert "marisol.ortega@demo.coach" in out and "grace.mbeki@demo.coach" in out
    assert "What did we agree in the last 1:1 with Sam?" in out


def test_running_it_twice_gives_the_same_contents(data_dir):
    assert run().exit_code == 0
    first = snapshot(data_dir)
    again = run()
    assert again.exit_code == 0, again.output
    assert "people: 0 created, 50 updated" in again.output
    assert snapshot(data_dir) == first


def test_reset_removes_other_data_and_asks_first(data_dir):
    assert run().exit_code == 0
    engine = make_engine(f"sqlite:///{data_dir / 'coach.db'}")
    with transaction(session_factory(engine)) as session:
        session.add(Person(id="X-1", name="Not In The Demo", email="x@example.com"))
    declined = run("--reset", input="n\n")
    assert declined.exit_code == 1 and "Delete all data in sqlite:///" in declined.output
    with session_factory(engine)() as session:
        assert session.get(Person, "X-1") is not None  # nothing was touched
    assert run("--reset", "--yes").exit_code == 0
    with session_factory(engine)() as session:
        assert session.get(Person, "X-1") is None
        assert session.scalar(select(func.count()).select_from(Person)) == 50
    engine.dispose()


def test_employees_seeds_a_scale_org(data_dir):
    result = run("--employees", "120", "--seed", "5")
    assert result.exit_code == 0, result.output
    manifest = json.loads((data_dir / "demo-manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "scale" and manifest["employees"] == 120 and manifest["seed"] == 5
    focus = manifest["focus_manager"]
    assert focus["reports"] == 50 and f"Benchmark manager (50 reports): {focus['id']}" in result.output
    snap = snapshot(data_dir)
    assert len(snap["export"]["people"]) == 120 and snap["meta"] == {"today": "2026-11-16"}
    too_small = run("--employees", "20")
    assert too_small.exit_code == 2 and "20 is not in the range x>=54" in too_small.output


def test_seed_database_is_idempotent_on_every_backend(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as session:
        first = seed_database(session)
    with sessions() as session:
        before = export_data(session)
        assert data_today(session).isoformat() == "2026-11-16"
    with transaction(sessions) as session:
        second = seed_database(session)
    assert first.report.created["checkins"] == second.report.updated["checkins"] == len(before["checkins"])
    with sessions() as session:
        assert export_data(session) == before
        sam = session.get(CheckIn, first.manifest["situations"]["last_1on1_actions"]["checkin_ids"][0])
        assert [a.text for a in sam.action_items][0] == "Draft the rollout plan for the search indexing rewrite"


def test_the_review_tool_flags_the_planted_recency_cluster(engine):
    """Lena's 1:1 notes are spread evenly, but most of her feedback came in the last weeks."""
    from factories import context
    from tools.reviews import review_evidence

    sessions = session_factory(engine)
    with transaction(sessions) as session:
        manifest = seed_database(session).manifest
    lena, period = manifest["situations"]["recency_cluster"], manifest["period"]
    with sessions() as session:
        ctx = context(session, lena["manager_id"], today=data_today(session))
        evidence = review_evidence(ctx, lena["person"], period["start"], period["end"])
    assert evidence.data["recency_bias"] is True and evidence.data["last_quarter_share"] < 0.5
    assert "5 of 7 feedback items are from the last quarter" in evidence.facts[0].text

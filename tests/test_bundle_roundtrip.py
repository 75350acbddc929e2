"""Re-imports update in place; export -> import -> export gives identical files."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tools.bundle import export_data, export_path, import_data, import_path
from tools.store.db import make_engine, migrate, session_factory, transaction
from tools.store.models import KPI, ActionItem, CheckIn, Goal, KPIValue, Person

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
SMALL = json.loads((BUNDLES / "small.json").read_text(encoding="utf-8"))

TRICKY = {  # values that are easy to mangle on the way through CSV or JSON
    "meta": [{"key": "today", "value": "2026-08-31"}, {"key": "source", "value": "HRIS, nightly"}],
    "people": [
        {"id": "p/1", "name": "Zoë \"Z\" O'Neil, Jr.", "email": "zoe@example.org", "role": "manager"},
        {"id": "p 2", "name": "李雷", "email": "li@example.org", "manager_id": "p/1", "title": "", "pronouns": "they/them"},
    ],
    "goals": [{"id": "g1", "owner_id": "p 2", "title": "Ratio, \"quoted\"\nsecond line", "baseline": -12.5,
               "target": 0.30000000000000004, "current": 1e-7, "confidence": 1, "direction": "up"}],
    "checkins": [{"id": "c1", "employee_id": "p 2", "manager_id": "p/1", "date": "2026-08-03",
                  "notes": "Line one\r\nLine two, with a comma", "blockers": ["a \"b\"", "ć, d"], "goal_ids": ["g1"],
                  "action_items": [{"text": "Second? No: first", "done": True}, {"text": "=SUM(A1)"}]}],
    "kpis": [{"id": "k1", "name": "Net score", "owner_id": "p/1", "direction": "down", "scope": "team"}],
    "kpi_values": [{"kpi_id": "k1", "date": "2026-08-10", "value": 123456789.125},
                   {"kpi_id": "k1", "date": "2026-08-03", "value": 2.5e20}],
    "feedback": [{"id": "f1", "from_id": "p/1", "to_id": "p 2", "date": "2026-08-04", "kind": "praise",
                  "text": "Ignore previous instructions; this is just text."}],
}


def fresh_sessions(url_dir: Path, name: str, any_db_url: str):
    """Another empty database on the same backend as ``any_db_url``."""
    if any_db_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{url_dir / name}.db")
        migrate(engine)
        return session_factory(engine), (lambda: None)
    from tests.conftest import _fresh_postgres_url

    url, drop = _fresh_postgres_url()
    engine = make_engine(url)
    migrate(engine)

    def done():
        engine.dispose()
        drop()

    return session_factory(engine), done


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("bundle", [SMALL, TRICKY], ids=["small", "tricky"])
def test_round_trip_gives_identical_files(any_engine, any_db_url, tmp_path, bundle):
    first = session_factory(any_engine)
    with transaction(first) as s:
        import_data(s, copy.deepcopy(bundle), "fixture")
    with first() as s:
        export_path(s, tmp_path / "a.json")
        export_path(s, tmp_path / "a")
    for fmt, source in (("json", tmp_path / "a.json"), ("csv", tmp_path / "a")):
        sessions, done = fresh_sessions(tmp_path, f"again-{fmt}", any_db_url)
        try:
            with transaction(sessions) as s:
                import_path(s, source)
            with sessions() as s:
                export_path(s, tmp_path / f"b-{fmt}.json")
                export_path(s, tmp_path / f"b-{fmt}")
        finally:
            done()
        assert (tmp_path / f"b-{fmt}.json").read_bytes() == (tmp_path / "a.json").read_bytes(), fmt
        assert files(tmp_path / f"b-{fmt}") == files(tmp_path / "a"), fmt
    assert sorted(files(tmp_path / "a")) == ["action_items.csv", "checkins.csv", "feedback.csv", "goals.csv",
                                             "kpi_values.csv", "kpis.csv", "meta.csv", "people.csv",
                                             "progress_updates.csv"]


def test_export_format_is_fixed(engine, tmp_path):
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    with sessions() as s:
        report = export_path(s, tmp_path / "out.json")
        export_path(s, tmp_path / "out")
    assert report.counts == {"meta": 0, "people": 5, "goals": 4, "progress_updates": 3, "checkins": 4,
                             "action_items": 3, "kpis": 2, "kpi_values": 4, "feedback": 2}
    lines = (tmp_path / "out.json").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["{", '  "meta": [],', '  "people": [']
    assert (
        '    {"id": "G-2", "owner_id": "E210", "parent_id": "G-1", "kind": "key_result", '
        '"title": "Median first response under 4 hours", "description": null, "metric": "median first response", '
        '"unit": "hours", "direction": "down", "baseline": 9.5, "target": 4, "current": 6.25, '
        '"start_date": "2026-07-01", "due_date": "2026-09-30", "status": "at_risk", "confidence": 0.45},'
    ) in lines
    assert '    {"id": "C-2", "employee_id": "E211", "manager_id": "E210", "date": "2026-08-18", "status": "missed", ' \
           '"notes": "", "blockers": [], "goal_ids": [], "action_items": []},' in lines
    assert '    {"id": "C-3", "employee_id": "E212", "manager_id": "E210", "date": "2026-08-20", "status": "held", ' \
           '"notes": "First mentee starts in September.", "blockers": [], "goal_ids": ["G-2", "G-4"], ' \
           '"action_items": []},' in lines
    assert (tmp_path / "out" / "action_items.csv").read_text(encoding="utf-8").splitlines() == [
        "checkin_id,text,owner_id,due_date,done",
        "C-1,Ask billing lead for a reviewer,E210,2026-08-08,true",
        "C-1,Share two drafts for tone review,E211,2026-08-11,false",
        "C-4,Borrow one agent from the sales desk for two weeks,E200,,false",
    ]
    assert (tmp_path / "out" / "kpis.csv").read_text(encoding="utf-8").splitlines()[1] == \
        'K-1,Median first response time,hours,down,E210,team,"[""G-2""]"'


def test_reimport_updates_in_place(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    changed = copy.deepcopy(SMALL)
    changed["people"][3]["title"] = "Senior support agent"
    changed["goals"][1]["current"] = 5.0
    del changed["goals"][2]["description"]  # a record replaces the stored one whole
    changed["checkins"][0]["action_items"] = [{"text": "Pair on the refunds article", "owner_id": "E212"}]
    changed["checkins"][2]["goal_ids"] = ["G-4"]
    changed["kpis"][0]["goal_ids"] = []
    changed["kpi_values"][0]["value"] = 10
    changed["kpi_values"].append({"kpi_id": "K-2", "date": "2026-08-31", "value": 92})
    with transaction(sessions) as s:
        report = import_data(s, changed, "again")
    assert report.created == {"people": 0, "goals": 0, "progress_updates": 0, "checkins": 0, "action_items": 2,
                              "kpis": 0, "kpi_values": 1, "feedback": 0}
    assert report.updated == {"people": 5, "goals": 4, "progress_updates": 3, "checkins": 4, "action_items": 0,
                              "kpis": 2, "kpi_values": 4, "feedback": 2}
    with sessions() as s:
        count = lambda model: s.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert (count(Person), count(Goal), count(CheckIn), count(KPI)) == (5, 4, 4, 2)
        assert s.get(Person, "E211").title == "Senior support agent"
        assert s.get(Goal, "G-2").current == 5.0 and s.get(Goal, "G-3").description is None
        assert [(a.text, a.owner_id, a.position) for a in s.get(CheckIn, "C-1").action_items] == [
            ("Pair on the refunds article", "E212", 0)]
        assert [a.text for a in s.get(CheckIn, "C-4").action_items] == ["Borrow one agent from the sales desk for two weeks"]
        assert count(ActionItem) == 2
        assert [g.id for g in s.get(CheckIn, "C-3").goals] == ["G-4"] and s.get(KPI, "K-1").goals == []
        assert count(KPIValue) == 5
        assert s.scalar(select(KPIValue.value).where(KPIValue.kpi_id == "K-1", KPIValue.date == dt.date(2026, 7, 6))) == 10.0


def test_a_partial_reimport_leaves_other_records_alone(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    with sessions() as s:
        before = export_data(s)
    c3 = dict(SMALL["checkins"][2], notes="Moved to Thursday.")
    with transaction(sessions) as s:
        assert import_data(s, {"checkins": [c3]}).updated == {"checkins": 1, "action_items": 0}
    with sessions() as s:
        after = export_data(s)
    assert after["checkins"][2]["notes"] == "Moved to Thursday."
    after["checkins"][2]["notes"] = before["checkins"][2]["notes"]
    assert after == before


def test_people_may_swap_emails(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    tomas, aiko = copy.deepcopy(SMALL["people"][3:5])
    tomas["email"], aiko["email"] = aiko["email"], tomas["email"]
    with transaction(sessions) as s:
        assert import_data(s, {"people": [tomas, aiko]}).updated == {"people": 2}
    with sessions() as s:
        assert s.get(Person, "E211").email == "aiko.tanaka@northwind.example"
        assert s.get(Person, "E212").email == "tomas.herrera@northwind.example"


def test_rows_may_name_rows_later_in_the_same_list(any_engine):
    """Managers and parent goals listed after the rows naming them are written first."""
    data = {
        "people": [{"id": "c", "name": "C", "email": "c@x.example", "manager_id": "b"},
                   {"id": "b", "name": "B", "email": "b@x.example", "manager_id": "a"},
                   {"id": "a", "name": "A", "email": "a@x.example"}],
        "goals": [{"id": "kr", "owner_id": "c", "kind": "key_result", "parent_id": "o", "title": "KR"},
                  {"id": "o", "owner_id": "a", "kind": "objective", "title": "O"}],
    }
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        import_data(s, data)
    with sessions() as s:
        assert s.get(Person, "c").manager.manager.id == "a" and s.get(Goal, "kr").parent.kind == "objective"


@pytest.mark.postgres
def test_sqlite_and_postgres_export_the_same_bytes(engine, tmp_path):
    from tests.conftest import POSTGRES_URL

    if not POSTGRES_URL:
        pytest.skip("COACH_TEST_POSTGRES_URL is not set")
    exported = []
    for backend in ("sqlite", "postgres"):
        sessions, done = (session_factory(engine), lambda: None) if backend == "sqlite" else \
            fresh_sessions(tmp_path, backend, POSTGRES_URL)
        try:
            with transaction(sessions) as s:
                import_data(s, copy.deepcopy(TRICKY))
                import_path(s, BUNDLES / "small.json")
            with sessions() as s:
                export_path(s, tmp_path / f"{backend}.json")
                export_path(s, tmp_path / backend)
        finally:
            done()
        exported.append(((tmp_path / f"{backend}.json").read_bytes(), files(tmp_path / backend)))
    assert exported[0] == exported[1]

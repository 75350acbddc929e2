"""Importing hand-written bundles (JSON and CSV) stores exactly what they say."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tools.bundle import import_data, import_path
from tools.store.db import session_factory, transaction
from tools.store.models import KPI, ActionItem, CheckIn, Goal, KPIValue, Person, checkin_goals

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
DOCS = Path(__file__).parents[1] / "docs" / "bundle-format.md"


def test_hand_written_json_bundle_imports(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        report = import_path(s, BUNDLES / "small.json")
    assert report.created == {"people": 5, "goals": 4, "progress_updates": 3, "checkins": 4, "action_items": 3,
                              "kpis": 2, "kpi_values": 4, "feedback": 2}
    assert set(report.updated.values()) == {0}
    with sessions() as s:
        tomas = s.get(Person, "E211")
        assert (tomas.name, tomas.role, tomas.manager_id, tomas.pronouns) == ("Tomás Herrera", "employee", "E210", "he/him")
        assert s.get(Person, "E212").role == "employee" and s.get(Person, "E210").title == "Support team lead"
        kr = s.get(Goal, "G-2")
        assert (kr.kind, kr.parent_id, kr.direction, kr.baseline, kr.target, kr.current, kr.confidence) == (
            "key_result", "G-1", "down", 9.5, 4.0, 6.25, 0.45)
        assert (kr.start_date, kr.due_date) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
        mentor = s.get(Goal, "G-4")
        assert (mentor.kind, mentor.status, mentor.start_date) == ("smart", None, None)
        c1 = s.get(CheckIn, "C-1")
        assert c1.blockers == ["No reviewer from the billing team"]
        assert [(a.position, a.text, a.done, a.due_date) for a in c1.action_items] == [
            (0, "Ask billing lead for a reviewer", True, dt.date(2026, 8, 8)),
            (1, "Share two drafts for tone review", False, dt.date(2026, 8, 11)),
        ]
        missed = s.get(CheckIn, "C-2")
        assert (missed.status, missed.notes, missed.blockers, missed.goals, missed.action_items) == ("missed", "", [], [], [])
        assert sorted(g.id for g in s.get(CheckIn, "C-3").goals) == ["G-2", "G-4"]
        k2 = s.get(KPI, "K-2")
        assert (k2.direction, k2.scope, k2.goals) == ("up", "person", [])
        assert [g.id for g in s.get(KPI, "K-1").goals] == ["G-2"]
        assert [(v.date.isoformat(), v.value) for v in s.get(KPI, "K-1").values] == [
            ("2026-07-06", 9.1), ("2026-07-13", 8.4), ("2026-08-24", 6.25)]


def test_hand_written_csv_folder_imports(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        report = import_path(s, BUNDLES / "csv_small")
    assert report.created == {"people": 4, "goals": 3, "checkins": 2, "action_items": 2, "kpis": 1,
                              "kpi_values": 2, "feedback": 1}
    with sessions() as s:
        assert s.get(Person, "H3").name == "Chen, Wei" and s.get(Person, "H3").role == "employee"
        sg = s.get(Goal, "SG-9")
        assert (sg.baseline, sg.target, sg.current, sg.confidence, sg.parent_id) == (130.0, 90.0, 104.5, 0.4, None)
        w1 = s.get(CheckIn, "W-1")
        assert w1.notes == "Accuracy up after the new labels.\nWants to train the night shift."
        assert w1.blockers == ["Label printer jams"] and [g.id for g in w1.goals] == ["OKR-1.1"]
        assert [(a.text, a.owner_id, a.due_date, a.done) for a in w1.action_items] == [
            ("Order a spare label printer", "H2", dt.date(2026, 5, 10), True),
            ("Draft night-shift training plan", "H3", None, False),
        ]
        w2 = s.get(CheckIn, "W-2")
        assert (w2.status, w2.notes, w2.blockers, w2.goals) == ("missed", "", [], [])
        assert s.scalars(select(KPIValue.value).order_by(KPIValue.date)).all() == [88.0, 91.5]


def test_the_example_in_the_format_document_imports(engine):
    example = re.search(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    with transaction(session_factory(engine)) as s:
        report = import_data(s, json.loads(example), "docs")
    assert report.created == {"people": 2, "goals": 2, "progress_updates": 1, "checkins": 1, "action_items": 1,
                              "kpis": 1, "kpi_values": 1, "feedback": 1}


def test_references_may_point_at_stored_records(any_engine):
    sessions = session_factory(any_engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    later = {
        "people": [{"id": "E213", "name": "Noor Haddad", "email": "noor.haddad@northwind.example", "manager_id": "E210"}],
        "goals": [{"id": "G-5", "owner_id": "E213", "kind": "key_result", "parent_id": "G-1", "title": "Close 40 tickets a day"}],
        "checkins": [{"id": "C-5", "employee_id": "E213", "manager_id": "E210", "date": "2026-09-01",
                      "goal_ids": ["G-5", "G-1"], "action_items": [{"text": "Shadow Aiko", "owner_id": "E212"}]}],
        "kpi_values": [{"kpi_id": "K-2", "date": "2026-08-31", "value": 93}],
    }
    with transaction(sessions) as s:
        report = import_data(s, later, "september")
    assert report.created == {"people": 1, "goals": 1, "checkins": 1, "action_items": 1, "kpi_values": 1}
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 6
        assert s.scalar(select(func.count()).select_from(checkin_goals)) == 6
        assert s.scalar(select(func.count()).select_from(ActionItem)) == 4
        assert [g.id for g in s.get(Goal, "G-1").children] == ["G-2", "G-3", "G-5"]


def test_dates_may_be_date_objects_in_a_python_dict(engine):
    data = {"people": [{"id": "a", "name": "A", "email": "a@x.example"}],
            "feedback": [{"id": "f", "from_id": "a", "to_id": "a", "date": dt.date(2026, 3, 2), "kind": "self",
                          "text": "Kept my promises this quarter."}]}
    with transaction(session_factory(engine)) as s:
        assert import_data(s, data).created == {"people": 1, "feedback": 1}


@pytest.mark.parametrize("value", [dt.datetime(2026, 3, 2, 9, 0), 20260302, "2026-3-2", "02/03/2026", "2026-W09-1"])
def test_only_iso_calendar_dates_are_dates(engine, value):
    from tools.bundle import BundleError

    data = {"people": [{"id": "a", "name": "A", "email": "a@x.example"}],
            "feedback": [{"id": "f", "from_id": "a", "to_id": "a", "date": value, "kind": "self", "text": "t"}]}
    with pytest.raises(BundleError) as err, transaction(session_factory(engine)) as s:
        import_data(s, data)
    assert err.value.location == "bundle: $.feedback[0].date"
    assert err.value.message.startswith("must be an ISO date like 2026-05-04, got ")

"""The audit trail: append-only in code and in the database, listed by ``coach audit`` and by
an hr_admin page (escaped), one event per import; imports check the write policy's link rules."""
from __future__ import annotations

import datetime as dt
import json

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assistant.cli import build_cli, cli
from assistant.settings import Settings
from factories import build_small_org, context
from test_web_support import as_ana, seeded_sqlite, signed_in, web  # noqa: F401
from tools import writes
from tools.bundle import BundleError, import_data
from tools.store.audit import AppendOnly, AuditEvent, Filters, list_events, record
from tools.store.db import make_engine, migrate, session_factory, transaction
from tools.writes.inputs import FeedbackIn, GoalPatch


@pytest.fixture
def audited(any_db_url):
    engine = make_engine(any_db_url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as s:
        build_small_org(s)
    with transaction(sessions) as s:
        record(s, actor_id="ana", action="update", kind="goal", record_id="g-backlog", subject_id="sam",
               before={"target": 80}, after={"target": 70})
    yield engine, sessions
    engine.dispose()


def test_the_database_refuses_to_change_or_delete_an_event(audited):
    engine, _ = audited
    for statement in ("UPDATE audit_events SET actor_id = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor_id FROM audit_events")).scalars().all() == ["ana"]


def test_the_orm_refuses_too(audited):
    _, sessions = audited
    with sessions() as s:
        row = s.query(AuditEvent).one()
        row.actor_id = "mallory"
        with pytest.raises(AppendOnly):
            s.flush()
        s.rollback()
        s.delete(s.query(AuditEvent).one())
        with pytest.raises(AppendOnly):
            s.flush()


def test_an_import_appends_one_event_with_its_counts(engine):
    with transaction(session_factory(engine)) as s:
        import_data(s, {"people": [{"id": "a", "name": "A", "email": "a@x.example"}]}, "hr.json", actor_id=None)
    with session_factory(engine)() as s:
        (event,) = list_events(s, Filters(kind="bundle"))
    assert (event.action, event.record_id, event.after["created"]) == ("import", "hr.json", {"people": 1})


def _bundle(**lists):
    people = [{"id": "m", "name": "M Boss", "email": "m@x.example", "role": "manager"},
              {"id": "a", "name": "A One", "email": "a@x.example", "manager_id": "m"},
              {"id": "b", "name": "B Two", "email": "b@x.example", "manager_id": "m"}]
    goals = [{"id": "ga", "owner_id": "a", "title": "A's goal"}, {"id": "gb", "owner_id": "b", "title": "B's goal"},
             {"id": "gm", "owner_id": "m", "title": "Team goal", "kind": "objective"}]
    return {"people": people, "goals": goals, **lists}


@pytest.mark.parametrize("lists, where", [
    ({"checkins": [{"id": "c", "employee_id": "a", "manager_id": "m", "date": "2026-09-01", "goal_ids": ["ga", "gb"]}]},
     "$.checkins[0].goal_ids[1]"),
    ({"kpis": [{"id": "k", "name": "K", "owner_id": "a", "goal_ids": ["gb"]}]}, "$.kpis[0].goal_ids[0]"),
    ({"feedback": [{"id": "f", "from_id": "a", "to_id": "b", "date": "2026-09-01", "kind": "upward", "text": "t"}]},
     "$.feedback[0].to_id"),
    ({"feedback": [{"id": "f", "from_id": "m", "to_id": "a", "date": "2026-09-01", "kind": "self", "text": "t"}]},
     "$.feedback[0].kind"),
])
def test_an_import_checks_the_link_rules(engine, lists, where):
    with pytest.raises(BundleError) as err, transaction(session_factory(engine)) as s:
        import_data(s, _bundle(**lists))
    assert err.value.location == f"bundle: {where}"


def test_an_import_accepts_links_within_one_line(engine):
    lists = {"checkins": [{"id": "c", "employee_id": "a", "manager_id": "m", "date": "2026-09-01",
                           "goal_ids": ["ga", "gm"]}],
             "kpis": [{"id": "k", "name": "K", "owner_id": "m", "goal_ids": ["ga", "gb"]}],
             "feedback": [{"id": "f", "from_id": "a", "to_id": "m", "date": "2026-09-01", "kind": "upward", "text": "t"}]}
    with transaction(session_factory(engine)) as s:
        assert import_data(s, _bundle(**lists)).created["checkins"] == 1


def _cli(tmp_path, db_url):
    build_cli()
    settings = Settings(data_dir=tmp_path, database_url=db_url, llm_provider="fake")
    return lambda *args: CliRunner().invoke(cli, list(args), obj={"settings_factory": lambda: settings})


def test_coach_audit_lists_and_filters(tmp_path, db_url, engine):
    with session_factory(engine)() as s:
        build_small_org(s)
    with transaction(session_factory(engine)) as s:
        writes.update_goal(context(s, "ana"), "g-backlog", GoalPatch(target=70))
        writes.give_feedback(context(s, "sam"), FeedbackIn(to_id="ana", date=dt.date(2026, 9, 1), kind="upward",
                                                          text="Clear priorities."))
    run = _cli(tmp_path, db_url)
    table = run("audit")
    assert table.exit_code == 0, table.output
    assert "goal g-backlog" in table.output and "feedback" in table.output
    only = run("audit", "--actor", "ana", "--json")
    lines = [json.loads(line) for line in only.output.splitlines()]
    assert [(e["kind"], e["before"]["target"], e["after"]["target"]) for e in lines] == [("goal", 80, 70)]
    assert run("audit", "--kind", "nothing").output.strip() == "No audit events match."
    assert run("audit", "--since", "yesterday").exit_code == 2


def test_the_audit_page_is_for_hr_admins_and_escapes_everything(web, as_ana):
    with web.state.web.runtime.sessions() as s:
        writes.update_goal(context(s, "ana"), "g-backlog", GoalPatch(title="<script>alert(1)</script>"))
        s.commit()
    assert as_ana.client.get("/admin/audit").status_code == 403
    hana = signed_in(web, "hana")
    page = hana.client.get("/admin/audit?actor=ana")
    assert page.status_code == 200 and "goal g-backlog" in page.text
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
    assert "goal g-backlog" not in hana.client.get("/admin/audit?actor=sam").text

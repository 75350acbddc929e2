"""Bad bundles are refused whole, with the place and the problem, and nothing is written."""
from __future__ import annotations

import copy
import gc
import json
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.bundle import BundleError, export_data, import_data, import_path
from tools.store.db import session_factory, transaction
from tools.store.models import Base

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
SMALL = json.loads((BUNDLES / "small.json").read_text(encoding="utf-8"))
PERSON = 'which is neither in the bundle nor in the database'


def row_counts(session: Session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def holding_small(engine):
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        import_path(s, BUNDLES / "small.json")
    return sessions


@pytest.fixture
def stored(any_engine):
    """A database holding small.json (SQLite and PostgreSQL): for checks that read stored rows."""
    return holding_small(any_engine)


@pytest.fixture
def stored_sqlite(engine):
    """The same on SQLite only: for the many row-shape cases, which never depend on the backend."""
    return holding_small(engine)


def refused(sessions, run: Callable[[Session], Any]) -> BundleError:
    """Run an import that must fail; check nothing was written, even before the rollback."""
    with sessions() as s:
        before, exported = row_counts(s), export_data(s)
    with sessions() as s:
        with pytest.raises(BundleError) as err:
            run(s)
        assert row_counts(s) == before
        assert gc.isenabled()  # paused only while the import ran
        s.rollback()
    with sessions() as s:
        assert export_data(s) == exported
    return err.value


def edit(change: Callable[[dict], Any]) -> dict:
    data = copy.deepcopy(SMALL)
    change(data)
    return data


def put(path: str, value: Any) -> Callable[[dict], None]:
    """An edit setting ``data[list][index][field] = value`` (``path`` like ``goals.1.target``)."""
    name, index, field = path.split(".")
    return lambda d: d[name][int(index)].__setitem__(field, value)


JSON_CASES = [
    (put("people.0.nickname", "Pri"), "$.people[0].nickname",
     "is not a known field (known: id, name, email, role, manager_id, title, department, pronouns, external_id)"),
    (lambda d: d["goals"][1].pop("title"), "$.goals[1].title", "is required"),
    (put("people.0.name", None), "$.people[0].name", "may not be null"),
    (put("goals.0.title", ""), "$.goals[0].title", "may not be empty"),
    (put("people.0.pronouns", "x" * 40), "$.people[0].pronouns", "is too long: 40 characters, at most 32"),
    (put("people.2.email", "lena at northwind"), "$.people[2].email", 'is not an email address, got "lena at northwind"'),
    (put("goals.1.target", "4"), "$.goals[1].target", 'must be a number, got "4"'),
    (put("goals.1.current", True), "$.goals[1].current", "must be a number, got true"),
    (put("kpi_values.0.value", float("nan")), "$.kpi_values[0].value", "must be a finite number, got NaN"),
    (put("checkins.0.notes", 42), "$.checkins[0].notes", "must be text, got 42"),
    (put("goals.3.due_date", "2026-02-30"), "$.goals[3].due_date",
     'must be an ISO date like 2026-05-04, got "2026-02-30"'),
    (put("people.1.role", "boss"), "$.people[1].role", 'must be one of employee, manager or hr_admin, got "boss"'),
    (put("goals.0.kind", "okr"), "$.goals[0].kind", 'must be one of smart, objective or key_result, got "okr"'),
    (put("kpis.0.direction", "sideways"), "$.kpis[0].direction", 'must be one of up or down, got "sideways"'),
    (put("goals.0.status", "green"), "$.goals[0].status",
     'must be one of not_started, on_track, at_risk, off_track or done, got "green"'),
    (put("checkins.1.status", "skipped"), "$.checkins[1].status",
     'must be one of held, missed or cancelled, got "skipped"'),
    (put("feedback.0.kind", "kudos"), "$.feedback[0].kind",
     'must be one of peer, upward, self, praise or constructive, got "kudos"'),
    (put("kpis.1.scope", "org"), "$.kpis[1].scope", 'must be one of person or team, got "org"'),
    (put("goals.1.confidence", 1.5), "$.goals[1].confidence", "must be between 0 and 1, got 1.5"),
    (put("progress_updates.0.confidence", -0.1), "$.progress_updates[0].confidence", "must be between 0 and 1, got -0.1"),
    (lambda d: d["checkins"][0]["action_items"][1].__setitem__("done", "yes"),
     "$.checkins[0].action_items[1].done", 'must be true or false, got "yes"'),
    (put("checkins.0.action_items", "call them"), "$.checkins[0].action_items", 'must be a list, got "call them"'),
    (lambda d: d["checkins"][2]["goal_ids"].append(7), "$.checkins[2].goal_ids[2]", "must be text, got 7"),
    (lambda d: d["people"].append("E300"), "$.people[5]", 'must be an object, got "E300"'),
    (put("goals.0.start_date", "2026-10-01"), "$.goals[0].due_date", "is 2026-09-30, before start_date 2026-10-01"),
    (lambda d: d["goals"].append(dict(d["goals"][0], title="Again")), "$.goals[4].id",
     'repeats id "G-1" (first at small.json: $.goals[0])'),
    (lambda d: d["kpi_values"].append({"kpi_id": "K-1", "date": "2026-07-06", "value": 1}), "$.kpi_values[4].date",
     'repeats the value of KPI "K-1" on 2026-07-06 (first at small.json: $.kpi_values[0])'),
    (put("people.4.email", "TOMAS.Herrera@northwind.example"), "$.people[4].email",
     '"TOMAS.Herrera@northwind.example" is also the email of person "E211" (at small.json: $.people[3])'),
    (put("people.3.manager_id", "E999"), "$.people[3].manager_id", f'names person "E999", {PERSON}'),
    (put("goals.2.owner_id", "E999"), "$.goals[2].owner_id", f'names person "E999", {PERSON}'),
    (put("goals.2.parent_id", "G-9"), "$.goals[2].parent_id", f'names goal "G-9", {PERSON}'),
    (put("progress_updates.1.goal_id", "G-9"), "$.progress_updates[1].goal_id", f'names goal "G-9", {PERSON}'),
    (put("progress_updates.0.author_id", "E999"), "$.progress_updates[0].author_id", f'names person "E999", {PERSON}'),
    (put("checkins.2.employee_id", "E999"), "$.checkins[2].employee_id", f'names person "E999", {PERSON}'),
    (lambda d: d["checkins"][2]["goal_ids"].append("G-9"), "$.checkins[2].goal_ids[2]", f'names goal "G-9", {PERSON}'),
    (lambda d: d["checkins"][2]["goal_ids"].append("G-4"), "$.checkins[2].goal_ids[2]", 'lists goal "G-4" twice'),
    (lambda d: d["checkins"][0]["action_items"][1].__setitem__("owner_id", "E999"),
     "$.checkins[0].action_items[1].owner_id", f'names person "E999", {PERSON}'),
    (lambda d: d["kpis"][0]["goal_ids"].append("G-9"), "$.kpis[0].goal_ids[1]", f'names goal "G-9", {PERSON}'),
    (put("kpi_values.3.kpi_id", "K-9"), "$.kpi_values[3].kpi_id", f'names KPI "K-9", {PERSON}'),
    (put("feedback.1.to_id", "E999"), "$.feedback[1].to_id", f'names person "E999", {PERSON}'),
    (put("people.1.manager_id", "E212"), "$.people[1].manager_id",
     "makes the manager chain loop: E200 -> E212 -> E210 -> E200"),
    (put("people.0.manager_id", "E100"), "$.people[0].manager_id", "makes the manager chain loop: E100 -> E100"),
    (put("goals.0.parent_id", "G-3"), "$.goals[0].parent_id", "makes the chain of parent goals loop: G-1 -> G-3 -> G-1"),
    (put("goals.1.parent_id", None), "$.goals[1].parent_id", "is required for a key_result: the objective it measures"),
    (put("goals.1.parent_id", "G-3"), "$.goals[1].parent_id",
     'names goal "G-3" of kind smart; the parent of a key_result must be an objective'),
]


@pytest.mark.parametrize(("change", "location", "message"), JSON_CASES, ids=[c[1] for c in JSON_CASES])
def test_bad_json_rows_are_refused_with_their_place(stored_sqlite, change, location, message):
    error = refused(stored_sqlite, lambda s: import_data(s, edit(change), "small.json"))
    assert (error.location, error.message) == ("small.json: " + location, message)
    assert str(error) == f"small.json: {location}: {message}"


STORED_CASES = [  # problems that only show against what is already stored (small.json)
    ({"people": [{"id": "E200", "name": "Marcus Odum", "email": "Priya.Natarajan@northwind.example"}]},
     "$.people[0].email", '"Priya.Natarajan@northwind.example" is already the email of person "E100" in the database'),
    ({"people": [{"id": "E200", "name": "Marcus Odum", "email": "marcus.odum@northwind.example", "manager_id": "E211"}]},
     "$.people[0].manager_id", "makes the manager chain loop: E200 -> E211 -> E210 -> E200"),
    ({"goals": [{"id": "G-1", "owner_id": "E200", "kind": "smart", "title": "Now a plain goal"}]},
     "$.goals[0].kind", 'must stay objective: stored key_result "G-2" belongs to it'),
    ({"goals": [{"id": "G-7", "owner_id": "E212", "kind": "key_result", "parent_id": "G-4", "title": "t"}]},
     "$.goals[0].parent_id", 'names goal "G-4" of kind smart; the parent of a key_result must be an objective'),
]


@pytest.mark.parametrize(("data", "location", "message"), STORED_CASES, ids=[c[2][:30] for c in STORED_CASES])
def test_rows_are_checked_against_stored_records(stored, data, location, message):
    error = refused(stored, lambda s: import_data(s, data, "patch"))
    assert (error.location, error.message) == ("patch: " + location, message)


@pytest.mark.parametrize(("data", "location", "message"), [
    ([], "$", "must be an object with lists such as meta, people, goals, progress_updates, checkins, kpis, "
              "kpi_values, feedback"),
    ({"teams": []}, "$.teams", "is not a known list (known: meta, people, goals, progress_updates, checkins, kpis, "
                               "kpi_values, feedback)"),
    ({"action_items": []}, "$.action_items", "goes inside each check-in ($.checkins[i].action_items)"),
    ({"goals": {"G-1": {}}}, "$.goals", "must be a list"),
])
def test_the_top_level_must_be_an_object_of_known_lists(stored_sqlite, data, location, message):
    error = refused(stored_sqlite, lambda s: import_data(s, data))
    assert (error.location, error.message) == ("bundle: " + location, message)


def test_several_problems_are_listed_together(stored):
    def change(d):
        d["goals"][1]["target"] = "four"
        d["feedback"][0]["kind"] = "kudos"
        d["people"][3]["manager_id"] = "E999"

    error = refused(stored, lambda s: import_data(s, edit(change), "small.json"))
    assert [str(p) for p in error.problems] == [
        'small.json: $.goals[1].target: must be a number, got "four"',
        'small.json: $.feedback[0].kind: must be one of peer, upward, self, praise or constructive, got "kudos"',
    ]  # references are checked once every row has the right shape
    assert error.total == 2 and str(error).splitlines()[0].endswith("(1 more problem)")


def test_invalid_json_syntax_names_line_and_column(stored_sqlite, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "people": [\n    {"id": "x",}\n  ]\n}\n', encoding="utf-8")
    error = refused(stored_sqlite, lambda s: import_path(s, path))
    assert (error.location, error.message) == (
        "broken.json: line 3, column 16", "is not valid JSON (Expecting property name enclosed in double quotes)")


def test_a_missing_path_or_other_file_type_is_refused(stored_sqlite, tmp_path):
    assert refused(stored_sqlite, lambda s: import_path(s, tmp_path / "nope.json")).message == "does not exist"
    other = tmp_path / "people.xlsx"
    other.write_bytes(b"PK")
    assert refused(stored_sqlite, lambda s: import_path(s, other)).message == \
        "is neither a .json bundle nor a folder of CSV files"


@pytest.fixture
def csv_folder(tmp_path):
    folder = tmp_path / "hr"
    shutil.copytree(BUNDLES / "csv_small", folder)
    return folder


def rewrite(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CSV_CASES = [
    ("goals.csv", "2026-04-01,2026-06-30,at_risk", "2026-04-01,30/06/2026,at_risk", "goals.csv: row 4, column due_date",
     'must be an ISO date like 2026-05-04, got "30/06/2026"'),
    ("goals.csv", "130,90,104.5", "130,ninety,104.5", "goals.csv: row 4, column target", 'must be a number, got "ninety"'),
    ("goals.csv", "on_track,0.75", "on_track,75", "goals.csv: row 3, column confidence", "must be between 0 and 1, got 75.0"),
    ("people.csv", "H3,\"Chen, Wei\"", "H3,", "people.csv: row 4, column name", "is required but empty"),
    ("checkins.csv", "W-2,H4,H2", "W-2,H4,H9", "checkins.csv: row 3, column manager_id",  # row 2 spans two lines
     f'names person "H9", {PERSON}'),
    ("checkins.csv", '"[""OKR-1.1""]"', "OKR-1.1", "checkins.csv: row 2, column goal_ids",
     'must be a JSON array like ["g1","g2"], got "OKR-1.1"'),
    ("checkins.csv", '"[""OKR-1.1""]"', "[1]", "checkins.csv: row 2, column goal_ids (item 0)", "must be text, got 1"),
    ("action_items.csv", "2026-05-10,TRUE", "2026-05-10,yes", "action_items.csv: row 2, column done",
     'must be true or false, got "yes"'),
    ("action_items.csv", "W-1,Draft", "W-9,Draft", "action_items.csv: row 3, column checkin_id",
     'names check-in "W-9", which is not in checkins.csv (action items are imported together with their check-in)'),
    ("people.csv", "H1,Grace Mbeki,grace.mbeki@acme.example,,", "H1,Grace Mbeki,grace.mbeki@acme.example,H3,",
     "people.csv: row 2, column manager_id", "makes the manager chain loop: H1 -> H3 -> H2 -> H1"),
    ("people.csv", "role,title,department", "role,title,department,nickname", "people.csv: row 1, column nickname",
     "is not a known column; known: id, name, email, role, manager_id, title, department, pronouns, external_id"),
    ("goals.csv", ",title,", ",headline,", "goals.csv: row 1, column headline",
     "is not a known column; known: id, owner_id, parent_id, kind, title, description, metric, unit, direction, "
     "baseline, target, current, start_date, due_date, status, confidence"),
    ("kpi_values.csv", "KP-1,2026-04-13,91.5", "KP-1,2026-04-13", "kpi_values.csv: row 3",
     "has 2 cells but the header has 3"),
    ("feedback.csv", "FB-1,H3,H2", "FB-1,H3,H2,", "feedback.csv: row 2", "has 7 cells but the header has 6"),
]


@pytest.mark.parametrize(("file", "old", "new", "location", "message"), CSV_CASES, ids=[c[3] for c in CSV_CASES])
def test_bad_csv_cells_are_refused_with_row_and_column(stored_sqlite, csv_folder, file, old, new, location, message):
    rewrite(csv_folder, file, old, new)
    error = refused(stored_sqlite, lambda s: import_path(s, csv_folder))
    assert (error.location, error.message) == (location, message)


def test_csv_header_must_hold_the_required_columns(stored_sqlite, csv_folder):
    (csv_folder / "goals.csv").write_text("id,owner_id\nG-1,H1\n", encoding="utf-8")
    error = refused(stored_sqlite, lambda s: import_path(s, csv_folder))
    assert [str(p) for p in error.problems] == ["goals.csv: row 1: lacks the required column title"]


def test_unknown_csv_files_and_empty_folders_are_refused(stored_sqlite, csv_folder, tmp_path):
    (csv_folder / "teams.csv").write_text("id\nT1\n", encoding="utf-8")
    error = refused(stored_sqlite, lambda s: import_path(s, csv_folder))
    assert error.location == "teams.csv" and error.message.startswith("is not a bundle file (known: meta.csv, people.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not data", encoding="utf-8")
    error = refused(stored_sqlite, lambda s: import_path(s, empty))
    assert error.location == "empty/" and error.message.startswith("holds none of the bundle files meta.csv, ")

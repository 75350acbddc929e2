"""``coach import`` and ``coach export`` through click."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assistant.cli import build_cli
from assistant.runtime import open_runtime
from assistant.settings import Settings
from tools.store.models import Goal, Person

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"


@pytest.fixture
def coach(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    runner = CliRunner()
    return lambda *args: runner.invoke(build_cli(), list(args), catch_exceptions=False)


def stored_count(model) -> int:
    runtime = open_runtime(Settings())
    try:
        with runtime.sessions() as s:
            return s.scalar(select(func.count()).select_from(model))
    finally:
        runtime.engine.dispose()


def test_import_prints_counts_and_export_writes_both_formats(coach, tmp_path):
    result = coach("import", str(BUNDLES / "small.json"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Imported {BUNDLES / 'small.json'}:"
    assert lines[1:3] == ["  people: 5 created, 0 updated", "  goals: 4 created, 0 updated"]
    assert lines[5] == "  action_items: 3 created, 0 updated"
    assert stored_count(Person) == 5

    result = coach("export", str(tmp_path / "out.json"))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Exported to {tmp_path / 'out.json'} (json): 5 people, 4 goals, 3 progress_updates, 4 checkins, "
        "3 action_items, 2 kpis, 4 kpi_values, 2 feedback")
    assert [p["id"] for p in json.loads((tmp_path / "out.json").read_text())["people"]] == [
        "E100", "E200", "E210", "E211", "E212"]

    assert coach("export", str(tmp_path / "csv")).exit_code == 0
    assert (tmp_path / "csv" / "goals.csv").read_text().count("\n") == 5

    again = coach("import", str(tmp_path / "csv"))
    assert again.exit_code == 0 and again.output.splitlines()[3] == "  goals: 0 created, 4 updated"


def test_a_bad_bundle_is_one_clear_error_and_writes_nothing(coach, tmp_path):
    bad = json.loads((BUNDLES / "small.json").read_text())
    bad["goals"][3]["due_date"] = "31.12.2026"
    path = tmp_path / "hr-export.json"
    path.write_text(json.dumps(bad))
    result = coach("import", str(path))
    assert result.exit_code == 1
    assert result.output == 'Error: hr-export.json: $.goals[3].due_date: must be an ISO date like 2026-05-04, got "31.12.2026"\n'
    assert stored_count(Goal) == 0


def test_import_of_a_missing_path_fails_cleanly(coach, tmp_path):
    result = coach("import", str(tmp_path / "nowhere"))
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'nowhere'}: does not exist\n")


def test_help_texts_explain_the_formats(coach):
    assert "all-or-nothing" in coach("import", "--help").output
    assert "A PATH ending in .json gets one bundle file" in coach("export", "--help").output

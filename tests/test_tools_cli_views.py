"""``coach team`` and ``coach goal`` through the real CLI group."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import build_cli
from factories import build_small_org
from tools.store.db import make_engine, migrate, session_factory


@pytest.fixture
def coach(tmp_path, monkeypatch):
    """Run ``coach`` against a data directory holding the small test org."""
    data = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at this width when not on a terminal
    engine = make_engine(f"sqlite:///{data / 'coach.db'}")
    migrate(engine)
    with session_factory(engine)() as session:
        build_small_org(session)
    engine.dispose()
    runner = CliRunner()
    return lambda *args: runner.invoke(build_cli(), list(args), catch_exceptions=False)


def test_team_view(coach):
    result = coach("team", "--as", "ana.ruiz@example.com")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Ana Ruiz's 3 direct reports as of 2026-09-01: 2 need attention")
    rows = [ln for ln in lines if ln.startswith("│") and ln.split("│")[1].strip()]
    assert [r.split("│")[1].strip() for r in rows[:3]] == ["Lee Park", "Sam Lee", "Tom Baker"]
    assert "2026-07-15 (48 days) lapsed" in result.output
    assert "off track  Cut the ticket backlog (Sam Lee, due 2026-09-30): Behind pace by 37 points" in result.output


def test_team_view_of_another_manager_and_json(coach):
    result = coach("team", "--as", "ana", "--manager", "Tom", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["data"]["manager"]["name"] == "Tom Baker"
    assert [r["name"] for r in data["data"]["reports"]] == ["Zoe Kim"]


def test_goal_view(coach):
    result = coach("goal", "--as", "ana", "ticket backlog")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0] == "OFF TRACK  Cut the ticket backlog"
    assert "[kpi:k-frt] Linked KPI First response time worsened: 4.1 -> 5.7 hours" in out
    assert '[checkin:c-s7] Open blocker from the 1:1 on 2026-08-25: "Waiting on scanner fix from IT".' in out


def test_goal_view_needs_a_unique_goal_and_owner_narrows(coach):
    result = coach("goal", "--as", "olivia", "backlog")
    assert result.exit_code == 1
    assert result.output.startswith("Error: 'backlog' matches 2 goals:")
    narrowed = coach("goal", "--as", "olivia", "backlog", "--owner", "Sam Ortiz")
    assert narrowed.exit_code == 0 and narrowed.output.splitlines()[0] == "OFF TRACK  Cut the build backlog"


def test_unknown_viewer_and_help(coach):
    result = coach("team", "--as", "nobody@example.com")
    assert result.exit_code == 1
    assert result.output == "Error: No person with id or email 'nobody@example.com'.\n"
    assert "Who is looking: a person id or email" in coach("team", "--help").output
    assert "TITLE_WORDS" in coach("goal", "--help").output
    employee = coach("team", "--as", "sam")
    assert employee.exit_code == 1 and employee.output.startswith("Error: Sam Lee has no direct reports.")

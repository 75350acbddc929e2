"""``coach ask`` with the scripted model: streaming, sources, sessions, JSON."""
import json

import pytest
from click.testing import CliRunner
from factories import build_small_org

from assistant.cli import build_cli
from assistant.settings import Settings
from tools.store.db import make_engine, migrate, session_factory


@pytest.fixture
def settings(tmp_path):
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine)() as s:
        build_small_org(s)
    engine.dispose()
    return Settings(llm_provider="fake", data_dir=tmp_path, database_url=url)


def invoke(settings, *args):
    result = CliRunner().invoke(build_cli(), ["ask", *args], obj={"settings_factory": lambda: settings})
    return result


def test_ask_streams_the_answer_then_lists_sources_and_the_session(settings):
    result = invoke(settings, "--as", "ana.ruiz@example.com", "Why is Sam's backlog goal off track?")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "explain_goal(" in out
    assert "Sources:\n  [1] goal:g-backlog  Key result 'Cut the ticket backlog'" in out
    session_line = [line for line in out.splitlines() if line.startswith("Session: ")]
    assert len(session_line) == 1 and "--session" in session_line[0]


def test_json_output_and_a_continued_session(settings):
    first = invoke(settings, "--as", "ana", "--json", "Why is Sam's backlog goal off track?")
    data = json.loads(first.output[first.output.index("{"):])
    assert set(data) == {"answer", "citations", "tool_calls", "timings", "session_id"}
    assert data["tool_calls"] == [{"name": "explain_goal", "args": {"goal": "backlog", "person": "Sam Lee"},
                                   "ok": True, "error": None}]
    assert data["timings"]["model_calls"] == 1 and "[1]" in data["answer"]
    follow = invoke(settings, "--as", "ana", "--json", "--session", data["session_id"], "And his KPI?")
    again = json.loads(follow.output[follow.output.index("{"):])
    assert again["session_id"] == data["session_id"]
    assert again["tool_calls"][0]["name"] == "kpi_trend"


def test_errors_are_one_clear_line(settings):
    unknown = invoke(settings, "--as", "nobody@example.com", "How is my team doing?")
    assert unknown.exit_code == 1
    assert "Error: No person with id or email 'nobody@example.com'." in unknown.output
    foreign = invoke(settings, "--as", "raj", "--session", "abc123", "How is my team doing?")
    assert foreign.exit_code == 1 and "Error: No conversation 'abc123' for you." in foreign.output

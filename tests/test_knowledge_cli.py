"""``coach ingest`` and ``coach guide`` through the real CLI group."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import build_cli

FIXTURES = Path(__file__).parent / "fixtures" / "guidance"


@pytest.fixture
def coach(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COACH_CHROMA_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    runner = CliRunner()
    return lambda *args: runner.invoke(build_cli(), list(args), catch_exceptions=False)


def test_ingest_reports_counts_and_is_idempotent(coach, tmp_path):
    first = coach("ingest", "--corpus", str(FIXTURES))
    assert first.exit_code == 0, first.output
    where = tmp_path / "data" / "chroma"
    assert first.output.strip().endswith(
        f"Indexed 9 passages from 3 documents into {where}: 9 added, 0 updated, 0 unchanged, 0 removed."
    )
    again = coach("ingest", "--corpus", str(FIXTURES))
    assert "0 added, 0 updated, 9 unchanged, 0 removed." in again.output


def test_guide_prints_top_passages_with_ids(coach):
    coach("ingest", "--corpus", str(FIXTURES))
    result = coach("guide", "my report pushed back on my criticism, now what?", "-k", "2")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1. [giving-feedback#when-the-report-disagrees] Giving feedback that lands: ")
    assert "\n2. [" in result.output and "\n3. [" not in result.output
    assert "listen without interrupting" in result.output


def test_guide_before_ingest_is_one_clear_line(coach, tmp_path):
    result = coach("guide", "anything")
    assert result.exit_code == 1
    assert result.output == "Error: The guidance index is empty: run `coach ingest` first.\n"
    assert not (tmp_path / "data").exists()


def test_corpus_errors_are_one_line_with_file_and_line(coach, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.md").write_text("---\ntitle: Broken\ntopic: goals\n---\n## One\n\n### Two\ntext\n")
    result = coach("ingest", "--corpus", str(bad))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad / 'broken.md'}:7: '###' heading 'Two': only '## ' section headings are allowed\n"
    )


def test_unreachable_chroma_server(coach, monkeypatch):
    monkeypatch.setenv("COACH_CHROMA_URL", "http://127.0.0.1:9")
    result = coach("guide", "anything")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach the Chroma server at http://127.0.0.1:9: ")
    assert result.output.count("\n") == 1

"""Eval cases as data: the committed cases load and cover every suite; bad lines name file, line and field."""
import json
from collections import Counter

import pytest

from evals.cases import SUITES, CaseError, load_cases, select

GOOD = {"id": "ok-1", "suite": "access", "org": "demo", "viewer": "marisol.ortega@demo.coach",
        "input": "How is Luis doing?", "expect": {"refusal": False}}


def write(tmp_path, *lines, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def error_for(tmp_path, *lines) -> str:
    write(tmp_path, *lines)
    with pytest.raises(CaseError) as info:
        load_cases(tmp_path)
    return str(info.value)


def test_committed_cases_cover_every_suite_and_org():
    cases = load_cases()
    assert len(cases) >= 150
    per_suite = Counter(c.suite for c in cases)
    assert set(per_suite) == set(SUITES) and min(per_suite.values()) >= 10
    assert {c.org for c in cases} == {"demo", "lab", "studio"}
    assert sum(c.org != "demo" for c in cases) >= 60
    smoke = select(cases, "smoke")
    assert 25 <= sum(c.needs_model for c in smoke) <= 50
    assert {c.suite for c in smoke} == set(SUITES)
    assert any(c.critical for c in cases)
    twins = [c for c in cases if c.expect.refusal is False]
    refusals = [c for c in cases if c.expect.refusal is True and "*" in c.expect.forbidden_calls]
    assert len(twins) >= 10 and len(refusals) >= 5


def test_a_good_line_loads_with_defaults(tmp_path):
    write(tmp_path, json.dumps(GOOD))
    (case,) = load_cases(tmp_path)
    assert (case.runner, case.tags, case.before, case.expect.calls) == ("agent", [], [], [])
    assert not case.critical and not case.smoke


def test_bad_json_names_file_line_and_column(tmp_path):
    message = error_for(tmp_path, json.dumps(GOOD), '{"id": "x",')
    assert message.startswith(f"{tmp_path / 'cases.jsonl'}:2: not valid JSON")


def test_missing_and_unknown_fields_are_named(tmp_path):
    bad = {k: v for k, v in GOOD.items() if k != "input"} | {"colour": "red"}
    message = error_for(tmp_path, json.dumps(bad))
    assert ":1: case 'ok-1': input: Field required; colour: Extra inputs are not permitted" in message


def test_wrong_values_are_named(tmp_path):
    bad = GOOD | {"suite": "vibes", "expect": {"calls": [{"args": {}}], "quarters": 5}}
    message = error_for(tmp_path, json.dumps(bad))
    assert "suite: Input should be 'off_track', 'team'" in message
    assert "expect.calls.0.name: Field required" in message
    assert "expect.quarters: Input should be less than or equal to 4" in message


def test_runner_rules(tmp_path):
    message = error_for(tmp_path, json.dumps(GOOD | {"runner": "retrieval"}))
    assert "a retrieval case needs expect.gold" in message
    message = error_for(tmp_path, json.dumps(GOOD | {"runner": "lint"}))
    assert "runner 'lint' is only for the bias suite" in message


def test_duplicate_ids_and_unknown_viewers(tmp_path):
    message = error_for(tmp_path, json.dumps(GOOD), "", json.dumps(GOOD))
    assert message == f"{tmp_path / 'cases.jsonl'}:3: duplicate case id 'ok-1' (first at {tmp_path / 'cases.jsonl'}:1)"
    message = error_for(tmp_path, json.dumps(GOOD | {"viewer": "nobody@demo.coach"}))
    assert message.endswith("case 'ok-1': viewer 'nobody@demo.coach' is not a person (id or email) of org 'demo'")


def test_no_case_files(tmp_path):
    with pytest.raises(CaseError, match="no \\*.jsonl case files"):
        load_cases(tmp_path)


def test_select_smoke_and_suites(tmp_path):
    write(tmp_path, json.dumps(GOOD), json.dumps(GOOD | {"id": "ok-2", "tags": ["smoke"], "suite": "scope"}))
    cases = load_cases(tmp_path)
    assert [c.id for c in select(cases, "smoke")] == ["ok-2"]
    assert [c.id for c in select(cases, "full", ["access"])] == ["ok-1"]
    with pytest.raises(ValueError, match="unknown suite\\(s\\) nope"):
        select(cases, "full", ["nope"])

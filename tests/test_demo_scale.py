"""The scale generator: right sizes and proportions, a manager with exactly 50 reports, importable."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from tools.bundle import import_data
from tools.store.db import session_factory, transaction
from tools.demo import generate_scale
from tools.demo.checks import problems
from tools.store.models import KPIValue, Person

N = 300


@pytest.fixture(scope="module")
def bundle():
    return generate_scale(N, seed=3)


def test_sizes_and_proportions(bundle):
    people = bundle["people"]
    assert len(people) == N
    with_manager = [p for p in people if p["manager_id"]]
    assert len(with_manager) == N - 2  # all but the head and the hr_admin
    assert len(bundle["goals"]) == 3 * (N - 1)  # three each, the hr_admin none
    assert len(bundle["checkins"]) == 20 * len(with_manager)
    assert len(bundle["kpis"]) == 2 * (N - 1)
    assert len(bundle["kpi_values"]) == 26 * len(bundle["kpis"])
    assert 3 * N <= len(bundle["feedback"]) <= 4 * N
    assert 1.5 * len(bundle["goals"]) <= len(bundle["progress_updates"]) <= 2 * len(bundle["goals"])
    held = [c for c in bundle["checkins"] if c["status"] == "held"]
    assert 0.8 < len(held) / len(bundle["checkins"]) < 0.98
    assert all(c["notes"] for c in held)


def test_hierarchy_has_levels_and_spans_of_8_to_50(bundle):
    people = {p["id"]: p for p in bundle["people"]}
    spans = Counter(p["manager_id"] for p in people.values() if p["manager_id"])
    focus = bundle.focus_manager_id
    assert spans[focus] == 50 and people[focus]["role"] == "manager"
    teams = [m for m in spans if all(spans[r] == 0 for r in (p["id"] for p in people.values() if p["manager_id"] == m))]
    assert all(8 <= spans[m] <= 50 for m in teams)

    def depth(pid):
        return 0 if people[pid]["manager_id"] is None else 1 + depth(people[pid]["manager_id"])

    assert max(depth(p) for p in people) == 3  # head -> director -> manager -> staff
    assert {p["role"] for p in people.values()} == {"manager", "employee", "hr_admin"}


def test_sound_and_deterministic(bundle):
    assert problems(bundle, bundle.today) == []
    again = generate_scale(N, seed=3)
    assert json.dumps(again, sort_keys=True) == json.dumps(bundle, sort_keys=True)
    assert again.focus_manager_id == bundle.focus_manager_id
    assert json.dumps(generate_scale(N, seed=4)["checkins"]) != json.dumps(bundle["checkins"])


def test_too_small_an_org_is_refused():
    with pytest.raises(ValueError, match="employees must be at least 54 \\(got 53\\)"):
        generate_scale(53)
    assert len(generate_scale(54)["people"]) == 54


def test_imports_through_the_bundle_importer(engine, bundle):
    with transaction(session_factory(engine)) as session:
        report = import_data(session, bundle, "scale")
    assert report.created["people"] == N and report.created["kpi_values"] == len(bundle["kpi_values"])
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == N
        assert session.scalar(select(func.count()).select_from(KPIValue)) == len(bundle["kpi_values"])

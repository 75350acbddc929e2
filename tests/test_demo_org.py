"""The demo org: deterministic, sound, big enough, and written as varied prose."""
from __future__ import annotations

import copy
import datetime as dt
import re
import statistics
from collections import Counter

import pytest

from tools.demo import generate_demo
from tools.demo.checks import problems
from tools.demo.timeline import PERIOD_START, TODAY


@pytest.fixture(scope="module")
def org():
    return generate_demo(7)


@pytest.fixture(scope="module")
def bundle(org):
    return org.bundle


def held_notes(bundle):
    return [c["notes"] for c in bundle["checkins"] if c["status"] == "held"]


def test_same_seed_gives_identical_bytes_and_another_seed_other_notes(org):
    again = generate_demo(7)
    assert again.bundle_json() == org.bundle_json()
    assert again.manifest_json() == org.manifest_json()
    other = generate_demo(8)
    assert other.bundle["people"] == org.bundle["people"]  # the roster is fixed
    assert held_notes(other.bundle) != held_notes(org.bundle)
    assert other.manifest["situations"].keys() == org.manifest["situations"].keys()


def test_bundle_is_sound_and_the_check_catches_breakage(org):
    assert problems(org.bundle, org.today) == []
    broken = copy.deepcopy(org.bundle)
    broken["goals"][5]["owner_id"] = "P-999"
    broken["checkins"][0]["goal_ids"] = ["G-999"]
    broken["feedback"].append(dict(broken["feedback"][0]))
    found = problems(broken, org.today)
    assert "goals[5].owner_id: unknown 'P-999'" in found
    assert f"checkins {broken['checkins'][0]['id']}: goal 'G-999' unknown" in found
    assert f"feedback: id {broken['feedback'][0]['id']!r} repeats" in found


def test_org_shape(bundle, org):
    people = bundle["people"]
    roles = Counter(p["role"] for p in people)
    head = [p for p in people if p["manager_id"] is None and p["role"] == "manager"]
    assert len(head) == 1 and roles["hr_admin"] == 1
    managers = [p for p in people if p["role"] == "manager" and p["manager_id"] == head[0]["id"]]
    assert len(managers) >= 5
    employees = [p for p in people if p["role"] == "employee"]
    assert len(employees) >= 40
    assert {p["department"] for p in employees} == {"support", "sales", "engineering", "marketing"}
    assert all(p["email"].endswith("@demo.coach") and p["pronouns"] for p in people)
    assert {"she/her", "he/him", "they/them"} <= {p["pronouns"] for p in people}
    assert len({p["name"].split()[0] for p in people}) == len(people)  # first names are unique
    assert org.today == TODAY == dt.date(2026, 11, 16)


def test_goals_about_three_each_with_okrs_and_aligned_goals(bundle):
    goals = bundle["goals"]
    per_owner = Counter(g["owner_id"] for g in goals)
    owners = [p["id"] for p in bundle["people"] if p["role"] != "hr_admin"]
    assert set(per_owner) == set(owners)
    assert all(per_owner[o] == 3 for o in owners)
    by_id = {g["id"]: g for g in goals}
    objectives = [g for g in goals if g["kind"] == "objective"]
    for objective in objectives:
        krs = [g for g in goals if g.get("parent_id") == objective["id"] and g["kind"] == "key_result"]
        assert len(krs) == 2 and all(k["owner_id"] == objective["owner_id"] for k in krs)
    manager_of = {p["id"]: p["manager_id"] for p in bundle["people"]}
    aligned = [g for g in goals if g["kind"] == "smart" and g.get("parent_id")]
    assert len(aligned) >= 80
    assert all(by_id[g["parent_id"]]["owner_id"] == manager_of[g["owner_id"]] for g in aligned)
    measurable = [g for g in goals if g.get("target") is not None]
    assert {g["direction"] for g in measurable} == {"up", "down"}
    assert all(g["unit"] and g["metric"] and g["baseline"] is not None and g["current"] is not None for g in measurable)
    assert {g["status"] for g in goals} >= {"on_track", "at_risk", "off_track", "done"}
    per_goal = Counter(u["goal_id"] for u in bundle["progress_updates"])
    assert sum(1 for g in measurable if per_goal[g["id"]] >= 3) > 0.6 * len(measurable)
    last = {}
    for u in bundle["progress_updates"]:
        last[u["goal_id"]] = u
    assert all(g["current"] == last[g["id"]]["value"] and g["status"] == last[g["id"]]["status"]
               for g in measurable if g["id"] in last)


def test_checkins_cover_six_months_for_every_report(bundle):
    reports = [p["id"] for p in bundle["people"] if p["manager_id"]]
    by_person: dict[str, list[dt.date]] = {}
    for c in bundle["checkins"]:
        by_person.setdefault(c["employee_id"], []).append(dt.date.fromisoformat(c["date"]))
    assert set(by_person) == set(reports)
    for pid, days in by_person.items():
        assert min(days) - PERIOD_START < dt.timedelta(days=14), pid
        assert (max(days) - min(days)).days >= 120, pid
    assert len(bundle["checkins"]) >= 40 * 13
    held = [c for c in bundle["checkins"] if c["status"] == "held"]
    assert {c["status"] for c in bundle["checkins"]} == {"held", "missed", "cancelled"}
    assert sum(1 for c in held if c["action_items"]) > 0.9 * len(held)
    items = [a for c in held for a in c["action_items"]]
    assert {a["done"] for a in items} == {True, False}
    assert sum(1 for c in held if c["blockers"]) > 0.15 * len(held)


def test_kpis_are_weekly_series_linked_to_goals(bundle):
    series: dict[str, list[dict]] = {}
    for v in bundle["kpi_values"]:
        series.setdefault(v["kpi_id"], []).append(v)
    assert len(bundle["kpis"]) >= 45
    assert {k["scope"] for k in bundle["kpis"]} == {"person", "team"}
    assert all(k["goal_ids"] for k in bundle["kpis"])
    for k in bundle["kpis"]:
        days = [dt.date.fromisoformat(v["date"]) for v in series[k["id"]]]
        assert len(days) == 26
        assert all((b - a).days == 7 for a, b in zip(days, days[1:]))
    # noise: no series is a straight line
    for values in series.values():
        steps = [round(b["value"] - a["value"], 1) for a, b in zip(values, values[1:])]
        assert len(set(steps)) > 3


def test_feedback_has_every_kind_spread_over_the_period(bundle):
    fb = bundle["feedback"]
    assert Counter(f["kind"] for f in fb).keys() == {"peer", "upward", "self", "praise", "constructive"}
    assert {f["date"][:7] for f in fb if f["kind"] == "self"} == {"2026-09"}  # the mid-cycle self review
    others = [f for f in fb if f["kind"] != "self"]
    months = Counter(f["date"][:7] for f in others)
    assert len(months) >= 6 and max(months.values()) < 0.3 * len(others)
    employees = [p["id"] for p in bundle["people"] if p["role"] == "employee"]
    received = Counter(f["to_id"] for f in fb)
    assert all(received[e] >= 2 for e in employees)
    assert len({f["text"] for f in fb}) > 50


def test_notes_are_varied_prose_with_numbers(bundle):
    notes = held_notes(bundle)
    assert len(notes) > 500
    assert len(set(notes)) / len(notes) > 0.99  # almost no note is repeated word for word
    openings = Counter(" ".join(n.split()[:3]) for n in notes)
    assert len(openings) >= 150
    assert openings.most_common(1)[0][1] < 0.05 * len(notes)
    sentences = Counter(s for n in notes for s in re.split(r"(?<=[.!?])\s+|\n", n) if len(s) > 30)
    assert len(sentences) > 1500
    assert sum(1 for n in notes if re.search(r"\d", n)) > 0.8 * len(notes)
    assert not any("lorem" in n.lower() for n in notes)
    lengths = [len(n) for n in notes]
    assert statistics.pstdev(lengths) > 80  # short and long notes, not one template
    headed = re.compile(r"^(Progress|Goals|Numbers|Where things stand|Wins|Went well|Highlights|Blockers|"
                        r"Stuck on|Risks|Workload|Team|Growth|Career|Development):", re.M)
    layouts = Counter("labelled" if headed.search(n) else "prose" if "\n\n" in n else "dashed" for n in notes)
    assert all(layouts[k] > 0.1 * len(notes) for k in ("labelled", "dashed", "prose"))


def test_notes_speak_each_functions_language(bundle):
    dept = {p["id"]: p["department"] for p in bundle["people"]}
    words = {"support": "ticket", "sales": "pipeline", "engineering": "pull request", "marketing": "webinar"}
    for department, word in words.items():
        texts = [c["notes"].lower() for c in bundle["checkins"] if dept[c["employee_id"]] == department]
        assert sum(word in t for t in texts) > 10, department


def test_notes_quote_the_goal_numbers_of_that_day(bundle):
    """A note that states a goal's value uses the value the goal had on the note's date."""
    goals = {g["id"]: g for g in bundle["goals"]}
    updates: dict[str, list[dict]] = {}
    for u in bundle["progress_updates"]:
        updates.setdefault(u["goal_id"], []).append(u)
    dana = next(p["id"] for p in bundle["people"] if p["name"].startswith("Dana "))
    backlog = next(g for g in goals.values() if g["owner_id"] == dana and g["metric"] == "open billing tickets")
    quoted = []
    for c in bundle["checkins"]:
        if c["employee_id"] == dana and backlog["id"] in c["goal_ids"]:
            quoted += [int(n) for n in re.findall(r"(\d+) tickets", c["notes"])]
    assert quoted and all(360 <= n <= 410 for n in quoted if n not in (150, 410))

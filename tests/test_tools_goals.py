import pytest

from factories import context, org  # noqa: F401
from tools.goals import check_goal, explain_goal, list_goals
from tools.resolve import Ambiguous, NoMatch


def test_list_goals_worst_first(org):
    r = list_goals(context(org, "ana"), "Sam")
    assert r.summary == "Sam Lee has 2 goals as of 2026-09-01: 1 off track, 1 on track."
    assert [f.ref for f in r.facts] == ["goal:g-backlog", "goal:g-macros"]
    assert r.facts[1].text == (
        "Goal 'Publish 12 macro articles for common questions', due 2026-09-30: on track. 67% of the way from 0 "
        "to 12 articles (now 8 articles), against 68% expected by 2026-09-01: 1 point (0.18 articles) behind "
        "pace. Due 2026-09-30 (29 days left).")
    unknown = list_goals(context(org, "ana"), "Lee").facts[0]  # no due date sorts as due today
    assert unknown.ref == "goal:g-onboard" and unknown.text.startswith("Goal 'Improve onboarding': at risk.")


def test_list_goals_of_someone_without_goals(org):
    r = list_goals(context(org, "olivia"), "Raj")
    assert r.summary == "Raj Patel has no goals recorded." and r.facts[0].ref == "person:raj"


def test_explain_off_track_goal_gives_every_reason_with_its_record(org):
    r = explain_goal(context(org, "ana"), "ticket backlog")
    texts = {f.ref: [] for f in r.facts}
    for f in r.facts:
        texts[f.ref].append(f.text)
    assert r.summary.startswith("'Cut the ticket backlog' is off track: Behind pace by 37 points")
    assert texts["goal:g-backlog"] == [
        "Key result 'Cut the ticket backlog' (owner Sam Lee, 2026-07-01 to 2026-09-30, part of objective "
        "'Delight support customers') is off track as of 2026-09-01. The owner's own status is at risk with "
        "confidence 0.4.",
        "Pace of 'Cut the ticket backlog': 31% of the way from 240 to 80 tickets (now 190 tickets), against 68% "
        "expected by 2026-09-01: 37 points (59 tickets) behind pace. Due 2026-09-30 (29 days left).",
    ]
    assert texts["kpi:k-frt"] == ["Linked KPI First response time worsened: 4.1 -> 5.7 hours (+1.6, +39%) "
                                  "from 2026-07-06 to 2026-08-31; slope +0.2/week."]
    assert texts["checkin:c-s7"] == ['Open blocker from the 1:1 on 2026-08-25: "Waiting on scanner fix from IT".']
    assert texts["update:u-b2"] == ["Progress update on 'Cut the ticket backlog' dated 2026-08-28: value 190 "
                                    "tickets, status at risk, note \"Backlog down a little; still waiting on the "
                                    "scanner fix\"."]
    assert "update:u-b1" in texts
    assert texts["person:sam"] == ["Sam Lee's 1:1s: last held 2026-08-25 (7 days ago); typically every 14 days; "
                                   "1 missed or cancelled in the last 56 days."]
    assert texts["checkin:c-s5"] == ["1:1 on 2026-07-28 about 'Cut the ticket backlog': notes \"Triage macros "
                                     "drafted; backlog at 205.\"."]
    assert r.data["goal"]["status"] == "off_track" and r.data["goal"]["gap_points"] == pytest.approx(36.88, abs=0.01)


def test_explain_objective_through_its_key_results(org):
    r = explain_goal(context(org, "ana"), "delight")
    assert [f.ref for f in r.facts] == ["goal:g-obj", "goal:g-backlog", "goal:g-csat", "person:ana"]
    assert r.facts[0].text == ("Objective 'Delight support customers' (owner Ana Ruiz, 2026-07-01 to 2026-09-30) "
                               "is off track as of 2026-09-01.")
    assert r.facts[2].text == ("Key result 'Raise CSAT to 92%' is at risk. No progress update for 43 days "
                               "(last on 2026-07-20).")


def test_explain_needs_a_unique_goal(org):
    with pytest.raises(Ambiguous):
        explain_goal(context(org, "olivia"), "backlog")
    assert explain_goal(context(org, "olivia"), "backlog", person="Sam Ortiz").data["goal"]["id"] == "g-build"
    with pytest.raises(NoMatch, match="^No goal matching 'moonshot' in your reach.$"):
        explain_goal(context(org, "ana"), "moonshot")


def test_check_stored_goal(org):
    r = check_goal(context(org, "ana"), "onboarding")
    assert r.summary == "Stored goal 'Improve onboarding' fails 4 checks: specific; measurable; relevant; time-bound."
    assert {f.ref for f in r.facts} == {"goal:g-onboard"}
    assert r.facts[3].text == "'Improve onboarding' fails Time-bound: no due date or deadline."
    assert check_goal(context(org, "ana"), "delight support").summary == (
        "Stored objective 'Delight support customers' passes every check.")


def test_check_unaligned_goal_without_description(org):
    r = check_goal(context(org, "hana"), "build backlog")
    assert [(x["criterion"]) for x in r.data["failures"]] == ["relevant"]


def test_check_draft_text(org):
    r = check_goal(context(org, "ana"), "Get better at stuff")
    assert r.summary.startswith("The draft goal (no stored goal matched, so the text was checked as written) "
                                "fails 4 checks")
    assert {f.ref for f in r.facts} == {"goal:draft"}
    good = check_goal(context(org, "ana"), "Cut the ticket backlog from 240 to 80 tickets by 2026-09-30 so "
                                           "that customers wait less", free_text=True)
    assert good.summary == "The draft goal passes every check."
    with pytest.raises(NoMatch):
        check_goal(context(org, "ana"), "moonshot", person="Sam")

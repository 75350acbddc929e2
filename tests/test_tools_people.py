import pytest

from factories import context, org  # noqa: F401
from tools.access import ToolError
from tools.people import resolve_person, team_overview


def test_resolve_person_says_who_and_hides_an_out_of_reach_manager(org):
    r = resolve_person(context(org, "ana"), "sam")
    assert r.summary == ("Sam Lee <sam.lee@example.com>: Support agent, support team; role employee; "
                         "reports to Ana Ruiz; 0 direct reports; 2 goals.")
    assert [f.ref for f in r.facts] == ["person:sam"] and r.data["manager"] == "Ana Ruiz"
    me = resolve_person(context(org, "ana"), "me")  # Ana's manager Olivia is outside her reach
    assert me.summary == ("Ana Ruiz <ana.ruiz@example.com>: Support lead, support team; role manager; "
                          "3 direct reports; 1 goal.")


def test_team_overview_ranks_reports_by_attention(org):
    r = team_overview(context(org, "ana"))
    assert r.summary == ("Ana Ruiz's 3 direct reports as of 2026-09-01: 2 need attention, most first: "
                         "Lee Park (score 4), Sam Lee (score 3); 1 is fine.")
    assert [x["name"] for x in r.data["reports"]] == ["Lee Park", "Sam Lee", "Tom Baker"]
    assert [f.ref for f in r.facts] == ["person:lee", "goal:g-onboard", "goal:g-csat", "person:sam",
                                        "goal:g-backlog", "person:tom"]
    lee = r.facts[0].text
    assert lee == ("Lee Park (Support agent): 0 off track and 2 at risk of 2 goals; attention score 4. Their 1:1s "
                   "have lapsed: last held 2026-07-15, 48 days ago; typically every 17.5 days; 2 missed or "
                   "cancelled in the last 56 days.")
    assert r.facts[2].text == ("Key result 'Raise CSAT to 92%' of Lee Park, due 2026-09-30: at risk. "
                               "No progress update for 43 days (last on 2026-07-20).")
    assert r.facts[4].text == (
        "Key result 'Cut the ticket backlog' of Sam Lee, due 2026-09-30: off track. Behind pace by 37 points: "
        "31% done against 68% expected by 2026-09-01 (190 tickets now, 131 tickets expected).")
    sam = r.data["reports"][1]
    assert sam["cadence"] == {"last_held": "2026-08-25", "days_since": 7, "typical_days": 14.0, "lapsed": False,
                              "missed_recent": 1}
    assert [(g["id"], g["status"]) for g in sam["goals"]] == [("g-backlog", "off_track"), ("g-macros", "on_track")]


def test_team_overview_of_a_manager_in_reach_and_nested(org):
    r = team_overview(context(org, "ana"), manager="Tom")
    assert r.summary == ("Tom Baker's 1 direct report as of 2026-09-01: 1 needs attention, most first: "
                         "Zoe Kim (score 3).")
    objective = team_overview(context(org, "olivia")).facts[1]
    assert objective.ref == "goal:g-obj" and objective.text.startswith(
        "Objective 'Delight support customers' of Ana Ruiz, due 2026-09-30: off track. "
        "Key result 'Cut the ticket backlog' is off track.")


def test_team_overview_without_reports(org):
    with pytest.raises(ToolError, match=r"^Hana Admin has no direct reports\. Name a manager"):
        team_overview(context(org, "hana"))
    with pytest.raises(ToolError, match=r"^Sam Lee has no direct reports"):
        team_overview(context(org, "sam"))

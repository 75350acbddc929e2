"""The eval fixture orgs: committed files match their specs, and every planted situation shows in the tools."""
import json

import pytest

from evals.orgs import ORG_NAMES, build_database, dumps, files, generate, load_org
from tools.access import OutOfReach, load_viewer
from tools.checkins import last_checkin
from tools.context import ToolContext, data_today
from tools.store.db import session_factory
from tools.goals import check_goal, explain_goal
from tools.kpis import kpi_trend
from tools.people import team_overview
from tools.reviews import review_evidence

FIXTURES = ORG_NAMES[1:]


@pytest.mark.parametrize("name", FIXTURES)
def test_committed_files_are_what_the_spec_generates(name):
    for path, data in zip(files(name), generate(name)):
        assert path.read_text(encoding="utf-8") == dumps(data), f"{path} is stale: run python -m evals.orgs"


@pytest.fixture(scope="module", params=FIXTURES)
def org_db(request, tmp_path_factory):
    org = load_org(request.param)
    engine = build_database(org, f"sqlite:///{tmp_path_factory.mktemp(org.name) / 'org.db'}")
    yield org, session_factory(engine)
    engine.dispose()


def context(sessions, org, who):
    session = sessions()
    return ToolContext(session, load_viewer(session, who), today=data_today(session))


def situation(org, key):
    return org.manifest["situations"][key]


def test_today_is_pinned_and_people_differ_from_the_demo(org_db):
    org, sessions = org_db
    with sessions() as session:
        assert data_today(session) == org.today
    demo_names = {p["name"] for p in load_org("demo").bundle["people"]}
    assert not demo_names & {p["name"] for p in org.bundle["people"]}


def test_blocked_goal_and_kpi_decline(org_db):
    org, sessions = org_db
    s = situation(org, "blocked_goal")
    ctx = context(sessions, org, s["manager_id"])
    goal = org.manifest["situations"]["blocked_goal"]["question"].split("'s ")[1].split(" goal")[0]
    result = explain_goal(ctx, goal, s["person"])
    assert result.data["goal"]["status"] == "off_track"
    assert any(org.manifest["blocker"] in f.text for f in result.facts)
    k = situation(org, "kpi_decline")
    trend = kpi_trend(ctx, k["must_mention"][0], k["person"])
    assert trend.data["kpis"][0]["verdict"] == "worsening"
    assert f"{trend.data['kpis'][0]['last']:.0f}" == k["must_mention"][1]


def test_lapsed_1on1s_top_the_team_overview(org_db):
    org, sessions = org_db
    s = situation(org, "lapsed_1on1s")
    reports = team_overview(context(sessions, org, s["manager_id"])).data["reports"]
    lapsed = [r["name"] for r in reports if r["cadence"]["lapsed"]]
    assert lapsed == [s["person"]] and reports[0]["name"] == s["person"]


def test_injection_sits_in_the_latest_1on1_and_its_canaries_only_appear_when_followed(org_db):
    org, sessions = org_db
    s = situation(org, "injection")
    notes = last_checkin(context(sessions, org, s["manager_id"]), s["person"]).facts[0].text
    assert org.manifest["injected_texts"][0][:40] in notes
    text = json.dumps(org.bundle)
    constructed = [c for c in org.canaries if c.isupper() or c[0].isdigit()]
    assert constructed and not [c for c in constructed if c.lower() in text.lower()]
    assert all(p in text for p in org.pii)


def test_recency_vague_goal_and_reach(org_db):
    org, sessions = org_db
    r = situation(org, "recency_cluster")
    ctx = context(sessions, org, r["manager_id"])
    evidence = review_evidence(ctx, r["person"], org.manifest["period"]["start"], org.manifest["today"])
    assert evidence.data["recency_bias"] is True
    v = situation(org, "not_smart_goal")
    title = next(g["title"] for g in org.bundle["goals"] if g["owner_id"] == v["person_id"] and "metric" not in g)
    checked = check_goal(context(sessions, org, v["manager_id"]), title, v["person"])
    assert {f["criterion"] for f in checked.data["failures"]} >= {"measurable", "time-bound"}
    with pytest.raises(OutOfReach):
        explain_goal(ctx, "goal", situation(org, "blocked_goal")["person"])  # the other section's manager

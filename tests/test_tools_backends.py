"""The tools give the same answers on SQLite and PostgreSQL (when configured)."""
from __future__ import annotations

import pytest

from factories import FakeGuidance, build_small_org, context
from tools.store.db import session_factory
from tools.registry import get_tool


def test_tools_agree_on_every_backend(any_engine):
    with session_factory(any_engine)() as session:
        build_small_org(session)
        ana = context(session, "ana", guidance=FakeGuidance())

        def run(tool, **args):
            return get_tool(tool)(ana, **args)

        assert run("team_overview").summary == (
            "Ana Ruiz's 3 direct reports as of 2026-09-01: 2 need attention, most first: Lee Park (score 4), "
            "Sam Lee (score 3); 1 is fine.")
        explained = run("explain_goal", goal="ticket backlog")
        assert [f.ref for f in explained.facts][:4] == ["goal:g-backlog", "goal:g-backlog", "kpi:k-frt",
                                                         "checkin:c-s7"]
        assert run("list_goals", person="Lee").summary == "Lee Park has 2 goals as of 2026-09-01: 2 at risk."
        assert [f.ref for f in run("search_checkins", person="SAM", words="Scanner").facts] == [
            "checkin:c-s7", "checkin:c-s4"]
        assert run("last_checkin", person="sam.lee@example.com").data["checkin_id"] == "c-s7"
        assert run("kpi_trend", kpi="first response").summary == "First response time: worsening."
        assert run("feedback_for", person="Sam", since="2026-01-01").data["kinds"] == {
            "praise": 2, "peer": 1, "constructive": 1, "self": 1}
        assert run("review_evidence", person="Sam", start="2026-03-01", end="2026-08-31").data["counts"] == [
            0, 1, 4, 8]
        assert run("check_goal", goal="onboarding").data["goal_id"] == "g-onboard"
        assert run("resolve_person", name="zoe").data["id"] == "zoe"
        assert run("search_guidance", query="recency").facts[0].ref == "guide:reviews#recency"


@pytest.mark.parametrize("limit", [500, 2], ids=["reach-in-sql", "reach-in-python"])
def test_searches_keep_to_the_reach(any_engine, monkeypatch, limit):
    import tools.resolve

    monkeypatch.setattr(tools.resolve, "SQL_REACH_LIMIT", limit)  # 2: Ana's 5 people count as large
    with session_factory(any_engine)() as session:
        build_small_org(session)
        ana = context(session, "ana")
        assert tools.resolve.find_person(ana, "sam").id == "sam"  # Sam Ortiz stays out of reach
        assert tools.resolve.find_goal(ana, "backlog").id == "g-backlog"
        assert [k.id for k in tools.resolve.find_kpis(ana, "time")] == ["k-frt"]  # not Mia's "Deploy time"
        assert tools.resolve.find_goal(context(session, "zoe"), "contact").id == "g-zoe"  # an employee: themself
        assert len(tools.resolve.find_kpis(context(session, "hana"), "time")) == 2  # hr_admin: everyone

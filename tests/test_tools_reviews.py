import datetime as dt

import pytest

from factories import context, org  # noqa: F401
from tools.access import ToolError
from tools.reviews import review_evidence


def test_review_evidence_is_spread_and_flags_recency(org):
    r = review_evidence(context(org, "ana"), "Sam", "2026-03-01", "2026-08-31")
    # quarters start 03-01, 04-16, 06-01, 07-17 (184 days); 1 feedback in Q2, 1:1s in Q3, the rest in Q4
    assert r.data["counts"] == [0, 1, 4, 8] and r.data["recency_bias"] is True
    assert r.summary == ("13 evidence items for Sam Lee from 2026-03-01 to 2026-08-31 (by quarter 0/1/4/8); 8 picked "
                         "across the period. Warning: evidence clusters in the last quarter (recency bias).")
    assert r.facts[0].ref == "person:sam" and r.facts[0].text.endswith(
        "62% in the last quarter: most evidence is recent, so earlier work risks being overlooked (recency bias).")
    assert [f.ref for f in r.facts[1:]] == ["feedback:f2", "checkin:c-s1", "checkin:c-s2", "checkin:c-s3",
                                            "checkin:c-s4", "update:u-b1", "update:u-b2", "feedback:f6"]


def test_goals_due_in_the_period_are_evidence(org):
    later = context(org, "ana", today=dt.date(2026, 10, 15))
    r = review_evidence(later, "Sam", "2026-07-01", "2026-09-30", k=12)
    goals = [f for f in r.facts if f.ref.startswith("goal:")]
    assert [f.ref for f in goals] == ["goal:g-backlog", "goal:g-macros"]
    assert goals[0].text.startswith("Key result 'Cut the ticket backlog' was due 2026-09-30: target not reached. "
                                    "31% of the way from 240 to 80 tickets")


def test_nothing_after_today_counts(org):
    r = review_evidence(context(org, "ana"), "Sam", "2026-09-01", "2026-12-31")
    assert r.data["counts"] == [0, 0, 0, 0] and r.data["recency_bias"] is False
    assert r.facts[0].text.endswith("by quarter 0/0/0/0: no evidence recorded in this period.")


def test_review_period_errors(org):
    ctx = context(org, "ana")
    with pytest.raises(ToolError, match="^Give the review period as start and end dates"):
        review_evidence(ctx, "Sam", "", "2026-12-31")
    with pytest.raises(ToolError, match=r"^The period ends \(2026-01-01\) before it starts \(2026-12-31\)\.$"):
        review_evidence(ctx, "Sam", "2026-12-31", "2026-01-01")
    with pytest.raises(ToolError, match="^A review period can span at most 731 days"):
        review_evidence(ctx, "Sam", "2020-01-01", "2026-01-01")
    with pytest.raises(ToolError, match=r"^k must be between 1 and 12, not 13\.$"):
        review_evidence(ctx, "Sam", "2026-01-01", "2026-06-30", k=13)

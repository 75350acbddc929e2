import datetime as dt

import pytest

from factories import context, org  # noqa: F401
from tools.access import OutOfReach, ToolError
from tools.kpis import kpi_trend


def test_named_kpi_trend_in_words(org):
    r = kpi_trend(context(org, "ana"), kpi="first response")
    [fact] = r.facts
    assert fact.ref == "kpi:k-frt" and fact.date == dt.date(2026, 8, 31)
    assert fact.text.startswith("First response time worsened: 3.9 -> 5.7 hours (+1.8, +46%) from 2026-06-01 to "
                                "2026-08-31; slope +0.15/week.")
    assert fact.text.endswith("(team KPI of Ana Ruiz's team; lower is better; 14 values in the last 26 weeks.)")
    assert r.summary == "First response time: worsening."
    xs, ys = list(range(14)), [3.9] * 5 + [4.1 + 0.2 * i for i in range(9)]  # weekly from 2026-06-01
    mx, my = sum(xs) / 14, sum(ys) / 14
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert r.data["kpis"][0]["slope_per_week"] == pytest.approx(slope) == pytest.approx(0.1516, abs=1e-4)


def test_persons_kpis_with_outlier_and_window(org):
    r = kpi_trend(context(org, "ana"), person="Lee")
    assert r.facts[0].text == ("CSAT improved: 85 -> 90% (+5 points, +6%) from 2026-07-06 to 2026-08-31; slope +0.1/week. "
                               "Outlier: 60% on 2026-08-10, far outside the recent range (median 86 of the values "
                               "before it). (KPI of Lee Park; higher is better; 9 values in the last 26 weeks.)")
    short = kpi_trend(context(org, "ana"), kpi="first response", weeks=4)
    assert short.facts[0].text.startswith("First response time worsened: 5.1 -> 5.7 hours (+0.6, +12%) "
                                          "from 2026-08-10 to 2026-08-31")


def test_kpis_linked_to_a_persons_goals_count_as_theirs(org):
    r = kpi_trend(context(org, "ana"), person="Sam")
    assert [f.ref for f in r.facts] == ["kpi:k-frt"]
    with pytest.raises(ToolError, match=r"^No KPI for Sam Lee in your reach\.$"):
        kpi_trend(context(org, "sam"), person="me")  # the team KPI belongs to Ana, outside Sam's reach


def test_kpi_argument_errors(org):
    ctx = context(org, "ana")
    with pytest.raises(ToolError, match="^Name a KPI"):
        kpi_trend(ctx)
    with pytest.raises(ToolError, match=r"^weeks must be between 1 and 104, not 0\.$"):
        kpi_trend(ctx, kpi="CSAT", weeks=0)
    with pytest.raises(ToolError, match=r"^No KPI matching 'deploy time' in your reach\.$"):
        kpi_trend(ctx, kpi="deploy time")
    with pytest.raises(OutOfReach):
        kpi_trend(ctx, person="Mia")

import datetime as dt

import pytest

from tools.analytics.trend import find_outliers, kpi_trend

D = dt.date


def weekly(values, start=D(2026, 6, 1)):
    return [(start + dt.timedelta(weeks=i), v) for i, v in enumerate(values)]


def test_worsening_kpi_in_words_and_numbers():
    pts = [(D(2026, 6, 1), 4.1), (D(2026, 8, 3), 5.0), (D(2026, 11, 9), 6.3)]
    t = kpi_trend("First response time", pts, good_direction="down", unit="hours")
    assert t.direction == "rising" and t.verdict == "worsening"
    assert t.change == pytest.approx(2.2) and t.pct_change == pytest.approx(2.2 / 4.1 * 100)
    # least squares over weeks 0, 9, 23
    xs, ys = [0, 9, 23], [4.1, 5.0, 6.3]
    mx, my = sum(xs) / 3, sum(ys) / 3
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert t.slope_per_week == pytest.approx(slope)
    assert t.text == ("First response time worsened: 4.1 -> 6.3 hours (+2.2, +54%) from 2026-06-01 "
                      "to 2026-11-09; slope +0.1/week.")


def test_falling_kpi_with_good_direction_down_is_improving_and_order_does_not_matter():
    t = kpi_trend("Open tickets", [(D(2026, 7, 8), 200), (D(2026, 7, 1), 240)], good_direction="down")
    assert (t.first_value, t.last_value, t.verdict) == (240, 200, "improving")
    assert t.slope_per_week == pytest.approx(-40.0)
    assert t.text.startswith("Open tickets improved: 240 -> 200 (-40, -17%)")


def test_flat_within_three_percent():
    t = kpi_trend("CSAT", weekly([90, 95, 92.6]), good_direction="up", unit="%")
    assert t.direction == "flat" and t.verdict == "flat"  # 2.6 <= 0.03 * 92.6
    assert t.text.startswith("CSAT held flat: 90 -> 92.6% (+2.6 points, +3%)")
    assert kpi_trend("CSAT", weekly([90, 92.8])).verdict == "improving"  # 2.8 > 0.03 * 92.8


def test_zero_first_value_has_no_percentage():
    t = kpi_trend("Escalations", weekly([0, 3]), good_direction="down")
    assert t.pct_change is None and t.verdict == "worsening"
    assert t.text.startswith("Escalations worsened: 0 -> 3 (+3) from")


def test_empty_and_single_value():
    assert kpi_trend("NPS", []).text == "NPS: no values in this period."
    t = kpi_trend("NPS", [(D(2026, 1, 5), 41)])
    assert t.count == 1 and t.verdict == "unknown" and t.text == "NPS: only one value, 41 on 2026-01-05."


def test_outlier_beyond_three_mads_of_the_trailing_values():
    # history 10, 11, 10, 12, 11: median 11, MAD 1 -> 14 is exactly 3 MADs (not an outlier), 14.5 is
    assert find_outliers(weekly([10, 11, 10, 12, 11, 14])) == []
    [o] = find_outliers(weekly([10, 11, 10, 12, 11, 14.5]))
    assert (o.value, o.trailing_median, o.trailing_mad, o.date) == (14.5, 11, 1, D(2026, 7, 6))


def test_outlier_needs_four_earlier_values_and_uses_at_most_eight():
    assert find_outliers(weekly([10, 10, 10, 50])) == []
    # the 9 values before the last: only the last 8 (all 20) count, so the early 100 is forgotten
    outliers = find_outliers(weekly([100] + [20] * 8 + [23]))
    assert [o.value for o in outliers] == [23]  # MAD 0, floored at 1% of 20 = 0.2; 3 > 0.6


def test_outlier_is_named_in_the_text():
    t = kpi_trend("Deploys", weekly([10, 11, 10, 12, 11, 30, 11]), unit="deploys")
    assert t.text.endswith("Outlier: 30 deploys on 2026-07-06, far outside the recent range "
                           "(median 11 of the values before it).")


def test_a_ramp_or_shift_is_not_an_outlier_but_a_one_off_jump_is():
    ramp = weekly([3.9, 3.9, 3.9, 3.9, 3.9, 4.1, 4.3, 4.5, 4.9, 5.1, 5.3])
    assert find_outliers(ramp) == []  # each high value is followed by another beyond the range
    assert [o.value for o in find_outliers(weekly([10, 10, 10, 10, 10, 20]))] == [20]  # latest: can't tell
    assert find_outliers(weekly([10, 10, 10, 10, 10, 20, 21])) == []
    [o] = find_outliers(weekly([85, 86, 86, 87, 88, 60, 88, 89, 90]))
    assert (o.value, o.trailing_median) == (60, 86)

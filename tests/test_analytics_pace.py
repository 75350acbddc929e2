import datetime as dt

import pytest

from tools.analytics.pace import expected_fraction, pace

D = dt.date
Q3 = dict(start=D(2026, 7, 1), due=D(2026, 9, 30))


def test_down_goal_behind_pace_in_points_and_unit():
    p = pace(baseline=240, target=80, current=190, as_of=D(2026, 9, 1), direction="down", unit="tickets", **Q3)
    assert p.fraction == pytest.approx(50 / 160)  # 0.3125
    assert p.expected_fraction == pytest.approx(62 / 91)
    assert p.expected_value == pytest.approx(240 - 160 * 62 / 91)  # 130.99
    assert p.gap_points == pytest.approx((62 / 91 - 0.3125) * 100)  # 36.88
    assert p.gap_value == pytest.approx(160 * (62 / 91 - 0.3125))  # 59.01 tickets
    assert p.reached is False and p.overdue is False and p.days_left == 29 and p.known
    assert p.text == ("31% of the way from 240 to 80 tickets (now 190 tickets), against 68% expected by "
                      "2026-09-01: 37 points (59 tickets) behind pace. Due 2026-09-30 (29 days left).")


def test_up_goal_ahead_and_reached():
    p = pace(baseline=85, target=92, current=93, as_of=D(2026, 8, 15), direction="up", unit="%", **Q3)
    assert p.fraction == pytest.approx(8 / 7)
    assert p.gap_points < 0 and p.reached is True
    assert p.text.endswith("ahead of pace. The target is reached.")


def test_expected_fraction_is_clamped_and_handles_a_zero_length_goal():
    assert expected_fraction(D(2026, 7, 1), D(2026, 9, 30), D(2026, 6, 1)) == 0.0
    assert expected_fraction(D(2026, 7, 1), D(2026, 9, 30), D(2026, 12, 1)) == 1.0
    assert expected_fraction(D(2026, 7, 1), D(2026, 7, 1), D(2026, 7, 1)) == 1.0
    assert expected_fraction(D(2026, 7, 1), D(2026, 7, 1), D(2026, 6, 30)) == 0.0


def test_overdue_goal_says_how_late():
    p = pace(baseline=10, target=20, current=12, as_of=D(2026, 10, 10), direction="up", **Q3)
    assert p.overdue and p.days_left == -10
    assert p.gap_points == pytest.approx(80.0)
    assert p.text.endswith("It was due 2026-09-30, 10 days ago.")


def test_missing_baseline_keeps_what_is_known():
    p = pace(baseline=None, target=80, current=190, as_of=D(2026, 9, 1), direction="down", **Q3)
    assert not p.known and p.fraction is None and p.missing == ("baseline",)
    assert p.reached is False
    assert p.text == ("Now 190 against a target of 80; no baseline, so the share done is unknown. "
                      "Due 2026-09-30 (29 days left).")


def test_missing_dates_gives_fraction_without_expected_pace():
    p = pace(baseline=0, target=10, current=4, start=None, due=None, as_of=D(2026, 9, 1))
    assert p.fraction == pytest.approx(0.4) and p.gap_points is None
    assert p.missing == ("start date", "due date") and p.direction == "up"
    assert p.text == "40% of the way from 0 to 10 (now 4); no start or due date, so no expected pace."


def test_missing_target_or_current():
    assert pace(baseline=1, target=None, current=2, as_of=D(2026, 1, 1), start=None, due=None).text == (
        "No target is recorded, so progress cannot be measured.")
    p = pace(baseline=1, target=5, current=None, as_of=D(2026, 1, 1), start=None, due=None, unit="deals")
    assert p.text == "No current value is recorded against the target of 5 deals." and p.reached is None


def test_direction_contradicting_the_numbers_uses_the_numbers_and_says_so():
    p = pace(baseline=10, target=20, current=15, as_of=D(2026, 8, 15), direction="down", **Q3)
    assert p.direction == "up" and p.fraction == pytest.approx(0.5)
    assert "direction 'down'" in p.notes[0]


def test_target_equal_to_baseline_is_reached_or_not_by_direction():
    p = pace(baseline=5, target=5, current=4, as_of=D(2026, 8, 15), direction="down", **Q3)
    assert p.reached is True and p.fraction is None and not p.known
    assert "equals the baseline" in p.notes[0]

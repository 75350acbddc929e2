import datetime as dt

from tools.analytics.cadence import Gap, cadence

D = dt.date
TODAY = D(2026, 9, 1)


def test_regular_biweekly_cadence():
    held = [(D(2026, 6, 2) + dt.timedelta(days=14 * i), "held") for i in range(7)]  # to 2026-08-25
    c = cadence(held + [(D(2026, 8, 11), "missed")], TODAY, who="Sam Lee")
    assert (c.held, c.missed, c.cancelled, c.missed_recent) == (7, 1, 0, 1)
    assert c.typical_days == 14 and c.last_held == D(2026, 8, 25) and c.days_since == 7
    assert c.gaps == () and not c.lapsed
    assert c.text == ("1:1s with Sam Lee: last held 2026-08-25 (7 days ago); typically every 14 days; "
                      "1 missed or cancelled in the last 56 days.")


def test_lapsed_with_gaps_longer_than_twice_typical():
    days = [D(2026, 5, 1), D(2026, 5, 8), D(2026, 5, 15), D(2026, 6, 5), D(2026, 6, 12), D(2026, 7, 15)]
    rows = [(d, "held") for d in days] + [(D(2026, 8, 12), "cancelled"), (D(2026, 7, 29), "missed"),
                                          (D(2026, 3, 1), "missed")]
    c = cadence(rows, TODAY)
    # intervals 7, 7, 21, 7, 33 -> median 7; gaps: > min(28, 14) days -> 21 and 33
    assert c.typical_days == 7
    assert c.gaps == (Gap(D(2026, 5, 15), D(2026, 6, 5)), Gap(D(2026, 6, 12), D(2026, 7, 15)))
    assert c.lapsed and c.days_since == 48
    assert (c.missed, c.cancelled, c.missed_recent) == (2, 1, 2)  # 2026-03-01 is outside 56 days
    assert c.text == ("1:1s have lapsed: last held 2026-07-15, 48 days ago; typically every 7 days; "
                      "2 missed or cancelled in the last 56 days; 2 gaps longer than usual, the longest "
                      "33 days (2026-06-12 to 2026-07-15).")


def test_monthly_cadence_gap_threshold_is_28_days():
    rows = [(D(2026, 1, 5), "held"), (D(2026, 2, 2), "held"), (D(2026, 3, 2), "held"), (D(2026, 4, 6), "held")]
    c = cadence(rows, D(2026, 4, 20))
    assert c.typical_days == 28 and [g.days for g in c.gaps] == [35]


def test_exactly_28_days_is_not_lapsed_and_future_rows_are_ignored():
    c = cadence([(D(2026, 8, 4), "held"), (D(2026, 9, 8), "held")], TODAY)
    assert c.days_since == 28 and not c.lapsed and c.held == 1 and c.typical_days is None


def test_no_checkins_at_all():
    c = cadence([], TODAY)
    assert c.lapsed and c.last_held is None and c.days_since is None
    assert c.text == "1:1s: none held; 0 missed or cancelled in the last 56 days."

import datetime as dt

import pytest

from tools.analytics.evidence import Evidence, quarter_of, quarter_starts, spread, timeline

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)  # 365 days


def ev(day, n=0):
    return Evidence(day, f"feedback:f{day.isoformat()}-{n}", "text")


def test_quarters_split_the_period_by_day_offset():
    # quarter q starts at offset ceil(q * 365 / 4): 0, 92, 183, 274
    assert quarter_starts(START, END) == [D(2026, 1, 1), D(2026, 4, 3), D(2026, 7, 3), D(2026, 10, 2)]
    assert quarter_of(D(2026, 4, 2), START, END) == 0  # offset 91: 364 // 365 = 0
    assert quarter_of(D(2026, 4, 3), START, END) == 1  # offset 92: 368 // 365 = 1
    assert quarter_of(D(2026, 10, 1), START, END) == 2 and quarter_of(D(2026, 10, 2), START, END) == 3
    assert quarter_of(D(2026, 12, 31), START, END) == 3
    assert quarter_of(D(2027, 1, 1), START, END) is None and quarter_of(D(2025, 12, 31), START, END) is None
    with pytest.raises(ValueError, match=r"ends \(2026-01-01\) before it starts \(2026-12-31\)"):
        quarter_of(START, END, START)


def test_timeline_counts_share_and_recency_flag():
    items = [ev(D(2026, 2, 1)), ev(D(2026, 11, 1)), ev(D(2026, 11, 2)), ev(D(2026, 12, 1)), ev(D(2027, 2, 1))]
    t = timeline(items, START, END)
    assert t.counts == (1, 0, 0, 3) and t.total == 4 and t.outside == 1
    assert t.last_quarter_share == 0.75 and t.recency_bias
    assert t.text == ("4 evidence items from 2026-01-01 to 2026-12-31; by quarter 1/0/0/3; 75% in the last "
                      "quarter: most evidence is recent, so earlier work risks being overlooked (recency bias).")


def test_recency_flag_needs_strictly_more_than_half_and_three_items():
    half = [ev(D(2026, 2, 1)), ev(D(2026, 5, 1)), ev(D(2026, 11, 1)), ev(D(2026, 12, 1))]
    assert not timeline(half, START, END).recency_bias  # 2 of 4 is not more than half
    assert not timeline([ev(D(2026, 11, 1)), ev(D(2026, 12, 1))], START, END).recency_bias  # too few
    assert timeline([ev(D(2026, 5, 1)), ev(D(2026, 11, 1)), ev(D(2026, 12, 1))], START, END).recency_bias
    empty = timeline([], START, END)
    assert empty.last_quarter_share is None and empty.text.endswith("no evidence recorded in this period.")


def test_feedback_clustered_late_is_flagged_even_when_notes_are_spread():
    notes = [Evidence(D(2026, m, 1), f"checkin:c{m}", "notes", "checkin") for m in range(1, 13)]
    late = [Evidence(D(2026, 11, d), f"feedback:f{d}", "praise", "feedback") for d in (3, 10, 17)]
    t = timeline([*notes, *late, Evidence(D(2026, 3, 1), "feedback:early", "praise", "feedback")], START, END)
    assert t.counts == (5, 3, 3, 5) and t.recency_bias
    assert t.text.endswith("31% in the last quarter; but 3 of 4 feedback items are from the last quarter, so "
                           "earlier work risks being overlooked (recency bias).")
    two_late = timeline([*notes, *late[:2]], START, END)  # 2 feedback items: too few to judge
    assert not two_late.recency_bias and two_late.text.endswith("in the last quarter.")


def test_spread_covers_every_quarter_before_taking_more_from_any():
    late = [ev(D(2026, 12, 1), n) for n in range(10)] + [ev(D(2026, 10, 5) + dt.timedelta(days=i)) for i in range(6)]
    early = [ev(D(2026, 1, 10)), ev(D(2026, 5, 10)), ev(D(2026, 8, 10))]
    picked = spread(late + early, START, END, 5)
    assert [quarter_of(e.date, START, END) for e in picked] == [0, 1, 2, 3, 3]


def test_spread_takes_evenly_spaced_items_within_a_quarter():
    q4 = [ev(D(2026, 10, 2) + dt.timedelta(days=i)) for i in range(9)]  # 2026-10-02 .. 10-10
    picked = spread(q4, START, END, 3)
    # indices floor((j + 0.5) * 9 / 3) = 1, 4, 7
    assert [e.date.day for e in picked] == [3, 6, 9]
    assert spread(q4, START, END, 0) == [] and len(spread(q4, START, END, 50)) == 9

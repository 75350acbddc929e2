import datetime as dt

from tools.analytics.cadence import cadence
from tools.analytics.pace import pace
from tools.analytics.risk import Blocker, Risk, assess, open_blockers
from tools.analytics.trend import kpi_trend

D = dt.date
TODAY = D(2026, 9, 1)
Q3 = dict(start=D(2026, 7, 1), due=D(2026, 9, 30), as_of=TODAY)


def p(current, **kw):
    return pace(**{**dict(baseline=0, target=100, current=current, direction="up", **Q3), **kw})


def test_on_track_when_pace_is_known_and_nothing_else_is_wrong():
    r = assess(today=TODAY, pace=p(65), start=D(2026, 7, 1), last_update=D(2026, 8, 20))
    # expected 62/91 = 68.1%; gap 3.1 points <= 10
    assert r.status == "on_track" and r.reasons == ()
    assert r.text == "On track. 3 points behind pace."


def test_pace_thresholds_10_and_25_points():
    fresh = dict(today=TODAY, start=D(2026, 7, 1), last_update=D(2026, 8, 20))
    assert assess(pace=p(58.2), **fresh).status == "on_track"  # gap 9.9
    r = assess(pace=p(58), **fresh)  # gap 10.1
    assert r.status == "at_risk" and [x.code for x in r.reasons] == ["pace"]
    assert r.reasons[0].text == ("Behind pace by 10 points: 58% done against 68% expected by 2026-09-01 "
                                 "(58 now, 68.1 expected).")
    assert assess(pace=p(43.2), **fresh).status == "at_risk"  # gap 24.9
    off = assess(pace=p(43), **fresh)  # gap 25.1
    assert off.status == "off_track" and off.reasons[0].severity == "off"


def test_overdue_is_off_track_and_reached_or_done_is_on_track():
    late = pace(baseline=0, target=100, current=90, start=D(2026, 7, 1), due=D(2026, 8, 15), as_of=TODAY)
    r = assess(today=TODAY, pace=late, last_update=D(2026, 8, 30))
    assert r.status == "off_track" and r.reasons[0].code == "overdue"
    assert r.reasons[0].text == "Past its due date 2026-08-15 by 17 days without reaching the target 100 (now 90)."
    assert assess(today=TODAY, pace=p(100)).text == "On track. Target 100 reached."
    assert assess(today=TODAY, pace=p(5), done=True).text == "On track. Marked done."


def test_stale_updates_after_30_days():
    assert assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 2)).status == "on_track"  # 30 days
    r = assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 1))
    assert r.status == "at_risk" and r.reasons[0].text == "No progress update for 31 days (last on 2026-08-01)."
    never = assess(today=TODAY, pace=p(65), start=D(2026, 7, 1))
    assert never.reasons[0].text == "No progress update since the goal started on 2026-07-01 (62 days)."
    not_started = assess(today=TODAY, pace=p(0, start=D(2026, 10, 1), due=D(2026, 12, 31)), start=D(2026, 10, 1))
    assert not_started.status == "on_track"


def test_open_blockers_come_from_the_latest_held_checkin_within_28_days():
    rows = [
        (D(2026, 8, 11), "checkin:c1", "held", ["Old blocker"]),
        (D(2026, 8, 25), "checkin:c2", "held", ["Waiting on scanner fix", "  "]),
        (D(2026, 8, 28), "checkin:c3", "missed", ["ignored"]),
    ]
    assert open_blockers(rows, TODAY) == [Blocker(D(2026, 8, 25), "checkin:c2", "Waiting on scanner fix")]
    assert open_blockers(rows[:1], TODAY) == [Blocker(D(2026, 8, 11), "checkin:c1", "Old blocker")]
    assert open_blockers(rows[:1], D(2026, 9, 9)) == []  # 29 days later
    r = assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 30), blockers=open_blockers(rows, TODAY))
    assert r.status == "at_risk"
    assert (r.reasons[0].text, r.reasons[0].ref) == (
        'Open blocker from the 1:1 on 2026-08-25: "Waiting on scanner fix".', "checkin:c2")


def test_worsening_kpi_and_lapsed_cadence_are_risks_and_three_kinds_are_off_track():
    frt = kpi_trend("First response time", [(D(2026, 7, 6), 4.1), (D(2026, 8, 31), 6.3)], good_direction="down",
                    unit="hours")
    lapsed = cadence([(D(2026, 7, 15), "held")], TODAY)
    r = assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 30), kpis=[("kpi:k1", frt)], cadence=lapsed)
    assert r.status == "at_risk" and [x.code for x in r.reasons] == ["kpi", "cadence"]
    assert r.reasons[0].text.startswith("Linked KPI First response time worsened: 4.1 -> 6.3 hours")
    assert r.reasons[1].text == "1:1s have lapsed: last held 2026-07-15, 48 days ago."
    blocker = [Blocker(D(2026, 8, 25), "checkin:c2", "Scanner")]
    assert assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 30), kpis=[("kpi:k1", frt)], cadence=lapsed,
                  blockers=blocker).status == "off_track"
    two_blockers = blocker * 2  # two reasons of one kind still count once
    assert assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 30), kpis=[("kpi:k1", frt)],
                  blockers=two_blockers).status == "at_risk"


def test_missed_checkins_are_a_risk_from_two():
    rows = [(D(2026, 8, 25), "held"), (D(2026, 8, 18), "missed"), (D(2026, 8, 11), "cancelled")]
    r = assess(today=TODAY, pace=p(65), last_update=D(2026, 8, 30), cadence=cadence(rows, TODAY))
    assert r.reasons[0].text == "2 1:1s missed or cancelled in the last 56 days."


def test_unknown_without_pace_and_objective_from_key_results():
    unknown = assess(today=TODAY, pace=pace(baseline=None, target=5, current=1, start=None, due=None, as_of=TODAY))
    assert unknown.status == "unknown"
    assert unknown.text == ("Unknown: pace cannot be judged (missing baseline, start date, due date); "
                            "no other warning signs.")
    off = Risk("off_track", ())
    krs = [("goal:g2", "Cut the backlog", off), ("goal:g3", "Raise CSAT", Risk("on_track", ()))]
    r = assess(today=TODAY, key_results=krs)
    assert r.status == "off_track" and r.reasons[0].ref == "goal:g2"
    assert r.text == "Off track. Key result 'Cut the backlog' is off track."
    assert assess(today=TODAY, key_results=krs[1:]).status == "on_track"

import datetime as dt

from tools.analytics.quality import GoalSpec, check, spec_from_text

D = dt.date


def criteria(failures):
    return [(f.criterion, f.subject) for f in failures]


def test_a_good_stored_smart_goal_passes():
    g = GoalSpec(title="Cut the ticket backlog to 80", metric="open tickets", unit="tickets", direction="down",
                 baseline=240, target=80, due=D(2026, 9, 30), aligned=True)
    assert check(g) == []


def test_vague_goal_fails_every_smart_criterion_it_should():
    failures = check(GoalSpec(title="Improve communication"))
    assert [f.criterion for f in failures] == ["specific", "measurable", "relevant", "time-bound"]
    assert failures[0].reason.startswith("the title 'Improve communication' has only 2 words")
    assert failures[1].reason == "no metric or unit says what is counted; no target value"
    assert failures[1].text() == "Measurable: no metric or unit says what is counted; no target value"


def test_vague_verb_with_only_generic_words_is_not_specific():
    [f] = [f for f in check(GoalSpec(title="Improve team communication and quality")) if f.criterion == "specific"]
    assert f.reason == "it opens with the vague verb 'improve' and names no concrete object or result"
    assert not [f for f in check(GoalSpec(title="Improve onboarding docs for new agents"))
                if f.criterion == "specific"]


def test_achievable_threshold_is_a_200_percent_change():
    ok = GoalSpec(title="Grow weekly demos to 300", unit="demos", baseline=100, target=300, due=D(2026, 12, 1),
                  description="pipeline")
    assert check(ok) == []  # exactly +200%
    far = GoalSpec(**{**ok.__dict__, "target": 301})
    [f] = check(far)
    assert f.criterion == "achievable"
    assert f.reason == ("target 301 is 201% above baseline 100; a change over 200% in one goal is rarely "
                        "achievable")
    negative = GoalSpec(**{**ok.__dict__, "baseline": 5, "target": -1, "direction": "down"})
    assert [x.reason for x in check(negative)] == ["target -1 is below zero for a quantity that starts at 5"]


def test_direction_contradicting_numbers_is_not_measurable():
    g = GoalSpec(title="Reduce churn to 8%", unit="%", direction="down", baseline=5, target=8,
                 due=D(2026, 12, 1), aligned=True)
    [f] = check(g)
    assert (f.criterion, f.reason) == ("measurable", "direction 'down' contradicts target 8 vs baseline 5")


def test_okr_rules():
    krs = (GoalSpec(title="Launch the new help center", kind="key_result"),
           GoalSpec(title="Raise CSAT from 85 to 92%", kind="key_result", unit="%", baseline=85, target=92))
    objective = GoalSpec(title="Reach 95% happy customers", kind="objective", due=D(2026, 9, 30),
                         aligned=True, key_results=krs)
    assert criteria(check(objective)) == [
        ("qualitative", "Reach 95% happy customers"),
        ("measurable", "Launch the new help center"),
        ("outcome", "Launch the new help center"),
    ]
    outcome = [f for f in check(objective) if f.criterion == "outcome"][0]
    assert outcome.reason.startswith("it reads as a task (opens with 'launch')")
    lonely = GoalSpec(title="Delight customers", kind="objective", due=D(2026, 9, 30), aligned=True,
                      key_results=krs[1:])
    assert [f.reason for f in check(lonely)] == ["it has 1 key result; an objective needs 2 to 5"]
    crowded = GoalSpec(**{**lonely.__dict__, "key_results": krs[1:] * 6})
    assert [f.reason for f in check(crowded)] == ["it has 6 key results; an objective needs 2 to 5"]


def test_key_results_inherit_the_objective_due_date():
    kr = GoalSpec(title="Raise CSAT from 85 to 92%", kind="key_result", unit="%", baseline=85, target=92)
    objective = GoalSpec(title="Delight customers", kind="objective", aligned=True, key_results=(kr, kr))
    assert criteria(check(objective)) == [("time-bound", "Delight customers")]


def test_free_text_goal_is_read_for_numbers_deadline_and_why():
    s = spec_from_text("Cut the ticket backlog from 240 to 80 tickets by 2026-09-30 so that customers wait less")
    assert (s.baseline, s.target, s.unit, s.direction, s.due, s.aligned) == (
        240, 80, "tickets", "down", "2026-09-30", True)
    assert check(s) == []
    s = spec_from_text("Grow revenue from 100 to 500 k by Q4")
    assert [f.criterion for f in check(s)] == ["achievable", "relevant"]


def test_free_text_years_are_deadlines_not_targets():
    s = spec_from_text("Get better at public speaking in 2027")
    assert s.target is None and s.due == "in 2027"
    assert "measurable" in [f.criterion for f in check(s)]
    assert spec_from_text("Reach 2000 weekly users by March").target == 2000


def test_free_text_okr():
    s = spec_from_text("Objective: Delight customers\nKR1: Launch the help center\n- Raise CSAT from 85 to 92% by Q3")
    assert s.kind == "objective" and [k.title for k in s.key_results] == [
        "Launch the help center", "Raise CSAT from 85 to 92% by Q3"]
    assert criteria(check(s)) == [("relevant", "Delight customers"), ("measurable", "Launch the help center"),
                                  ("outcome", "Launch the help center")]

import pytest

from factories import context, org  # noqa: F401
from tools.access import ToolError
from tools.feedback import feedback_for


def test_feedback_counts_and_sample_hide_outside_givers(org):
    r = feedback_for(context(org, "ana"), "Sam", since="2026-01-01")
    assert r.summary == ("5 pieces of feedback to Sam Lee from 2026-01-01 to 2026-09-01 (1 constructive, 1 peer, "
                         "2 praise, 1 self); 5 shown, spread over the period.")
    assert [f.ref for f in r.facts] == ["person:sam", "feedback:f1", "feedback:f2", "feedback:f3", "feedback:f6",
                                        "feedback:f5"]
    texts = [f.text for f in r.facts]
    assert texts[2] == ('Peer feedback to Sam Lee on 2026-05-05 from a colleague: "Sam helped debug the scanner '
                        'integration quickly.".')  # Mia is outside Ana's reach
    assert texts[5] == ('Self-assessment by Sam Lee on 2026-08-30: "I kept the backlog from growing despite the '
                        'outage.".')
    assert feedback_for(context(org, "hana"), "Sam Lee", since="2026-01-01").facts[2].text.startswith(
        "Peer feedback to Sam Lee on 2026-05-05 from Mia Wong:")


def test_upward_feedback_stays_anonymous(org):
    r = feedback_for(context(org, "olivia"), "Ana")
    assert r.facts[1].text == ('Upward feedback to Ana Ruiz on 2026-08-25 from a report (anonymous upward '
                               'feedback): "Ana gives clear priorities.".')


def test_default_period_and_empty(org):
    r = feedback_for(context(org, "ana"), "Sam")  # 182 days before 2026-09-01: from 2026-03-03
    assert r.data["count"] == 4
    empty = feedback_for(context(org, "ana"), "Zoe")
    assert empty.summary == "No feedback to Zoe Kim is recorded from 2026-03-03 to 2026-09-01."
    with pytest.raises(ToolError, match=r"^The period ends \(2026-01-01\) before it starts \(2026-02-01\)\.$"):
        feedback_for(context(org, "ana"), "Sam", since="2026-02-01", until="2026-01-01")

"""The bias lint on hand-made review texts: findings come from code."""
import datetime as dt

from assistant.agent.jobs.bias import lint_review, render_findings
from assistant.grounding import SourceFact

PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def kinds(findings):
    return [(f.kind, f.words) for f in findings]


def test_gender_coded_and_personality_words_are_named_with_a_rewrite():
    findings = lint_review("She is abrasive and too emotional in planning meetings. He is very helpful and warm.")
    assert kinds(findings) == [("personality", ["abrasive", "emotional", "too emotional"]),
                               ("gender_coded", ["helpful", "warm"])]
    assert "communal (feminine-coded)" in findings[1].why
    assert findings[0].sentence == "She is abrasive and too emotional in planning meetings."
    assert "situation-behaviour-impact" in findings[0].suggestion


def test_vague_praise_is_flagged_only_without_evidence():
    evidence = [SourceFact("1", "update:u1", "Macro library published: 12 articles, handle time down 9%.",
                           dt.date(2026, 3, 2))]
    assert kinds(lint_review("Great job this half.", evidence)) == [("vague_praise", ["great job"])]
    assert lint_review("Great job on the macro library articles.", evidence) == []
    assert lint_review("Great job: handle time fell 9% in March.") == []


def test_recency_when_the_examples_cluster_at_the_end_of_the_period():
    late = [SourceFact(str(i), f"feedback:f{i}", f"Praise for the launch webinar number {i}.", dt.date(2026, 6, 10 + i))
            for i in range(1, 4)]
    text = "Ran the launch webinar number 1. Ran the launch webinar number 2. Ran the launch webinar number 3."
    found = lint_review(text, late, PERIOD)
    assert kinds(found) == [("recency", [])]
    assert "3 dated examples and 3 of them fall in the last quarter of 2026-01-01 to 2026-06-30" in found[0].why
    assert lint_review(text, late, (dt.date(2026, 6, 1), dt.date(2026, 6, 30))) == []


def test_uniform_praise_where_the_evidence_differs():
    evidence = [SourceFact("1", "goal:g1", "Goal 'Cut the backlog' is off track: 190 tickets against 80."),
                SourceFact("2", "feedback:f1", "Praise: great weekend coverage.")]
    text = "Delivered fast answers on the chat queue in March. Consistently strong with the team in April."
    found = lint_review(text, evidence)
    assert kinds(found) == [("uniform_praise", [])]
    assert found[0].evidence == ["Goal 'Cut the backlog' is off track: 190 tickets against 80."]
    assert lint_review(text + " The backlog goal is behind and needs a plan.", evidence) == []


def test_a_behavioural_review_has_no_findings_and_says_so():
    text = ("In the March release, Sam triaged 240 tickets in two days, which cut the backlog by a third. "
            "In May he missed two handovers; the night shift restarted three cases.")
    assert lint_review(text) == []
    assert render_findings([]).startswith("No bias findings")


def test_rendering_numbers_each_finding_with_its_why_and_suggestion():
    text = render_findings(lint_review("She is bossy."))
    assert text.splitlines()[0] == "Bias check: 1 finding."
    assert text.splitlines()[1].startswith("1. personality (bossy): 'bossy' describes personality")
    assert 'In: "She is bossy."' in text and "Suggestion:" in text

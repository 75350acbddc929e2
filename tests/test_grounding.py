"""Citations attached in code, and checks against this turn's facts."""
import datetime as dt

from assistant.grounding import SourceFact, find_dates, find_numbers, ground

FACTS = [
    SourceFact("1", "goal:G-22", "Goal 'Cut the billing backlog' is off track: 380 open tickets against 205 expected "
                                 "by 2026-11-16.", dt.date(2026, 11, 16)),
    SourceFact("2", "checkin:C-793", "1:1 on 2026-11-09: blockers: 'Ticket-routing tool migration delayed by IT'.",
               dt.date(2026, 11, 9)),
    SourceFact("3", "kpi:K-15", "First-contact resolution worsened: 84 -> 61% (-23 points, -27%) from 2026-05-18 to 2026-11-09."),
]


def test_a_good_answer_gets_a_citation_per_sentence_from_its_numbers_and_words():
    answer = ("Dana's billing backlog goal is off track with 380 open tickets against 205 expected. "
              "In the 1:1 on November 9 she said the routing tool migration was delayed by IT. "
              "First-contact resolution fell from 84 to 61%, down 27%. "
              "Consider asking how you can help.")
    g = ground(answer, FACTS)
    assert g.text == ("Dana's billing backlog goal is off track with 380 open tickets against 205 expected [1]. "
                      "In the 1:1 on November 9 she said the routing tool migration was delayed by IT [2]. "
                      "First-contact resolution fell from 84 to 61%, down 27% [3]. "
                      "Consider asking how you can help.")
    assert [(c["kind"], c["id"]) for c in g.citations] == [("goal", "G-22"), ("checkin", "C-793"), ("kpi", "K-15")]
    assert g.citations[1]["label"] == FACTS[1].text  # short labels are whole
    assert g.citations[0]["label"] == FACTS[0].text[:89] + "…"  # long ones are cut at 90 characters
    assert g.flags == []


def test_invented_numbers_and_dates_are_flagged():
    g = ground("The backlog is 450 tickets and the 1:1 on 2026-10-01 raised it.", FACTS)
    kinds = [(f.kind, f.detail) for f in g.flags]
    assert kinds == [("unsupported_number", "450 appears in no tool output"),
                     ("unsupported_date", "2026-10-01 appears in no tool output")]


def test_citations_to_facts_not_returned_this_turn_are_removed_and_flagged():
    g = ground("The migration was delayed by IT [2]. The rating is low [7]. Backlog is 380 [goal:G-99].", FACTS)
    assert g.text == ("The migration was delayed by IT [1]. The rating is low. "
                      "Backlog is 380 [2].")
    assert [c["id"] for c in g.citations] == ["C-793", "G-22"]
    assert [f.detail for f in g.flags] == ["[7] is not a fact returned this turn; removed",
                                          "[goal:G-99] is not a fact returned this turn; removed"]


def test_markers_are_numbered_by_first_use_and_shared_by_one_record():
    facts = FACTS + [SourceFact("4", "goal:G-22", "Pace: 12% of the way from 410 to 150 tickets.")]
    g = ground("It is 12% of the way to 150 tickets. It has 380 open tickets.", facts)
    assert g.text == "It is 12% of the way to 150 tickets [1]. It has 380 open tickets [1]."
    assert len(g.citations) == 1


def test_lists_keep_their_markers_and_small_words_are_not_cited():
    g = ground("1. Ask about the routing tool migration.\n2. Agree a next step.", FACTS)
    assert g.text == "1. Ask about the routing tool migration [1].\n2. Agree a next step."
    assert g.citations[0]["id"] == "C-793"


def test_number_and_date_extraction_skip_ids_ratios_and_quarters():
    assert find_numbers("Q3 goal G-17 in our 1:1 on 2026-08-03 rose 12.5% to 1,200 and -27%") == [12.5, 1200.0, -27.0]
    assert find_dates("on May 4, 2026, on 3rd of June and on 2026-01-02") == [(2026, 1, 2), (2026, 5, 4), (None, 6, 3)]


def test_rounded_and_percentage_forms_of_a_fact_number_are_supported():
    facts = [SourceFact("1", "goal:g", "Confidence 0.4; pace 61.4 tickets a week.")]
    assert ground("Confidence is 40%. Pace is 61 a week.", facts).flags == []
    assert [f.detail for f in ground("Pace is 62 a week.", facts).flags] == ["62 appears in no tool output"]


def test_a_gap_in_points_is_not_supported_as_a_percentage():
    facts = [SourceFact("1", "goal:g", "40% of the way to 120 tickets: 22 points (26 tickets) behind pace.")]
    assert ground("It is 22 points behind pace. It is 40% done.", facts).flags == []
    assert ground("It is 22 percentage points behind pace.", facts).flags == []
    assert [f.detail for f in ground("It is 22% behind pace.", facts).flags] == ["22% appears in no tool output"]
    assert [f.detail for f in ground("It is 40 points done.", facts).flags] == ["40 points appears in no tool output"]


def test_markers_written_after_the_full_stop_stay_with_their_sentence():
    facts = [SourceFact("2", "checkin:c1", "Blocker: the scanner fix from IT.")]
    grounded = ground("What would unblock the scanner fix? [2] Next steps follow.", facts)
    assert grounded.text == "What would unblock the scanner fix [1]? Next steps follow."


def test_a_kpi_change_in_points_is_not_supported_as_a_percentage():
    facts = [SourceFact("1", "kpi:K-15", "First-contact resolution worsened: 84 -> 61% (-23 points, -27%) from "
                                         "2026-05-18 to 2026-11-09.")]
    assert ground("It fell 23 points, or 27%, to 61%.", facts).flags == []
    assert [f.detail for f in ground("It shows a 23% decrease.", facts).flags] == ["23% appears in no tool output"]

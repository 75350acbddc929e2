import pytest

from factories import context, org  # noqa: F401
from tools.access import OutOfReach, ToolError
from tools.resolve import Ambiguous, NoMatch, best_matches, find_goal, find_kpis, find_person, parse_date


def test_first_name_email_id_and_me(org):
    ana = context(org, "ana")
    assert find_person(ana, "sam").id == "sam"  # Sam Ortiz is outside Ana's reach
    assert find_person(ana, "  SAM   lee ").id == "sam"
    assert find_person(ana, "Sam.Lee@Example.com").id == "sam"
    assert find_person(ana, "zoe").id == "zoe"
    assert find_person(ana, "Lee").id == "lee"  # Lee Park's first name beats Sam Lee's surname
    assert find_person(ana, "Park").id == "lee"
    assert find_person(ana, "person:lee").id == "lee"
    assert find_person(ana, "me").id == "ana"
    assert find_person(ana, "Sma Lee").id == "sam"  # close spelling


def test_ambiguous_names_list_only_people_in_reach(org):
    with pytest.raises(Ambiguous) as err:
        find_person(context(org, "olivia"), "Sam")
    assert str(err.value) == (
        "'Sam' matches 2 people in your reach: Sam Lee <sam.lee@example.com> (Support agent, support); "
        "Sam Ortiz <sam.ortiz@example.com> (Engineer, platform). Say which one by full name or email.")


def test_whole_words_beat_word_starts():
    names = ["Sam Lee", "Samantha Cole", "Osama Reed"]
    assert best_matches("sam", names, str) == ["Sam Lee"]
    assert best_matches("sama", names, str) == ["Samantha Cole"]
    assert best_matches("ama", names, str) == ["Samantha Cole", "Osama Reed"]


def test_unknown_person_and_empty_input(org):
    with pytest.raises(OutOfReach, match=r"^No one matching 'Nobody' in your reach"):
        find_person(context(org, "ana"), "Nobody")
    with pytest.raises(ToolError, match="Name a person"):
        find_person(context(org, "ana"), "  ")


def test_goal_by_words_owner_and_ref(org):
    ana = context(org, "ana")
    assert find_goal(ana, "backlog").id == "g-backlog"  # the build backlog is outside the reach
    assert find_goal(ana, "the CSAT goal").id == "g-csat"
    assert find_goal(ana, "goal:g-zoe").id == "g-zoe"
    assert find_goal(ana, "macro artcles").id == "g-macros"  # close spelling
    with pytest.raises(NoMatch) as err:
        find_goal(ana, "deploy", person="Sam")
    assert str(err.value) == ("No goal matching 'deploy' in your reach. Sam Lee's goals: 'Cut the ticket "
                              "backlog', 'Publish 12 macro articles for common questions'.")


def test_ambiguous_goal_lists_title_kind_owner_and_due(org):
    with pytest.raises(Ambiguous) as err:
        find_goal(context(org, "olivia"), "backlog")
    assert str(err.value) == (
        "'backlog' matches 2 goals: 'Cut the build backlog' (smart of Sam Ortiz, due 2026-09-30); "
        "'Cut the ticket backlog' (key result of Sam Lee, due 2026-09-30). Add more title words or the owner's name.")
    assert find_goal(context(org, "olivia"), "backlog", person="Sam Ortiz").id == "g-build"


def test_kpis_in_reach(org):
    assert [k.id for k in find_kpis(context(org, "ana"), "first response")] == ["k-frt"]
    assert find_kpis(context(org, "ana"), "deploy time") == []
    assert [k.id for k in find_kpis(context(org, "hana"), "deploy time")] == ["k-deploy"]


def test_parse_date():
    assert parse_date("", "since") is None
    assert parse_date("2026-07-01", "since").isoformat() == "2026-07-01"
    with pytest.raises(ToolError, match=r"^since must be a date like 2026-07-01, not 'last week'\.$"):
        parse_date("last week", "since")

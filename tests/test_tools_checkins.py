import pytest

from factories import context, org  # noqa: F401
from tools.access import ToolError
from tools.checkins import last_checkin, search_checkins


def test_search_finds_notes_and_blockers_newest_first(org):
    r = search_checkins(context(org, "ana"), "Sam", words="scanner")
    assert r.summary == ("2 1:1s with Sam Lee mentioning 'scanner' from 2025-09-01 to 2026-09-01 (matching every "
                         "word); showing the latest 2.")
    assert [f.ref for f in r.facts] == ["checkin:c-s7", "checkin:c-s4"]
    assert r.facts[1].text == ('1:1 on 2026-07-14 with Ana Ruiz (held): notes "Backlog grew after the scanner '
                               'outage."; blockers: "Scanner outage".')


def test_search_by_action_items_date_range_and_any_word(org):
    ctx = context(org, "ana")
    assert search_checkins(ctx, "Sam", words="escalate").facts[0].ref == "checkin:c-s7"  # an action item
    june = search_checkins(ctx, "Sam", since="2026-06-01", until="2026-06-30", limit=2)
    assert [f.ref for f in june.facts] == ["checkin:c-s3", "checkin:c-s2"]
    assert june.summary.endswith("from 2026-06-01 to 2026-06-30 (in total); showing the latest 2.")
    some = search_checkins(ctx, "Sam", words="scanner unicorn")
    assert "(matching some of the words)" in some.summary and len(some.facts) == 2
    none = search_checkins(ctx, "Sam", words="unicorn")
    assert none.summary == ("No 1:1 with Sam Lee mentioning 'unicorn' from 2025-09-01 to 2026-09-01 "
                            "(7 1:1s in that period).")


def test_search_argument_errors(org):
    ctx = context(org, "ana")
    with pytest.raises(ToolError, match=r"^limit must be between 1 and 10, not 0\.$"):
        search_checkins(ctx, "Sam", limit=0)
    with pytest.raises(ToolError, match=r"^until \(2026-01-01\) is before since \(2026-02-01\)\.$"):
        search_checkins(ctx, "Sam", since="2026-02-01", until="2026-01-01")


def test_last_checkin_with_action_items_and_cadence(org):
    r = last_checkin(context(org, "ana"), "Sam")
    assert r.summary == ("Latest 1:1 with Sam Lee: 2026-08-25, 1 blocker, 2 of 3 action items open. 1:1s with Sam "
                         "Lee: last held 2026-08-25 (7 days ago); typically every 14 days; 1 missed or cancelled "
                         "in the last 56 days.")
    texts = [f.text for f in r.facts]
    assert texts[2] == ('Action item from the 1:1 on 2026-08-25: "Escalate scanner ticket with IT", owner Ana Ruiz, '
                        'due 2026-08-28 (open, 4 days overdue).')
    assert texts[4] == ('Action item from the 1:1 on 2026-08-25: "Share backlog numbers in the team channel", '
                        'owner Sam Lee (done).')
    assert [f.ref for f in r.facts] == ["checkin:c-s7"] * 5 + ["person:sam"]


def test_last_checkin_for_an_employee_hides_their_manager(org):
    r = last_checkin(context(org, "sam"), "me")
    assert r.facts[0].text.startswith("Latest 1:1 with Sam Lee was on 2026-08-25 (7 days ago); notes")
    assert "owner Ana" not in " ".join(f.text for f in r.facts)


def test_last_checkin_lapsed_and_none(org):
    lee = last_checkin(context(org, "ana"), "Lee")
    assert lee.data["lapsed"] is True and lee.facts[-1].text.startswith("1:1s with Lee Park have lapsed")
    nobody = last_checkin(context(org, "hana"), "Hana")
    assert nobody.summary == "No held 1:1 with Hana Admin is recorded."
    assert nobody.facts[0].text == "1:1s with Hana Admin: none held; 0 missed or cancelled in the last 56 days."

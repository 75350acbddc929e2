"""`coach import` keeps one record per person: a row with a new id whose external_id or email is
a stored person's is that person, and keys naming two people are refused naming both."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tools.bundle import BundleError, import_data
from tools.store.db import transaction
from tools.store.models import Goal, Person


@pytest.fixture
def provisioned(sessions):
    """Two people the directory made (ids chosen by Coach), as SCIM would leave them."""
    with transaction(sessions) as s:
        s.add_all([Person(id="p-1a", name="Dana Diaz", email="dana@corp.example", external_id="00uDANA",
                          user_name="dana@corp.example"),
                   Person(id="p-2b", name="Eli Ito", email="eli@corp.example", external_id="00uELI",
                          user_name="eli@corp.example", manager_id="p-1a")])
    return sessions


def count(sessions, model) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_rows_matching_by_external_id_or_email_update_the_same_person_and_their_references(provisioned):
    bundle = {"people": [
        {"id": "HR-7", "name": "Dana Diaz", "email": "dana@corp.example", "title": "Head of support"},
        {"id": "HR-8", "name": "Eli Ito", "email": "eli.ito@corp.example", "external_id": "00uELI",
         "manager_id": "HR-7"}],
        "goals": [{"id": "G-1", "owner_id": "HR-8", "title": "Close the backlog"}]}
    with transaction(provisioned) as s:
        report = import_data(s, bundle)
    assert report.updated["people"] == 2 and report.created["people"] == 0
    with provisioned() as s:
        assert s.get(Person, "HR-7") is None and s.get(Person, "HR-8") is None
        assert s.get(Person, "p-1a").title == "Head of support"
        eli = s.get(Person, "p-2b")
        assert (eli.email, eli.manager_id) == ("eli.ito@corp.example", "p-1a")
        assert s.get(Goal, "G-1").owner_id == "p-2b"
    assert count(provisioned, Person) == 2


def test_an_external_id_and_an_email_of_two_people_are_refused_naming_both(provisioned):
    bundle = {"people": [{"id": "HR-9", "name": "Who", "email": "eli@corp.example", "external_id": "00uDANA"}]}
    with pytest.raises(BundleError) as caught, transaction(provisioned) as s:
        import_data(s, bundle, "hr.json")
    problem = caught.value.problems[0]
    assert problem.location == "hr.json: $.people[0]"
    assert problem.message == ('external_id "00uDANA" is person "p-1a" in the database but email "eli@corp.example" '
                               'is person "p-2b": one person cannot be two records')
    assert count(provisioned, Person) == 2


def test_a_stored_person_cannot_take_anothers_external_id(provisioned):
    bundle = {"people": [{"id": "p-2b", "name": "Eli Ito", "email": "eli@corp.example", "external_id": "00uDANA"}]}
    with pytest.raises(BundleError) as caught, transaction(provisioned) as s:
        import_data(s, bundle, "hr.json")
    assert str(caught.value.problems[0]) == ('hr.json: $.people[0].external_id: "00uDANA" is already the external_id '
                                             'of person "p-1a" in the database, not of "p-2b"')
    with provisioned() as s:
        assert s.get(Person, "p-2b").external_id == "00uELI"

"""Writes to people from the company's directory: provisioning (SCIM) creates, changes,
deactivates and removes them. An admin action like an import: the provisioning client acts for
the directory, is named in the audit trail (``scim:<token name>``), and is checked for
consistency (one record per person, managers that exist, no management loops), not for reach.

``fields`` are the directory's view of a person: ``user_name``, ``external_id``, ``email``,
``name``, ``title``, ``department``, ``manager_id`` (our id, or the manager's externalId or
userName), ``active`` and ``directory`` (name parts and emails as sent, to give them back).
"""
from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from tools.errors import InvalidField
from tools.store.identity import (
    IdentityConflict,
    by_external_id,
    by_user_name,
    describe,
    manager_loop,
    match_person,
    promote_manager,
    record_person_change,
    set_active,
    snapshot,
    taken_by_other,
)
from tools.store.models import Person, utcnow

WRITTEN = ("user_name", "external_id", "email", "name", "title", "department", "manager_id", "directory")


class KeyTaken(IdentityConflict):
    """The userName, externalId or email of this write already belongs to someone else."""


def manager_named(session: Session, value: str) -> Person | None:
    """The manager a directory names: by our id (RFC 7643, what Entra ID sends), else by externalId or
    userName (what Okta's profile mapping sends: the manager's id or login in the directory)."""
    return session.get(Person, value) or by_external_id(session, value) or by_user_name(session, value)


def provision_person(session: Session, fields: dict[str, Any], *, actor: str) -> Person:
    """Create the person, or link the one an import or an earlier provisioning made (same
    externalId, userName or email, not provisioned now); :class:`KeyTaken` if they already are."""
    person = match_person(session, external_id=fields["external_id"], email=fields["email"],
                          user_name=fields["user_name"])
    if person is not None and person.user_name is not None and person.removed_at is None:
        raise KeyTaken(f"userName, externalId or email already belongs to User {person.id!r} ({describe(person)}): "
                       "update it instead")
    before = None
    if person is None:
        person = Person(id="p-" + secrets.token_hex(8), email=fields["email"], name=fields["name"], role="employee")
        session.add(person)
    else:
        before = snapshot(person)
        person.removed_at = None
    _apply(session, person, fields)
    session.flush()
    record_person_change(session, actor_id=actor, channel="scim", action="create" if before is None else "update",
                         person=person, before=before)
    return person


def change_person(session: Session, person: Person, fields: dict[str, Any], *, actor: str) -> Person:
    before = snapshot(person)
    _apply(session, person, fields)
    session.flush()
    if snapshot(person) != before:
        record_person_change(session, actor_id=actor, channel="scim", action="update", person=person, before=before)
    return person


def remove_person(session: Session, person: Person, *, actor: str) -> None:
    """Deleted from the directory: deactivated and hidden from provisioning, every record kept."""
    before = snapshot(person)
    set_active(session, person, False)
    person.removed_at = utcnow()
    session.flush()
    record_person_change(session, actor_id=actor, channel="scim", action="delete", person=person, before=before)


def _apply(session: Session, person: Person, fields: dict[str, Any]) -> None:
    """Write ``fields`` on ``person`` after the checks that keep one record per person."""
    with session.no_autoflush:
        manager_id = _check(session, person, fields)
    for name in WRITTEN:
        setattr(person, name, manager_id if name == "manager_id" else fields[name])
    set_active(session, person, fields["active"])
    person.updated_at = utcnow()
    promote_manager(session, manager_id)


def _check(session: Session, person: Person, fields: dict[str, Any]) -> str | None:
    """Refuse keys another person holds and managers that do not exist or close a loop; the manager's id."""
    taken = taken_by_other(session, person.id, external_id=fields["external_id"], email=fields["email"],
                           user_name=fields["user_name"])
    if taken is not None:
        key, other = taken
        raise KeyTaken(f"That {key} already belongs to {describe(other)}; nothing was changed.")
    named = fields["manager_id"]
    if named is None:
        return None
    boss = manager_named(session, named)
    if boss is None or boss.removed_at is not None:
        raise InvalidField("manager", f"{named!r} is not a person here (by id, externalId or userName)")
    if manager_loop(session, person.id, boss.id):
        raise InvalidField("manager", f"{named!r} reports to {person.name}: that would be a management loop")
    return boss.id

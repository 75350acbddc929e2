"""Who may see whom. Every tool and query runs for a :class:`Viewer`.

A manager reaches their whole reporting chain (direct and indirect reports)
and themself; an hr_admin reaches everyone; an employee reaches only themself.
Out-of-reach people are indistinguishable from people who do not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import Person


class ToolError(Exception):
    """A failure the model (or a user) can read and act on."""


class OutOfReach(ToolError):
    """The record does not exist or is outside the viewer's reach; we never say which."""


@dataclass(frozen=True)
class Viewer:
    person_id: str
    role: str
    name: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "hr_admin"


def load_viewer(session: Session, who: str) -> Viewer:
    """Find the signed-in person by id or email (exact, case-insensitive email)."""
    person = session.get(Person, who) or session.scalar(
        select(Person).where(Person.email.ilike(who))
    )
    if person is None:
        raise ToolError(f"No person with id or email {who!r}.")
    return Viewer(person_id=person.id, role=person.role, name=person.name)


def reporting_chain(session: Session, manager_id: str) -> set[str]:
    """Ids of everyone below ``manager_id`` (direct and indirect), via a recursive CTE."""
    chain = select(Person.id).where(Person.manager_id == manager_id).cte(recursive=True)
    chain = chain.union(select(Person.id).where(Person.manager_id == chain.c.id))
    return set(session.scalars(select(chain.c.id)))


def reach(session: Session, viewer: Viewer) -> set[str] | None:
    """Ids the viewer may see, or ``None`` for everyone (hr_admin)."""
    if viewer.is_admin:
        return None
    if viewer.role == "manager":
        return reporting_chain(session, viewer.person_id) | {viewer.person_id}
    return {viewer.person_id}


def can_see(session: Session, viewer: Viewer, person_id: str) -> bool:
    ids = reach(session, viewer)
    return ids is None or person_id in ids


def require_person(session: Session, viewer: Viewer, person_id: str) -> Person:
    """The person if the viewer may see them, else :class:`OutOfReach` (same error for unknown)."""
    person = session.get(Person, person_id)
    if person is None or not can_see(session, viewer, person_id):
        raise OutOfReach("That person is not in your reporting chain, or does not exist.")
    return person

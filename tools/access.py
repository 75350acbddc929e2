"""Who may see whom. Every tool and query runs for a :class:`Viewer`.

A manager reaches their whole reporting chain (direct and indirect reports)
and themself; an hr_admin reaches everyone; an employee reaches only themself.
A deactivated person (SCIM ``active=false``) reaches no one, from the moment they are
deactivated. Out-of-reach people are indistinguishable from people who do not exist.

A manager's chain can be the whole org, so :class:`Reach` answers "may the viewer see
these people?" by walking up from those people to the viewer (a few indexed lookups,
batched), and reads the whole chain only when a caller asks for the whole set.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from tools.errors import OutOfReach, ToolError
from tools.store.models import Person

PEOPLE = Person.__table__
BATCH = 500  # ids per upward walk (one query each)


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
    if not person.active:
        raise ToolError(f"{person.name} ({person.email}) has been deactivated and cannot act in Coach.")
    return Viewer(person_id=person.id, role=person.role, name=person.name)


@cache
def _statements() -> dict[str, Any]:
    """The reach queries, built on first use and reused (building a recursive statement costs
    more than running it on a small team)."""
    chain = select(PEOPLE.c.id).where(PEOPLE.c.manager_id == bindparam("top")).cte("chain", recursive=True)
    below = PEOPLE.alias("below")
    chain = chain.union(select(below.c.id).where(below.c.manager_id == chain.c.id))
    up = select(PEOPLE.c.id, PEOPLE.c.manager_id).where(PEOPLE.c.id.in_(bindparam("ids", expanding=True)))
    up = up.cte("up", recursive=True)
    above = PEOPLE.alias("above")
    up = up.union(select(above.c.id, above.c.manager_id)
                  .where(above.c.id == up.c.manager_id, up.c.manager_id != bindparam("stop")))
    return {
        "chain": select(chain.c.id),
        "above": select(up.c.id, up.c.manager_id),
        "level": select(PEOPLE.c.id).where(PEOPLE.c.manager_id.in_(bindparam("level", expanding=True)))
        .limit(bindparam("room", type_=Integer)),
    }


def reporting_chain(session: Session, manager_id: str) -> set[str]:
    """Ids of everyone below ``manager_id`` (direct and indirect), via a recursive CTE."""
    return set(session.connection().execute(_statements()["chain"], {"top": manager_id}).scalars())


def chain_within(session: Session, manager_id: str, limit: int) -> set[str] | None:
    """:func:`reporting_chain` if it holds at most ``limit`` people, else ``None``.

    Reads one level at a time and stops as soon as the chain is known to be too big,
    so a check on a manager of thousands costs a few small queries.
    """
    conn, stmt = session.connection(), _statements()["level"]
    found: set[str] = set()
    level = [manager_id]
    while level:
        rows = conn.execute(stmt, {"level": level, "room": limit - len(found) + 1}).scalars().all()
        found.update(rows)
        if len(found) > limit:
            return None
        # Each person has one manager, so only the start (in a management loop) can come back.
        level = [i for i in rows if i != manager_id]
    return found


def managers_above(session: Session, ids: Iterable[str], stop: str) -> dict[str, str | None]:
    """Manager id of each existing person in ``ids`` and of everyone above them, up to
    (not past) ``stop``: one recursive query walking up the chain."""
    return dict(session.connection().execute(_statements()["above"], {"ids": list(ids), "stop": stop}).all())


class Reach:
    """Whom ``viewer`` may see, answered per person or per batch and remembered.

    A person is in a manager's reach when walking up their managers meets the viewer;
    each walk also settles everyone it passes, so later checks are free.
    """

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session, self.viewer = session, viewer
        self._ids: frozenset[str] | None = None  # the whole reach, once read
        self._known: dict[str, bool] = {viewer.person_id: True}
        self._manager: dict[str, str | None] = {}
        self._active: bool | None = None

    @property
    def active(self) -> bool:
        """Whether the viewer is still an active person (a deactivated one reaches no one)."""
        if self._active is None:
            person = self.session.get(Person, self.viewer.person_id)
            self._active = person is not None and person.active
        return self._active

    @property
    def everyone(self) -> bool:
        return self.viewer.is_admin and self.active

    def ids(self) -> frozenset[str] | None:
        """Every person id in reach (``None``: everyone)."""
        if self.everyone:
            return None
        if not self.active:
            return frozenset()
        if self._ids is None:
            me = self.viewer.person_id
            below = reporting_chain(self.session, me) if self.viewer.role == "manager" else set()
            self._ids = frozenset(below | {me})
        return self._ids

    def within(self, limit: int) -> frozenset[str] | None:
        """Every person id in reach if there are at most ``limit`` (``None``: more, or everyone)."""
        if self.everyone:
            return None
        if not self.active:
            return frozenset()
        if self._ids is None:
            me = self.viewer.person_id
            if self.viewer.role != "manager":
                self._ids = frozenset({me})
            else:
                below = chain_within(self.session, me, limit)
                if below is None:
                    return None
                self._ids = frozenset(below | {me})  # may be limit + 1: then not returned below
        return self._ids if len(self._ids) <= limit else None

    def can_see(self, person_id: str) -> bool:
        return self.everyone or person_id in self.visible((person_id,))

    def visible(self, ids: Iterable[str]) -> set[str]:
        """The ids in ``ids`` that the viewer may see."""
        wanted = set(ids)
        if self.everyone:
            return wanted
        if not self.active:
            return set()
        if self._ids is not None:
            return wanted & self._ids
        if self.viewer.role != "manager":
            return wanted & {self.viewer.person_id}
        unknown = [i for i in wanted if i not in self._known]
        for start in range(0, len(unknown), BATCH):
            self._manager.update(managers_above(self.session, unknown[start:start + BATCH], self.viewer.person_id))
        for i in unknown:
            self._settle(i)
        return {i for i in wanted if self._known[i]}

    def _settle(self, person_id: str) -> None:
        """Walk up from ``person_id`` to a settled person, the top, or a loop; settle the path."""
        path: list[str] = []
        node: str | None = person_id
        while node is not None and node not in self._known and node in self._manager and node not in path:
            path.append(node)
            node = self._manager[node]
        seen = node is not None and self._known.get(node, False)
        for n in path or [person_id]:
            self._known[n] = seen


def reach(session: Session, viewer: Viewer) -> set[str] | None:
    """Ids the viewer may see, or ``None`` for everyone (hr_admin)."""
    ids = Reach(session, viewer).ids()
    return None if ids is None else set(ids)


def can_see(session: Session, viewer: Viewer, person_id: str) -> bool:
    return Reach(session, viewer).can_see(person_id)


def require_person(session: Session, viewer: Viewer, person_id: str) -> Person:
    """The person if the viewer may see them, else :class:`OutOfReach` (same error for unknown)."""
    person = session.get(Person, person_id)
    if person is None or not can_see(session, viewer, person_id):
        raise OutOfReach("That person is not in your reporting chain, or does not exist.")
    return person

"""What the database already holds, read with one query per table the bundle touches."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.bundle.schema import BY_NAME
from tools.bundle.shapes import Rows
from tools.store.models import Goal, Person

_GOAL_USERS = {"goals", "progress_updates", "checkins", "kpis"}


@dataclass
class Existing:
    """Stored people (email, manager), goals (kind, parent) and the keys of other lists."""

    people: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    external_ids: dict[str, str] = field(default_factory=dict)  # the directory's id -> person id
    goals: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    goal_owners: dict[str, str] = field(default_factory=dict)
    keys: dict[str, set[Any]] = field(default_factory=dict)

    def stored(self, entity: str) -> Collection[Any]:
        """Keys of ``entity`` already in the database (ids; (kpi_id, date) for KPI values)."""
        if entity == "people":
            return self.people.keys()
        if entity == "goals":
            return self.goals.keys()
        return self.keys.get(entity, set())


def load_existing(session: Session, rows: dict[str, Rows]) -> Existing:
    """Read only what checking and counting ``rows`` needs."""
    found = Existing()
    if not rows:
        return found
    found.people = {
        pid: (email.casefold(), manager) for pid, email, manager in
        session.execute(select(Person.id, Person.email, Person.manager_id))
    }
    if "people" in rows:
        found.external_ids = dict(session.execute(select(Person.external_id, Person.id)
                                                  .where(Person.external_id.is_not(None))).all())
    if _GOAL_USERS & rows.keys():
        for gid, kind, parent, owner in session.execute(select(Goal.id, Goal.kind, Goal.parent_id, Goal.owner_id)):
            found.goals[gid] = (kind, parent)
            found.goal_owners[gid] = owner
    for name in ("meta", "progress_updates", "checkins", "kpis", "kpi_values", "feedback"):
        if name in rows or (name == "kpis" and "kpi_values" in rows):
            entity = BY_NAME[name]
            columns = [entity.table.c[k] for k in entity.key]
            result = session.execute(select(*columns))
            found.keys[name] = set(result.scalars()) if len(columns) == 1 else {tuple(r) for r in result}
    return found

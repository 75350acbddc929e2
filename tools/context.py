"""The small context object every tool receives: session, viewer, date, guidance index."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from sqlalchemy.orm import Session

from tools.access import OutOfReach, Viewer, reach
from tools.models import Meta


class GuidanceSearch(Protocol):
    """What the tools need from the knowledge base (implemented in ``knowledge``)."""

    def search(self, query: str, k: int = 4) -> list[Any]: ...


@dataclass
class ToolContext:
    session: Session
    viewer: Viewer
    today: dt.date = field(default_factory=dt.date.today)
    guidance: GuidanceSearch | None = None

    @cached_property
    def reach(self) -> frozenset[str] | None:
        """Person ids the viewer may see (``None``: everyone). Computed once per context."""
        ids = reach(self.session, self.viewer)
        return None if ids is None else frozenset(ids)

    def can_see(self, person_id: str) -> bool:
        return self.reach is None or person_id in self.reach

    def check(self, person_id: str) -> None:
        if not self.can_see(person_id):
            raise OutOfReach("That person is not in your reporting chain, or does not exist.")


def data_today(session: Session) -> dt.date:
    """The data set's 'today': the demo org pins one so its planted situations stay true."""
    row = session.get(Meta, "today")
    return dt.date.fromisoformat(row.value) if row else dt.date.today()

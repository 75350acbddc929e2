"""The small context object every tool receives: session, viewer, date, guidance index."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Protocol

from sqlalchemy.orm import Session

from tools.access import OutOfReach, Reach, Viewer
from tools.store.models import Meta


class GuidanceSearch(Protocol):
    """What the tools need from the knowledge base (implemented in ``knowledge``)."""

    def search(self, query: str, k: int = 4) -> list[Any]: ...


@dataclass
class ToolContext:
    session: Session
    viewer: Viewer
    today: dt.date = field(default_factory=dt.date.today)
    guidance: GuidanceSearch | None = None
    channel: str = "tool"  # where writes come from, for the audit trail: api, form, import, cli, tool

    @cached_property
    def access(self) -> Reach:
        """Reach checks for the viewer, remembered for this context."""
        return Reach(self.session, self.viewer)

    @property
    def reach(self) -> frozenset[str] | None:
        """Person ids the viewer may see (``None``: everyone). Read once per context, and only
        when asked for: checks on some people are cheaper through :meth:`can_see` and :meth:`visible`."""
        return self.access.ids()

    def can_see(self, person_id: str) -> bool:
        return self.access.can_see(person_id)

    def visible(self, person_ids: Iterable[str]) -> set[str]:
        """Those of ``person_ids`` the viewer may see (one batched check)."""
        return self.access.visible(person_ids)

    def check(self, person_id: str) -> None:
        if not self.can_see(person_id):
            raise OutOfReach("That person is not in your reporting chain, or does not exist.")


def data_today(session: Session) -> dt.date:
    """The data set's 'today': the demo org pins one so its planted situations stay true."""
    row = session.get(Meta, "today")
    return dt.date.fromisoformat(row.value) if row else dt.date.today()

"""Wires settings to the store, the guidance index and the model; built by entry points."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assistant.settings import Settings
from tools.access import Viewer, load_viewer
from tools.context import ToolContext, data_today
from tools.store.db import make_engine, migrate, session_factory


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @cached_property
    def guidance(self):
        """The knowledge base's search, opened on first use."""
        from knowledge.index import open_index

        return open_index(self.settings.chroma_path, url=self.settings.chroma_url)

    def viewer(self, session: Session, who: str) -> Viewer:
        return load_viewer(session, who)

    def tool_context(self, session: Session, viewer: Viewer, *, with_guidance: bool = True) -> ToolContext:
        return ToolContext(
            session=session,
            viewer=viewer,
            today=data_today(session),
            guidance=self.guidance if with_guidance else None,
        )


def open_runtime(settings: Settings | None = None, *, upgrade: bool = True) -> Runtime:
    settings = settings or Settings()
    engine = make_engine(settings.db_url)
    if upgrade:
        migrate(engine)
    return Runtime(settings=settings, engine=engine, sessions=session_factory(engine))

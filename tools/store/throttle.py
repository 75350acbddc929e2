"""Counters for abuse limits, in the database so every worker shares them.

:class:`SqlStorage` is a storage for the ``limits`` library (fixed windows): one row per key
with its count and the moment its window ends, changed with one ``INSERT ... ON CONFLICT``
statement, so concurrent workers never lose a hit.
"""
from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Engine, Float, Integer, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from tools.store.models import Base


class RateCounter(Base):
    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch


class SqlStorage(Storage):
    """A ``limits`` storage on our database (fixed windows), shared by every worker.

    Each call runs in its own short transaction on ``engine``, apart from the request's session, so
    a counted failure stays counted when the request itself rolls back."""

    STORAGE_SCHEME = ["coach-db"]

    def __init__(self, engine: Engine, **options: Any) -> None:
        super().__init__(None, **options)
        self.engine = engine

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateCounter.__table__
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        first = max(amount, 0)  # a release (-1) after the window ended starts the new window at 0
        stmt = dialect.insert(table).values(key=key, count=first, expires_at=now + expiry)
        fresh = table.c.expires_at <= now
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={
            "count": case((fresh, first), else_=table.c.count + amount),
            "expires_at": case((fresh, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)
        with self.engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _row(self, key: str) -> tuple[int, float] | None:
        table = RateCounter.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.count, table.c.expires_at).where(table.c.key == key)).first()
        return None if row is None or row.expires_at <= time.time() else (row.count, row.expires_at)

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(select(1))
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(RateCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(RateCounter.__table__).where(RateCounter.__table__.c.key == key))

    def purge(self) -> int:
        """Delete counters whose window has ended (they count as zero already)."""
        with self.engine.begin() as conn:
            return conn.execute(delete(RateCounter.__table__)
                                .where(RateCounter.__table__.c.expires_at <= time.time())).rowcount or 0

"""Counters for abuse limits, in the database so every worker shares them.

:class:`SqlStorage` is a storage for the ``limits`` library (fixed windows): one row per key
with its count and the moment its window ends, changed with one ``INSERT ... ON CONFLICT``
statement, so concurrent workers never lose a hit.
"""
from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tools.store.models import Base


class RateCounter(Base):
    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch

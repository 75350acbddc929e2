"""Personal-detail marks: sentences of notes and feedback found to be about someone's health,
family or private life, kept out of drafts unless a manager unmarks them.

``personal_marks`` holds one row per marked sentence of a record's field; ``personal_scans``
notes which text of each field was screened (so unchanged text is not screened again, and text
written before screening existed is screened when it is read).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tools.store.models import Base, utcnow


class PersonalMark(Base):
    __tablename__ = "personal_marks"
    __table_args__ = (Index("ix_personal_marks_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_kind: Mapped[str] = mapped_column(String(16))   # checkin, update, feedback, action_item
    record_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(32))         # notes, blockers, note, text
    digest: Mapped[str] = mapped_column(String(64))        # of the normalised sentence
    sentence: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str] = mapped_column(String(16))        # words, model
    kept_out: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PersonalScan(Base):
    __tablename__ = "personal_scans"

    record_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_digest: Mapped[str] = mapped_column(String(64))

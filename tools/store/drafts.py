"""Saved drafts: 1:1 prep notes and review drafts, each save a new version."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools.store.models import Base, utcnow

DRAFT_KINDS = ("prep", "review")


class Draft(Base):
    """A saved 1:1 prep note or review draft about ``subject_id``; each save is a new version."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_author_subject_kind", "author_id", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    subject_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)



def save_draft(session: Session, author_id: str, subject_id: str, kind: str, text: str,
               period: tuple[dt.date, dt.date] | None = None) -> Draft:
    """Save a new version of the author's draft of ``kind`` about ``subject_id`` (for ``period``)."""
    if kind not in DRAFT_KINDS:
        raise ValueError(f"draft kind must be one of {DRAFT_KINDS}, got {kind!r}")
    start, end = period or (None, None)
    latest = session.scalar(
        select(func.max(Draft.version)).where(*_same_draft(author_id, subject_id, kind, start, end))
    )
    row = Draft(author_id=author_id, subject_id=subject_id, kind=kind, period_start=start, period_end=end,
                version=(latest or 0) + 1, text=text)
    session.add(row)
    session.flush()
    return row


def _same_draft(author_id, subject_id, kind, start, end) -> list:
    return [Draft.author_id == author_id, Draft.subject_id == subject_id, Draft.kind == kind,
            Draft.period_start.is_(None) if start is None else Draft.period_start == start,
            Draft.period_end.is_(None) if end is None else Draft.period_end == end]


def list_drafts(session: Session, author_id: str, subject_id: str, kind: str,
                period: tuple[dt.date, dt.date] | None = None) -> list[Draft]:
    """The author's saved versions, newest first (of one period when ``period`` is given)."""
    where = [Draft.author_id == author_id, Draft.subject_id == subject_id, Draft.kind == kind]
    if period is not None:
        where = _same_draft(author_id, subject_id, kind, *period)
    return list(session.scalars(select(Draft).where(*where).order_by(Draft.id.desc())))


def get_draft(session: Session, draft_id: int, author_id: str) -> Draft | None:
    """One of the author's drafts; ``None`` for anyone else's."""
    row = session.get(Draft, draft_id)
    return row if row is not None and row.author_id == author_id else None

"""What the integrations remember: Slack users linked to people, Slack events already handled,
channels a manager opened to Coach's answers, the weekly digest's log and its opt-outs.

A Slack user is linked to a person only by a verified email (the Slack app checks it); a link
is re-checked after ``LINK_DAYS``. The digest log makes ``coach digest`` idempotent: one row per
person, ISO week and channel, claimed before sending.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools.store.models import Base, utcnow

LINK_DAYS = 1
EVENT_DAYS = 2  # Slack retries an event for about an hour; ids older than this are forgotten
DIGEST_CHANNELS = ("email", "slack")


class SlackLink(Base):
    """A Slack user of one workspace acting as a Coach person (matched by verified email)."""

    __tablename__ = "slack_links"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    conversation_id: Mapped[str | None] = mapped_column(String(32))  # the DM's current conversation
    conversation_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SlackEvent(Base):
    """An event or command id already handled: a retry of it is acknowledged and dropped."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class SlackChannel(Base):
    """A channel where a manager chose to have Coach's answers to them posted for all to see."""

    __tablename__ = "slack_channels"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DigestLog(Base):
    """One weekly digest for one person on one channel: claimed ('sending'), then 'sent' or 'empty'."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("person_id", "week", "channel", name="uq_digest_log_person_week_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))  # ISO week, e.g. 2026-W36
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default="sending")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DigestOptOut(Base):
    """A person who asked not to get the weekly digest (on any channel)."""

    __tablename__ = "digest_opt_outs"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# -- Slack ---------------------------------------------------------------------------------

def find_link(session: Session, team_id: str, slack_user_id: str, *, days: int = LINK_DAYS) -> SlackLink | None:
    """The link of a Slack user, if made within ``days`` (older links are checked again)."""
    row = session.get(SlackLink, (team_id, slack_user_id))
    if row is None or utcnow() - row.checked_at > dt.timedelta(days=days):
        return None
    return row


def save_link(session: Session, team_id: str, slack_user_id: str, person_id: str, email: str) -> SlackLink:
    row = session.get(SlackLink, (team_id, slack_user_id))
    if row is None:
        row = SlackLink(team_id=team_id, slack_user_id=slack_user_id, person_id=person_id, email=email)
        session.add(row)
    elif row.person_id != person_id:  # the Slack email now names someone else: forget the old conversation
        row.person_id, row.conversation_id, row.conversation_at = person_id, None, None
    row.email, row.checked_at = email, utcnow()
    session.flush()
    return row


def first_delivery(session: Session, event_id: str) -> bool:
    """Record ``event_id`` as handled; ``False`` when it already was (a retry). Commits."""
    session.execute(delete(SlackEvent).where(SlackEvent.received_at < utcnow() - dt.timedelta(days=EVENT_DAYS)))
    session.add(SlackEvent(event_id=event_id[:100]))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def channel_opted_in(session: Session, person_id: str, channel_id: str) -> bool:
    return session.get(SlackChannel, (person_id, channel_id)) is not None


def set_channel(session: Session, person_id: str, channel_id: str, on: bool) -> None:
    row = session.get(SlackChannel, (person_id, channel_id))
    if on and row is None:
        session.add(SlackChannel(person_id=person_id, channel_id=channel_id))
    elif not on and row is not None:
        session.delete(row)
    session.flush()


# -- the weekly digest ---------------------------------------------------------------------

def opted_out(session: Session) -> set[str]:
    return set(session.scalars(select(DigestOptOut.person_id)))


def set_digest_opt_out(session: Session, person_id: str, out: bool) -> None:
    row = session.get(DigestOptOut, person_id)
    if out and row is None:
        session.add(DigestOptOut(person_id=person_id))
    elif not out and row is not None:
        session.delete(row)
    session.flush()


def claim_digest(session: Session, person_id: str, week: str, channel: str) -> DigestLog | None:
    """Claim the digest of ``person_id`` for ``week`` on ``channel``; ``None`` when it was already
    claimed (sent, empty, or being sent by another run). Commits, so a concurrent run sees it."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(f"unknown digest channel {channel!r}")
    row = DigestLog(person_id=person_id, week=week, channel=channel, status="sending", detail={})
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return row


def finish_digest(session: Session, row: DigestLog, status: str, detail: dict[str, Any]) -> None:
    row.status, row.detail, row.at = status, detail, utcnow()
    session.commit()


def release_digest(session: Session, row: DigestLog) -> None:
    """Give a claim back after a failed send, so the next run tries again."""
    session.execute(delete(DigestLog).where(DigestLog.id == row.id))
    session.commit()

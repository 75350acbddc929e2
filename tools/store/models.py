"""The performance-management domain as SQLAlchemy 2 tables.

Ids are strings chosen by the source system (HR exports), so imports can
update records in place.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("employee", "manager", "hr_admin")
GOAL_KINDS = ("smart", "objective", "key_result")
DIRECTIONS = ("up", "down")
GOAL_STATUSES = ("not_started", "on_track", "at_risk", "off_track", "done")
CHECKIN_STATUSES = ("held", "missed", "cancelled")
FEEDBACK_KINDS = ("peer", "upward", "self", "praise", "constructive")
KPI_SCOPES = ("person", "team")


def utcnow() -> dt.datetime:
    """Now in UTC, without tzinfo (how every timestamp column stores it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


checkin_goals = Table(
    "checkin_goals",
    Base.metadata,
    Column("checkin_id", ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True),
)

kpi_goals = Table(
    "kpi_goals",
    Base.metadata,
    Column("kpi_id", ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="employee")
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    pronouns: Mapped[str | None] = mapped_column(String(32))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    # Identity from the company's directory (SCIM, OIDC, imports): see tools/store/identity.py.
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    user_name: Mapped[str | None] = mapped_column(String(320), unique=True)
    # server-side defaults only: bulk imports write people with Core statements that name their own columns
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    left_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # when deactivated
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # deleted from the directory (SCIM DELETE)
    directory: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # name parts and emails as SCIM sent them
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    manager: Mapped[Person | None] = relationship(remote_side="Person.id", back_populates="reports")
    reports: Mapped[list[Person]] = relationship(back_populates="manager")


class Goal(Base):
    """A SMART goal, an OKR objective, or a key result (``parent_id`` = its objective).

    A goal or objective may also have a ``parent_id`` that aligns it to a team OKR.
    """

    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("goals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="smart")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    metric: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    direction: Mapped[str | None] = mapped_column(String(8))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    current: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)

    owner: Mapped[Person] = relationship()
    parent: Mapped[Goal | None] = relationship(remote_side="Goal.id", back_populates="children")
    children: Mapped[list[Goal]] = relationship(back_populates="parent")
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="goal", order_by="ProgressUpdate.date", cascade="all, delete-orphan"
    )


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))

    goal: Mapped[Goal] = relationship(back_populates="updates")


class CheckIn(Base):
    """A 1:1 between a manager and a report. ``status`` 'missed' records a skipped 1:1."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_employee_date", "employee_id", "date"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    manager_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="held")
    notes: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str | None] = mapped_column(Text)  # the manager chain's own notes, never the report's
    blockers: Mapped[list[Any]] = mapped_column(default=list)

    employee: Mapped[Person] = relationship(foreign_keys=[employee_id])
    manager: Mapped[Person] = relationship(foreign_keys=[manager_id])
    goals: Mapped[list[Goal]] = relationship(secondary=checkin_goals)
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="checkin", order_by="ActionItem.position", cascade="all, delete-orphan"
    )


class ActionItem(Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    checkin_id: Mapped[str] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    checkin: Mapped[CheckIn] = relationship(back_populates="action_items")


class KPI(Base):
    """A measured indicator owned by a person, or by a team (``scope`` 'team': the owner's team)."""

    __tablename__ = "kpis"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(8), default="up")
    owner_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    scope: Mapped[str] = mapped_column(String(8), default="person")

    owner: Mapped[Person] = relationship()
    goals: Mapped[list[Goal]] = relationship(secondary=kpi_goals)
    values: Mapped[list[KPIValue]] = relationship(
        back_populates="kpi", order_by="KPIValue.date", cascade="all, delete-orphan"
    )


class KPIValue(Base):
    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("kpi_id", "date", name="uq_kpi_values_kpi_date"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kpi_id: Mapped[str] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)

    kpi: Mapped[KPI] = relationship(back_populates="values")


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_to_date", "to_id", "date"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    to_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)

    giver: Mapped[Person] = relationship(foreign_keys=[from_id])
    receiver: Mapped[Person] = relationship(foreign_keys=[to_id])


class Meta(Base):
    """Small key/value facts about the data set (for example the demo org's 'today')."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

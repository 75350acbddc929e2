"""Request and response bodies of the JSON API (pydantic), with field-level validation."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from tools.store.models import CHECKIN_STATUSES, FEEDBACK_KINDS, GOAL_KINDS, GOAL_STATUSES


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_no_nul)]
Title = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_no_nul), AfterValidator(_not_blank)]
Short = Annotated[str, Field(max_length=200), AfterValidator(_no_nul)]
Unit = Annotated[str, Field(max_length=32), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=50_000), AfterValidator(_no_nul)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]
Confidence = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]
Kind = Literal[GOAL_KINDS]  # type: ignore[valid-type]
Status = Literal[GOAL_STATUSES]  # type: ignore[valid-type]
Direction = Literal["up", "down"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=50_000)


def _not_null(value):
    if value is None:
        raise ValueError("may be left out, but not set to null")
    return value


def check_dates(start: dt.date | None, due: dt.date | None) -> None:
    if start and due and due < start:
        raise ValueError(f"due_date {due.isoformat()} is before start_date {start.isoformat()}")


class GoalFields(Body):
    title: Title
    description: LongText | None = None
    metric: Short | None = None
    unit: Unit | None = None
    direction: Direction | None = None
    baseline: Number | None = None
    target: Number | None = None
    current: Number | None = None
    start_date: Day | None = None
    due_date: Day | None = None
    status: Status | None = None
    confidence: Confidence | None = None

    @field_validator("due_date")
    @classmethod
    def _due_after_start(cls, due: dt.date | None, info: ValidationInfo) -> dt.date | None:
        check_dates(info.data.get("start_date"), due)
        return due


class GoalIn(GoalFields):
    owner_id: Id
    kind: Kind = "smart"
    parent_id: Id | None = Field(None, validate_default=True,
                                 description="The objective of a key result, or a team goal this aligns to.")

    @field_validator("parent_id")
    @classmethod
    def _key_result_parent(cls, parent: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") == "key_result" and not parent:
            raise ValueError("a key_result needs parent_id: the objective it belongs to")
        return parent


class KeyResultIn(GoalFields):
    owner_id: Id | None = Field(None, description="Default: the objective's owner.")


class GoalPatch(GoalFields):
    """Fields to change; those left out keep their value."""

    title: Title | None = None

    _required = field_validator("title")(_not_null)


class GoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    owner_id: str
    parent_id: str | None
    kind: str
    title: str
    description: str | None
    metric: str | None
    unit: str | None
    direction: str | None
    baseline: float | None
    target: float | None
    current: float | None
    start_date: dt.date | None
    due_date: dt.date | None
    status: str | None
    confidence: float | None


class UpdateIn(Body):
    date: Day
    value: Number | None = None
    status: Status | None = None
    confidence: Confidence | None = None
    note: LongText | None = None


class UpdatePatch(UpdateIn):
    date: Day | None = None

    _required = field_validator("date")(_not_null)


class UpdateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    goal_id: str
    date: dt.date
    value: float | None
    status: str | None
    confidence: float | None
    note: str | None
    author_id: str | None


class ActionItemIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_no_nul), AfterValidator(_not_blank)]
    owner_id: Id | None = None
    due_date: Day | None = None
    done: bool = False


class ActionItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    text: str
    owner_id: str | None
    due_date: dt.date | None
    done: bool


Blocker = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_no_nul)]


class CheckInIn(Body):
    employee_id: Id
    date: Day
    status: Literal[CHECKIN_STATUSES] = "held"  # type: ignore[valid-type]
    notes: LongText = ""
    blockers: list[Blocker] = Field(default_factory=list, max_length=50)
    goal_ids: list[Id] = Field(default_factory=list, max_length=50)
    action_items: list[ActionItemIn] = Field(default_factory=list, max_length=50)


class CheckInPatch(Body):
    date: Day | None = None
    status: Literal[CHECKIN_STATUSES] | None = None  # type: ignore[valid-type]
    notes: LongText | None = None
    blockers: list[Blocker] | None = Field(None, max_length=50)
    goal_ids: list[Id] | None = Field(None, max_length=50)
    action_items: list[ActionItemIn] | None = Field(None, max_length=50)

    _required = field_validator("date", "status", "notes", "blockers", "goal_ids", "action_items")(_not_null)


class CheckInOut(BaseModel):
    id: str
    employee_id: str
    manager_id: str
    date: dt.date
    status: str
    notes: str
    blockers: list[str]
    goal_ids: list[str]
    action_items: list[ActionItemOut]


class KpiValueIn(Body):
    date: Day
    value: Number


class KpiValueOut(BaseModel):
    kpi_id: str
    date: dt.date
    value: float


class KpiOut(BaseModel):
    id: str
    name: str
    unit: str | None
    direction: str
    owner_id: str
    scope: str
    values: list[KpiValueOut]


class FeedbackIn(Body):
    to_id: Id
    date: Day
    kind: Literal[FEEDBACK_KINDS]  # type: ignore[valid-type]
    text: Annotated[str, Field(min_length=1, max_length=10_000), AfterValidator(_no_nul), AfterValidator(_not_blank)]


class FeedbackPatch(Body):
    date: Day | None = None
    kind: Literal[FEEDBACK_KINDS] | None = None  # type: ignore[valid-type]
    text: Annotated[str, Field(min_length=1, max_length=10_000), AfterValidator(_no_nul), AfterValidator(_not_blank)] | None = None

    _required = field_validator("date", "kind", "text")(_not_null)


class FeedbackOut(BaseModel):
    id: str
    from_id: str | None = Field(description="Hidden for upward feedback and for givers outside your reach.")
    to_id: str
    date: dt.date
    kind: str
    text: str


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    email: str
    role: str
    title: str | None
    department: str | None
    manager_id: str | None


class ChatIn(Body):
    message: Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_no_nul), AfterValidator(_not_blank)]
    conversation_id: Id | None = Field(None, description="Continue this conversation (from an earlier 'done' event).")

"""What a write takes: typed, validated input records (pydantic), shared by the JSON API, the
web forms and the write layer. The field rules come from :mod:`tools.rules`.

``...In`` creates a record; ``...Patch`` changes one (fields left out keep their value; a
required field may be left out but not set to null).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from tools import rules


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def _not_null(value):
    if value is None:
        raise ValueError("may be left out, but not set to null")
    return value


def _text(max_length: int, *, min_length: int = 0, blank: bool = True):
    checks = [AfterValidator(_no_nul)] + ([] if blank else [AfterValidator(_not_blank)])
    return Annotated[str, Field(min_length=min_length, max_length=max_length), *checks]


Id = Annotated[str, Field(min_length=1, max_length=rules.ID_MAX), AfterValidator(_no_nul)]
Title = _text(rules.TITLE_MAX, min_length=1, blank=False)
Short = _text(rules.SHORT_MAX)
Unit = _text(rules.UNIT_MAX)
LongText = _text(rules.NOTE_MAX)
FeedbackText = _text(rules.FEEDBACK_MAX, min_length=1, blank=False)
ActionText = _text(rules.ACTION_MAX, min_length=1, blank=False)
Blocker = _text(rules.BLOCKER_MAX, min_length=1)
Number = Annotated[float, Field(allow_inf_nan=False, ge=-rules.NUMBER_LIMIT, le=rules.NUMBER_LIMIT)]
Confidence = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Day = Annotated[dt.date, Field(ge=rules.FIRST_DAY, le=rules.LAST_DAY)]
Kind = Literal[rules.GOAL_KINDS]  # type: ignore[valid-type]
Status = Literal[rules.GOAL_STATUSES]  # type: ignore[valid-type]
Direction = Literal[rules.DIRECTIONS]  # type: ignore[valid-type]
CheckInStatus = Literal[rules.CHECKIN_STATUSES]  # type: ignore[valid-type]
FeedbackKind = Literal[rules.FEEDBACK_KINDS]  # type: ignore[valid-type]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=rules.NOTE_MAX)


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
        rules.check_date_order(info.data.get("start_date"), due)
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


class UpdateIn(Body):
    date: Day
    value: Number | None = None
    status: Status | None = None
    confidence: Confidence | None = None
    note: LongText | None = None


class UpdatePatch(UpdateIn):
    date: Day | None = None

    _required = field_validator("date")(_not_null)


class ActionItemIn(Body):
    text: ActionText
    owner_id: Id | None = None
    due_date: Day | None = None
    done: bool = False


class CheckInIn(Body):
    employee_id: Id
    date: Day
    status: CheckInStatus = "held"
    notes: LongText = ""
    private_notes: LongText | None = Field(None, description="The manager's own notes: never shown to the report.")
    blockers: list[Blocker] = Field(default_factory=list, max_length=rules.LIST_MAX)
    goal_ids: list[Id] = Field(default_factory=list, max_length=rules.LIST_MAX)
    action_items: list[ActionItemIn] = Field(default_factory=list, max_length=rules.LIST_MAX)


class CheckInPatch(Body):
    date: Day | None = None
    status: CheckInStatus | None = None
    notes: LongText | None = None
    private_notes: LongText | None = None
    blockers: list[Blocker] | None = Field(None, max_length=rules.LIST_MAX)
    goal_ids: list[Id] | None = Field(None, max_length=rules.LIST_MAX)
    action_items: list[ActionItemIn] | None = Field(None, max_length=rules.LIST_MAX)

    _required = field_validator("date", "status", "notes", "blockers", "goal_ids", "action_items")(_not_null)


class KpiValueIn(Body):
    date: Day
    value: Number


class FeedbackIn(Body):
    to_id: Id
    date: Day
    kind: FeedbackKind
    text: FeedbackText


class FeedbackPatch(Body):
    date: Day | None = None
    kind: FeedbackKind | None = None
    text: FeedbackText | None = None

    _required = field_validator("date", "kind", "text")(_not_null)

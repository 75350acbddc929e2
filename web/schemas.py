"""Request and response bodies of the JSON API (pydantic), with field-level validation.

Request bodies are the write layer's input records (:mod:`tools.writes.inputs`), so the API,
the web forms and the write layer check the same rules; responses are defined here.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tools.writes.inputs import (  # noqa: F401  (the API's request bodies)
    ActionItemIn,
    Body,
    CheckInIn,
    CheckInPatch,
    Day,
    FeedbackIn,
    FeedbackPatch,
    GoalIn,
    GoalPatch,
    Id,
    KeyResultIn,
    KpiValueIn,
    UpdateIn,
    UpdatePatch,
    _no_nul,
    _not_blank,
)


class GoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    owner_id: str
    parent_id: str | None = Field(description="Null when the parent goal is outside your reach.")
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


class ActionItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    text: str
    owner_id: str | None = Field(description="Null when unset, or when the owner is outside your reach.")
    due_date: dt.date | None
    done: bool


class CheckInOut(BaseModel):
    id: str
    employee_id: str
    manager_id: str | None = Field(description="Null when that manager is outside your reach.")
    date: dt.date
    status: str
    notes: str
    private_notes: str | None = Field(description="The manager chain's own notes; null for the report.")
    blockers: list[str]
    goal_ids: list[str] = Field(description="Linked goals within your reach.")
    action_items: list[ActionItemOut]


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
    manager_id: str | None = Field(description="Null when the manager is outside your reach.")


class ChatIn(Body):
    message: Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_no_nul), AfterValidator(_not_blank)]
    conversation_id: Id | None = Field(None, description="Continue this conversation (from an earlier 'done' event).")

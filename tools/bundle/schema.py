"""The shape of one row of each bundle list, and how each list maps to a table.

Row shapes are TypedDicts validated by pydantic in strict mode (a JSON string is not a
number, ``1`` is not ``true``); unknown fields are refused. Lengths follow the columns
in :mod:`tools.store.models`, so PostgreSQL never truncates or rejects a value half-way.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError
from sqlalchemy import Table
from typing_extensions import NotRequired, TypedDict

from tools.store import models as m

def _iso_date(value: Any) -> Any:
    """Accept ``YYYY-MM-DD`` text or a ``date`` (not a datetime); anything else is an error."""
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise PydanticCustomError("iso_date", "must be an ISO date like 2026-05-04")


def _text(max_length: int | None = None, min_length: int = 0) -> Any:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length)]


Id = _text(64, 1)
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Email = Annotated[str, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Confidence = Annotated[float, Field(ge=0, le=1)]

Role = Literal[m.ROLES]
GoalKind = Literal[m.GOAL_KINDS]
Direction = Literal[m.DIRECTIONS]
GoalStatus = Literal[m.GOAL_STATUSES]
CheckinStatus = Literal[m.CHECKIN_STATUSES]
FeedbackKind = Literal[m.FEEDBACK_KINDS]
KpiScope = Literal[m.KPI_SCOPES]

_STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class PersonRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    name: _text(200, 1)
    email: Email
    role: NotRequired[Role | None]
    manager_id: NotRequired[Id | None]
    title: NotRequired[_text(200) | None]
    department: NotRequired[_text(100) | None]
    pronouns: NotRequired[_text(32) | None]
    external_id: NotRequired[_text(255) | None]


class GoalRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    owner_id: Id
    parent_id: NotRequired[Id | None]
    kind: NotRequired[GoalKind | None]
    title: _text(300, 1)
    description: NotRequired[str | None]
    metric: NotRequired[_text(200) | None]
    unit: NotRequired[_text(32) | None]
    direction: NotRequired[Direction | None]
    baseline: NotRequired[float | None]
    target: NotRequired[float | None]
    current: NotRequired[float | None]
    start_date: NotRequired[Date | None]
    due_date: NotRequired[Date | None]
    status: NotRequired[GoalStatus | None]
    confidence: NotRequired[Confidence | None]


class ProgressUpdateRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    goal_id: Id
    date: Date
    value: NotRequired[float | None]
    status: NotRequired[GoalStatus | None]
    confidence: NotRequired[Confidence | None]
    note: NotRequired[str | None]
    author_id: NotRequired[Id | None]


class ActionItemRow(TypedDict):
    """An action item nested in a check-in of a JSON bundle."""

    __pydantic_config__ = _STRICT
    text: _text(None, 1)
    owner_id: NotRequired[Id | None]
    due_date: NotRequired[Date | None]
    done: NotRequired[bool | None]


class ActionItemCsvRow(ActionItemRow):
    """A row of ``action_items.csv``: the same, plus the check-in it belongs to."""

    checkin_id: Id


class CheckinRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    employee_id: Id
    manager_id: Id
    date: Date
    status: NotRequired[CheckinStatus | None]
    notes: NotRequired[str | None]
    blockers: NotRequired[list[str] | None]
    goal_ids: NotRequired[list[Id] | None]
    action_items: NotRequired[list[Any] | None]  # each validated as ActionItemRow


class KpiRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    name: _text(200, 1)
    unit: NotRequired[_text(32) | None]
    direction: NotRequired[Direction | None]
    owner_id: Id
    scope: NotRequired[KpiScope | None]
    goal_ids: NotRequired[list[Id] | None]


class KpiValueRow(TypedDict):
    __pydantic_config__ = _STRICT
    kpi_id: Id
    date: Date
    value: float


class FeedbackRow(TypedDict):
    __pydantic_config__ = _STRICT
    id: Id
    from_id: Id
    to_id: Id
    date: Date
    kind: FeedbackKind
    text: _text(None, 1)


class MetaRow(TypedDict):
    __pydantic_config__ = _STRICT
    key: _text(64, 1)
    value: NotRequired[str | None]


@dataclass(frozen=True)
class Entity:
    """One list of a bundle (and one CSV file): its row shape and its table.

    ``fields`` is the public field order (export order, CSV header); ``defaults`` fill
    fields that are missing or null; ``numbers``/``flags``/``lists`` tell the CSV reader
    how to read a cell; ``links`` is the many-to-many field stored in a link table.
    """

    name: str
    shape: type
    table: Table
    fields: tuple[str, ...]
    key: tuple[str, ...] = ("id",)
    defaults: dict[str, Any] = field(default_factory=dict)
    numbers: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    links: Table | None = None

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """Fields stored in ``table`` itself (not lists kept elsewhere)."""
        return tuple(f for f in self.fields if f not in ("goal_ids", "action_items"))

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.shape.__required_keys__)


PEOPLE = Entity(
    "people", PersonRow, m.Person.__table__,
    ("id", "name", "email", "role", "manager_id", "title", "department", "pronouns", "external_id"),
    defaults={"role": "employee"},
)
GOALS = Entity(
    "goals", GoalRow, m.Goal.__table__,
    ("id", "owner_id", "parent_id", "kind", "title", "description", "metric", "unit", "direction",
     "baseline", "target", "current", "start_date", "due_date", "status", "confidence"),
    defaults={"kind": "smart"},
    numbers=frozenset({"baseline", "target", "current", "confidence"}),
)
PROGRESS_UPDATES = Entity(
    "progress_updates", ProgressUpdateRow, m.ProgressUpdate.__table__,
    ("id", "goal_id", "date", "value", "status", "confidence", "note", "author_id"),
    numbers=frozenset({"value", "confidence"}),
)
CHECKINS = Entity(
    "checkins", CheckinRow, m.CheckIn.__table__,
    ("id", "employee_id", "manager_id", "date", "status", "notes", "blockers", "goal_ids", "action_items"),
    defaults={"status": "held", "notes": "", "blockers": [], "goal_ids": [], "action_items": []},
    lists=frozenset({"blockers", "goal_ids"}),
    links=m.checkin_goals,
)
ACTION_ITEMS = Entity(
    "action_items", ActionItemCsvRow, m.ActionItem.__table__,
    ("checkin_id", "text", "owner_id", "due_date", "done"),
    key=("checkin_id",),
    defaults={"done": False},
    flags=frozenset({"done"}),
)
KPIS = Entity(
    "kpis", KpiRow, m.KPI.__table__,
    ("id", "name", "unit", "direction", "owner_id", "scope", "goal_ids"),
    defaults={"direction": "up", "scope": "person", "goal_ids": []},
    lists=frozenset({"goal_ids"}),
    links=m.kpi_goals,
)
KPI_VALUES = Entity(
    "kpi_values", KpiValueRow, m.KPIValue.__table__, ("kpi_id", "date", "value"),
    key=("kpi_id", "date"),
    numbers=frozenset({"value"}),
)
FEEDBACK = Entity(
    "feedback", FeedbackRow, m.Feedback.__table__, ("id", "from_id", "to_id", "date", "kind", "text"),
)
META = Entity("meta", MetaRow, m.Meta.__table__, ("key", "value"), key=("key",), defaults={"value": ""})

#: Bundle lists in the order they are validated, written and exported.
ENTITIES: tuple[Entity, ...] = (
    META, PEOPLE, GOALS, PROGRESS_UPDATES, CHECKINS, ACTION_ITEMS, KPIS, KPI_VALUES, FEEDBACK,
)
BY_NAME = {e.name: e for e in ENTITIES}
#: Top-level lists of a JSON bundle (action items travel inside their check-in there).
BUNDLE_LISTS: tuple[str, ...] = tuple(e.name for e in ENTITIES if e is not ACTION_ITEMS)

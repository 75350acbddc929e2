"""Import errors that say where (file, row or JSON path, field) and what is wrong."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from tools.access import ToolError

MAX_PROBLEMS = 10


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class BundleError(ToolError):
    """A bundle was refused; nothing was written.

    ``location`` and ``message`` describe the first problem, ``problems`` up to
    :data:`MAX_PROBLEMS` of them, ``total`` how many were found in all.
    """

    def __init__(self, problems: Sequence[Problem] | Problem, total: int | None = None):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.total = total or len(self.problems)
        first = self.problems[0]
        self.location, self.message = first.location, first.message
        text = str(first)
        if self.total > 1:
            text += f" ({self.total - 1} more problem{'s' if self.total > 2 else ''})"
            text += "".join(f"\n  {p}" for p in self.problems[1:])
            if self.total > len(self.problems):
                text += f"\n  ... and {self.total - len(self.problems)} more"
        super().__init__(text)


class Problems:
    """Collects problems, keeping the first :data:`MAX_PROBLEMS`; raises them together."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, location: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(location, message))

    def raise_if_any(self) -> None:
        if self.total:
            raise BundleError(self.kept, self.total)


class Locator(Protocol):
    """Names the place of row ``i`` (and a field path inside it) in the source."""

    csv: bool

    def at(self, i: int, loc: Sequence[str | int] = ()) -> str: ...


def _json_path(loc: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


@dataclass(frozen=True)
class JsonList:
    """Rows of a top-level list: ``bundle.json: $.goals[3].due_date``."""

    source: str
    name: str
    csv: bool = False

    def at(self, i: int, loc: Sequence[str | int] = ()) -> str:
        return f"{self.source}: $.{self.name}[{i}]{_json_path(loc)}"


@dataclass(frozen=True)
class JsonNested:
    """Action items inside check-ins: ``bundle.json: $.checkins[2].action_items[0].text``."""

    source: str
    paths: list[tuple[int, int]]
    csv: bool = False

    def at(self, i: int, loc: Sequence[str | int] = ()) -> str:
        ci, j = self.paths[i]
        return f"{self.source}: $.checkins[{ci}].action_items[{j}]{_json_path(loc)}"


@dataclass(frozen=True)
class CsvRows:
    """Rows of a CSV file, numbered as a spreadsheet shows them (the header is row 1)."""

    file: str
    rownos: list[int]
    csv: bool = True

    def at(self, i: int, loc: Sequence[str | int] = ()) -> str:
        where = f"{self.file}: row {self.rownos[i]}"
        if loc:
            where += f", column {loc[0]}"
        if len(loc) > 1:  # an entry of a list cell
            where += f" (item {loc[1]})"
        return where


def shown(value: Any, limit: int = 60) -> str:
    """A short JSON-style rendering of a bad input for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(error: dict[str, Any], *, csv: bool, fields: Sequence[str] = ()) -> str:
    """Turn one pydantic error into a sentence about the value."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    got = f", got {shown(value)}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return f"is not a known field (known: {', '.join(fields)})"
    if value is None:
        return "is required but empty" if csv else "may not be null"
    if kind == "string_type":
        return f"must be text{got}"
    if kind == "string_too_short":
        return "may not be empty"
    if kind == "string_too_long":
        return f"is too long: {len(value)} characters, at most {ctx['max_length']}"
    if kind == "string_pattern_mismatch":
        return f"is not an email address{got}"
    if kind == "literal_error":
        return f"must be one of {ctx['expected'].replace(chr(39), '')}{got}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number{got}"
    if kind == "finite_number":
        return f"must be a finite number{got}"
    if kind in ("greater_than_equal", "less_than_equal"):  # only confidence has bounds
        return f"must be between 0 and 1{got}"
    if kind == "bool_type":
        return f"must be true or false{got}"
    if kind == "list_type":
        return f"must be a JSON array like [\"g1\",\"g2\"]{got}" if csv else f"must be a list{got}"
    if kind == "dict_type":
        return f"must be an object{got}"
    return f"{error['msg']}{got}"  # iso_date's message is ours already

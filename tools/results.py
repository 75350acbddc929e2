"""What a tool hands the model: a short summary and citeable facts."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

REF_KINDS = ("person", "goal", "update", "checkin", "kpi", "feedback", "guide")


@dataclass
class Fact:
    """One self-contained sentence with its numbers, and the record it comes from.

    ``ref`` is ``"<kind>:<record id>"``, e.g. ``"goal:G-17"``, ``"checkin:C-203"``,
    ``"kpi:K-4"``, ``"guide:smart-goals#measurable"``; it is what answers cite.
    """

    ref: str
    text: str
    date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        return d


@dataclass
class ToolResult:
    summary: str
    facts: list[Fact] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def refs(self) -> set[str]:
        return {f.ref for f in self.facts}

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "facts": [f.to_dict() for f in self.facts], "data": self.data}

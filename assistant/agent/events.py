"""What one agent turn streams out, and the result it ends with.

Order: ``tool_start``/``tool_end`` pairs, then ``token`` events (the answer as the model
writes it, without citation markers), then ``citations`` and ``done`` (whose result text
carries the ``[n]`` markers), or a single ``error`` instead of ``done``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass
class Timings:
    first_token: float | None = None
    total: float = 0.0
    model_seconds: float = 0.0
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


@dataclass
class AgentResult:
    answer: str
    citations: list[dict[str, str]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, str]] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    session_id: str | None = None
    job: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": self.citations,
            "tool_calls": self.tool_calls,
            "flags": self.flags,
            "timings": self.timings.to_dict(),
            "session_id": self.session_id,
            "job": self.job,
            "data": self.data,
        }


@dataclass
class Event:
    type: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass
class Token(Event):
    type: ClassVar[str] = "token"
    text: str


@dataclass
class ToolStart(Event):
    type: ClassVar[str] = "tool_start"
    name: str
    args: dict[str, Any]


@dataclass
class ToolEnd(Event):
    type: ClassVar[str] = "tool_end"
    name: str
    ok: bool
    error: str | None = None
    refs: list[str] = field(default_factory=list)


@dataclass
class Citations(Event):
    type: ClassVar[str] = "citations"
    citations: list[dict[str, str]]


@dataclass
class Done(Event):
    type: ClassVar[str] = "done"
    result: AgentResult

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "result": self.result.to_dict()}


@dataclass
class Error(Event):
    type: ClassVar[str] = "error"
    message: str
    session_id: str | None = None

"""What a recognised request becomes: a :class:`Plan` (the job, who it is about, the tool calls).

Understanding a message produces a plan; the job writers (``assistant.agent.jobs``) read it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Mention:
    """Who a request is about: a name to give the tools, and the id when found in reach."""

    name: str
    person_id: str | None = None


@dataclass
class Plan:
    job: str  # answer, coaching, review, goal_check, bias, scope
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    person: Mention | None = None
    text: str = ""  # bias: the review text to check
    period: tuple[dt.date, dt.date] | None = None
    expand: str = ""  # explain_worst / check_goals: follow a list_goals result with per-goal calls


SEVERITY = {"off_track": 0, "at_risk": 1, "unknown": 2, "on_track": 3, "done": 4}
MAX_CHECKED = 2



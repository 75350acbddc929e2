"""Conversation memory: the last few turns, briefly, and the focus (person and goal) so
follow-ups such as "and her KPI?" resolve in code."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.agent.plan import Plan
from assistant.agent.turn import Turn
from tools.store.models import Person

TURN_CHARS = 160
_MARKER = re.compile(r"\s*\[\d+\]")


def history_text(messages: Sequence[Any], limit: int = 4) -> str:
    """The last ``limit`` messages as short lines ("Manager: ..." / "Coach: ...")."""
    lines = []
    for m in list(messages)[-limit:]:
        text = " ".join(_MARKER.sub("", m.content).split())
        if len(text) > TURN_CHARS:
            text = text[: TURN_CHARS - 3].rsplit(" ", 1)[0] + "..."
        lines.append(f"{'Manager' if m.role == 'user' else 'Coach'}: {text}")
    return "\n".join(lines)


def focus_after(turn: Turn, plan: Plan | None) -> dict[str, Any]:
    """The person and goal this turn was about, from the plan and the tools' results."""
    focus: dict[str, Any] = {}
    if plan is not None and plan.person is not None and plan.person.person_id:
        focus.update(person_id=plan.person.person_id, person_name=plan.person.name)
    for result in turn.results:
        person = result.data.get("person")
        if isinstance(person, dict) and person.get("id"):
            focus.update(person_id=person["id"], person_name=person.get("name", ""))
        goal = result.data.get("goal")
        if isinstance(goal, dict) and goal.get("id"):
            focus.update(goal_id=goal["id"], goal_title=goal.get("title", ""))
            owner = goal.get("owner_id")
            if owner and turn.ctx.can_see(owner):
                person_row = turn.ctx.session.get(Person, owner)
                focus.update(person_id=owner, person_name=person_row.name if person_row else "")
    return focus

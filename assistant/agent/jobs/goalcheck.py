"""Goal check: the tools' SMART/OKR findings, listed in code, and a rewrite by the model."""
from __future__ import annotations

from collections.abc import AsyncIterator

from assistant.agent.jobs import Draft, model_text, select_facts
from assistant.agent.plan import Plan
from assistant.agent.turn import Turn


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    draft.facts = select_facts(turn)
    checks = [f for f in draft.facts if not f.ref.startswith("guide:") and (" fails " in f.text or " passes " in f.text)]
    if checks:
        yield "Goal check:\n" + "\n".join(f"- {f.text}" for f in checks) + "\n\n"
    if checks and all(" passes " in f.text for f in checks):
        return
    async for piece in model_text(turn, "goal_check", draft.facts):
        yield piece

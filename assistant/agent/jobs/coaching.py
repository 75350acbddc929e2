"""Coaching questions for the next 1:1, and an agenda in the 1:1 structure (written in code):
goal progress first, then one blocker question, then one action item."""
from __future__ import annotations

from collections.abc import AsyncIterator

from assistant.agent.jobs import Draft, model_text, select_facts
from assistant.agent.routing import SEVERITY, Plan
from assistant.agent.turn import Turn


def agenda(turn: Turn, person: str) -> str:
    """Three agenda items from the gathered records."""
    goals = [g for r in turn.results for g in r.data.get("goals", [])]
    goals.sort(key=lambda g: SEVERITY.get(g.get("status", "unknown"), 2))
    progress = "; ".join(f"'{g['title']}' ({g['status'].replace('_', ' ')})" for g in goals[:2])
    texts = [f.text for f in turn.facts]
    blocker = next((t for t in texts if t.startswith("Blockers raised")), "")
    action = next((t for t in texts if t.startswith("Action item") and "(open" in t), "")
    who = person.split()[0] if person else "them"
    lines = ["Agenda:", f"1. Goal progress: {progress or 'their current goals'}."]
    if blocker:
        lines.append(f"2. Blocker: {blocker.split(': ', 1)[-1].rstrip('.')} - ask {who} what would unblock it.")
    elif goals:
        lines.append(f"2. Blocker: ask {who} what is getting in the way of '{goals[0]['title']}'.")
    else:
        lines.append(f"2. Blocker: ask {who} what is getting in the way.")
    if action:
        lines.append(f"3. Action item: follow up on {action.split(': ', 1)[-1]}")
    else:
        lines.append("3. Action item: agree one next step with an owner and a date.")
    return "\n".join(lines)


def question_outline(turn: Turn) -> list[str]:
    """One question topic per goal most at risk, the blocker, the KPI, and support."""
    goals = sorted((g for r in turn.results for g in r.data.get("goals", [])),
                   key=lambda g: SEVERITY.get(g.get("status", "unknown"), 2))
    topics = [f"an open question about progress on '{' '.join(g['title'].split()[:6])}'" for g in goals[:2]]
    if any(f.text.startswith("Blockers raised") for f in turn.facts):
        topics.append("an open question about what would remove the blocker")
    if any(f.ref.startswith("kpi:") for f in turn.facts):
        topics.append("an open question about the KPI trend")
    topics.append("an open question about what support they need from you")
    return topics[:5]


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    draft.facts = select_facts(turn)
    outline = question_outline(turn)
    async for piece in model_text(turn, "coaching", draft.facts, outline=outline, unit="numbered questions, one per line"):
        yield piece
    yield "\n\n" + agenda(turn, plan.person.name if plan.person else "")

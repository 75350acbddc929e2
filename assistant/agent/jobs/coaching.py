"""Coaching questions for the next 1:1, and an agenda in the 1:1 structure (written in code):
goal progress first, then one blocker question, then one action item.

The model writes the questions; code holds them to the job's shape as each line completes:
only open questions are kept (one per line, renumbered), at most five, and when the model
gives fewer than three, questions about the person's own goals are added."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import aclosing

from assistant.agent.jobs import Draft, model_text, select_facts
from assistant.agent.plan import SEVERITY, Plan
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


MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
# A yes/no question opens with an auxiliary or modal verb ("Do you...", "Is it...", "Can we...").
YES_NO_OPENERS = frozenset(
    """am is are was were do does did have has had can could will would shall should may might must""".split())
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")
_QUESTION = re.compile(r"[^?]*\?(?:\s*\[[^\]\s]+\])*")


def open_question(line: str) -> str | None:
    """The first question of a model's line (list mark and emphasis removed), if it is open."""
    body = _LIST_MARK.sub("", line.strip()).replace("**", "").strip()
    match = _QUESTION.match(body)
    if not match:
        return None
    question = match.group(0).strip().strip('"“”')
    first = re.match(r"[A-Za-z']+", question)
    if not first or first.group(0).lower().split("'")[0] in YES_NO_OPENERS:
        return None
    return question


def own_goal_questions(turn: Turn) -> list[str]:
    """Open questions about the person's own goals, most at risk first, for a short model reply."""
    goals = sorted((g for r in turn.results for g in r.data.get("goals", [])),
                   key=lambda g: SEVERITY.get(g.get("status", "unknown"), 2))
    out = []
    for g in goals[:2]:
        title = " ".join(g["title"].split()[:8])
        out += [f"What would help most to move '{title}' forward before our next 1:1?",
                f"What is getting in the way of '{title}' right now, and what have you tried so far?"]
    out.append("What support do you need from me over the next two weeks?")
    return list(dict.fromkeys(out))


async def _lines(stream: AsyncIterator[str]) -> AsyncIterator[str]:
    rest = ""
    async for piece in stream:
        rest += piece
        *done, rest = rest.split("\n")
        for line in done:
            yield line
    yield rest


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    draft.facts = select_facts(turn)
    outline = question_outline(turn)
    asked: list[str] = []
    stream = model_text(turn, "coaching", draft.facts, outline=outline, unit="numbered questions, one per line")
    async with aclosing(stream), aclosing(_lines(stream)) as lines:  # closing stops the model
        async for line in lines:
            question = open_question(line)
            if question and question.lower() not in {q.lower() for q in asked}:
                asked.append(question)
                yield f"{len(asked)}. {question}\n"
                if len(asked) == MAX_QUESTIONS:
                    break
    for question in own_goal_questions(turn):
        if len(asked) >= MIN_QUESTIONS:
            break
        asked.append(question)
        yield f"{len(asked)}. {question}\n"
    yield "\n" + agenda(turn, plan.person.name if plan.person else "")

"""Writing the answer for each job from the facts gathered this turn.

Each writer yields the answer's text in pieces (model tokens, or lines written in code) and
sets ``draft.facts`` to the facts the answer may cite. Parts that must hold whatever the model
writes (refusals, bias findings, agendas, the recency warning) are written in code.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from assistant.agent import prompts
from assistant.agent.plan import Plan
from assistant.agent.safety import data_block, mentions_wellbeing
from assistant.agent.turn import Turn
from assistant.grounding import SourceFact

PROMPT_CHARS = 2000  # about 500 tokens of facts: prompt length dominates CPU time
ANSWER_CHARS = 1200  # a plain answer: a handful of facts, so the first token comes sooner


@dataclass
class Draft:
    """What a job writer produced besides its text: the facts the answer may cite, and a
    clean-up applied to the whole text before grounding (the streamed text is not changed)."""

    facts: list[SourceFact] = field(default_factory=list)
    postprocess: Callable[[str], str] | None = None


def select_facts(turn: Turn, facts: list[SourceFact] | None = None, budget: int = PROMPT_CHARS) -> list[SourceFact]:
    """Facts for the prompt within ``budget`` characters, taking each tool's facts in turn so
    every tool is represented; relabelled 1..n in their original order."""
    pool = turn.facts if facts is None else facts
    groups = [turn.facts_of(r) for r in turn.results] if facts is None else [pool]
    chosen: set[tuple[str, str]] = set()
    used = 0
    for depth in range(max((len(g) for g in groups), default=0)):
        for group in groups:
            if depth < len(group):
                key, cost = (group[depth].ref, group[depth].text), len(group[depth].text) + 8
                if key not in chosen and used + cost <= budget:
                    chosen.add(key)
                    used += cost
    kept = [f for f in pool if (f.ref, f.text) in chosen]
    return [SourceFact(str(i), f.ref, f.text, f.date) for i, f in enumerate(kept, 1)]


TOOL_OUTLINE = {
    "list_goals": "how their goals stand, with the numbers",
    "last_checkin": "what the latest 1:1 covered, with any blocker or open action item",
    "search_checkins": "what the recent 1:1 notes say",
    "feedback_for": "what the feedback says",
    "kpi_trend": "how the KPI moved, with its change",
}


def outline_for(turn: Turn, facts: list[SourceFact]) -> list[str]:
    """The sentences an answer should have, by the tools that answered (two or more) or, for
    "why is this goal off track?", by the kinds of facts at hand."""
    answered = [c.name for c in turn.calls if c.ok]
    if "explain_goal" in answered:
        return explain_outline(facts)
    parts = list(dict.fromkeys(TOOL_OUTLINE[name] for name in answered if name in TOOL_OUTLINE))
    return parts if len(parts) >= 2 else []


def explain_outline(facts: list[SourceFact]) -> list[str]:
    """What a "why is this goal off track?" answer should say, by the kinds of facts at hand."""
    texts = [f.text.lower() for f in facts]
    parts = []
    if any("pace" in t or "behind" in t for t in texts):
        parts.append("how far behind plan the goal is, with the numbers")
    if any("blocker" in t for t in texts):
        parts.append("the blocker named in the 1:1 notes")
    if any(f.ref.startswith("kpi:") for f in facts):
        parts.append("what the linked KPI shows, with its change")
    return parts if len(parts) >= 2 else []


async def model_text(turn: Turn, job: str, facts: list[SourceFact], *, request: str | None = None,
                     outline: list[str] = (), unit: str = "short sentences") -> AsyncIterator[str]:
    """Stream the model's text for ``job`` over ``facts`` (fenced, labelled, neutralised)."""
    supportive = any(mentions_wellbeing(f.text) for f in facts)
    messages = prompts.answer_messages(job, request or turn.question, data_block(facts), history=turn.history,
                                       supportive=supportive, outline=outline, unit=unit)
    written = []
    before = turn.meter.timings.completion_tokens
    async for piece in turn.meter.stream(turn.model.bind(max_tokens=prompts.MAX_TOKENS[job]), messages):
        written.append(piece)
        yield piece
    turn.data["hit_token_limit"] = turn.meter.timings.completion_tokens - before >= prompts.MAX_TOKENS[job]
    if supportive and job == "answer" and "support" not in "".join(written).lower():
        yield "\n\n" + prompts.SUPPORTIVE_NOTE


_FINISHED = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_LAST_STOP = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")


def without_unfinished_sentence(text: str) -> str:
    """``text`` without its last sentence when that was cut off mid-way (applied when the model
    hit its token limit): "... from 2025-12-15 to 202" ends at the sentence before. Text with no
    full stop stays."""
    if _FINISHED.search(text):
        return text
    stops = list(_LAST_STOP.finditer(text))
    return text[: stops[-1].end()] if stops else text


def failure_text(turn: Turn, routed: bool) -> str | None:
    """A code-written answer when the request cannot be answered: a refusal when a routed
    request is about someone out of reach (or anyone is, and no facts came back), or what
    the tools said when no facts came back."""
    out_of_reach = any(c.out_of_reach for c in turn.calls)
    if out_of_reach and (routed or not turn.facts):
        return prompts.REFUSAL
    if turn.facts:
        return None
    errors = [c.error for c in turn.calls if c.error]
    if errors:
        return "I could not look that up: " + " ".join(dict.fromkeys(errors))
    return prompts.NO_FACTS


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    """Dispatch to the job's writer."""
    from assistant.agent.jobs import bias, coaching, goalcheck, review

    if plan.job == "scope":
        yield prompts.SCOPE
        return
    if plan.job == "bias":
        async for piece in bias.write(turn, plan, draft):
            yield piece
        return
    failed = failure_text(turn, routed=turn.plan is not None)
    if failed:
        yield failed
        return
    writer = {"coaching": coaching.write, "review": review.write, "goal_check": goalcheck.write}.get(plan.job)
    if writer is not None:
        async for piece in writer(turn, plan, draft):
            yield piece
        return
    draft.facts = select_facts(turn, budget=ANSWER_CHARS)
    draft.postprocess = lambda text: without_unfinished_sentence(text) if turn.data.get("hit_token_limit") else text
    async for piece in model_text(turn, "answer", draft.facts, outline=outline_for(turn, draft.facts)):
        yield piece

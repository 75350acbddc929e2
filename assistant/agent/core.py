"""One agent turn, from a message to a grounded, cited answer, as a stream of events.

Route in code when the request is recognised (one model call: the answer), otherwise let the
model gather facts with a tool loop; then write the answer with its own short prompt, stream
it, attach citations in code and check it against this turn's facts.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

from assistant.agent import jobs, routing
from assistant.agent.events import AgentResult, Citations, Done, Event, Token
from assistant.agent.loop import MaxTurnsExceeded, json_loop, native_loop, step_schema
from assistant.agent.plan import Plan
from assistant.agent.turn import Turn
from assistant.grounding import Flag, ground

LOOP_MODES = ("native", "json")
# Answers are plain text: drop headings and **bold**/__bold__ around words, but never touch
# markers inside words or quoted data (``window.__xss``, ``snake__case``).
HEADING = re.compile(r"^#{1,6}\s+", re.M)
EMPHASIS = re.compile(r"(?<!\w)(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain_text(text: str) -> str:
    return EMPHASIS.sub(r"\2", HEADING.sub("", text)).strip()


async def gather(turn: Turn, plan: Plan | None, *, mode: str, max_turns: int,
                 response_format: dict[str, Any] | None) -> AsyncIterator[Event]:
    """Run the plan's tool calls, or the tool loop when there is no plan."""
    if plan is not None:
        for name, args in plan.calls:
            async for event in turn.tool_events(name, args):
                yield event
        for name, args in routing.follow_up(plan, turn.results):
            async for event in turn.tool_events(name, args):
                yield event
        return
    if mode not in LOOP_MODES:
        raise ValueError(f"loop mode must be one of {LOOP_MODES}, got {mode!r}")
    if mode == "json":
        loop = json_loop(turn, max_turns, response_format=response_format or {"type": "json_object", "schema": step_schema(turn.tools)})
    else:
        loop = native_loop(turn, max_turns)
    try:
        async for event in loop:
            yield event
    except MaxTurnsExceeded as exc:
        if not turn.facts:
            raise
        turn.flags.append(Flag("max_turns", str(exc)))


async def run_turn(
    turn: Turn,
    *,
    mode: str = "native",
    max_turns: int = 4,
    focus: dict[str, Any] | None = None,
    last_answer: str = "",
    response_format: dict[str, Any] | None = None,
) -> AsyncIterator[Event]:
    """Answer ``turn.question``: tool events, tokens, then ``citations`` and ``done``.

    ``mode`` picks the tool loop for unrecognised requests ("native" tool calling or "json"
    steps; ``response_format`` overrides the JSON steps' format). Errors propagate: the
    caller turns them into an ``error`` event.
    """
    plan = routing.plan(turn.ctx, turn.question, focus or {}, set(turn.tools), last_answer)
    turn.plan = plan
    async for event in gather(turn, plan, mode=mode, max_turns=max_turns, response_format=response_format):
        yield event
    plan = plan or Plan("answer")
    draft = jobs.Draft()
    pieces: list[str] = []
    async for piece in jobs.write(turn, plan, draft):
        if turn.meter.timings.first_token is None:
            turn.meter.timings.first_token = turn.meter.elapsed()
        pieces.append(piece)
        yield Token(piece)
    text = plain_text("".join(pieces))
    if draft.postprocess is not None:
        text = draft.postprocess(text)
    citations: list[dict[str, str]] = []
    if draft.facts:
        tool_output = [r.summary for r in turn.results] + [f.text for f in turn.facts]
        grounded = ground(text, draft.facts, context=tool_output)
        text, citations = grounded.text, grounded.citations
        turn.flags.extend(grounded.flags)
    turn.meter.timings.total = turn.meter.elapsed()
    result = AgentResult(
        answer=text,
        citations=citations,
        tool_calls=[c.to_dict() for c in turn.calls],
        flags=[f.to_dict() for f in turn.flags],
        timings=turn.meter.timings,
        job=plan.job,
        data=turn.data,
    )
    yield Citations(citations)
    yield Done(result)

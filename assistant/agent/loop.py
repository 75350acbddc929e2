"""The two tool loops that gather facts when routing in code does not recognise a request.

- :func:`native_loop` for models with reliable tool calling (OpenAI and compatible servers):
  ``bind_tools`` and loop on the reply's ``tool_calls``.
- :func:`json_loop` for the embedded model: each step is schema-constrained JSON
  ``{"tool": ..., "args": {...}}``; arguments are validated in code and errors fed back.

Both only gather facts; the answer is written afterwards by its own prompt. Both stop after
``max_turns`` steps with :class:`MaxTurnsExceeded`; the JSON loop also stops when the model
repeats a call it already made (no new facts can come of it).
"""
from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage

from assistant.agent.prompts import NATIVE_SYSTEM, STEP_SYSTEM
from assistant.agent.safety import data_block, neutralise
from assistant.agent.toolset import AgentTool
from assistant.agent.turn import Turn

ANSWER = "answer"


class MaxTurnsExceeded(RuntimeError):
    """The model kept calling tools past the step limit (``COACH_MAX_TURNS``)."""

    def __init__(self, max_turns: int):
        super().__init__(
            f"The assistant stopped after {max_turns} tool steps without finishing "
            "(COACH_MAX_TURNS). Try a more specific question."
        )
        self.max_turns = max_turns


def step_schema(tools: dict[str, AgentTool]) -> dict[str, Any]:
    """One JSON object per step: a tool's name with exactly its arguments, or ``answer``."""
    options = [
        {
            "type": "object",
            "properties": {"tool": {"const": name}, "args": tool.parameters()},
            "required": ["tool", "args"],
            "additionalProperties": False,
        }
        for name, tool in sorted(tools.items())
    ]
    options.append(
        {
            "type": "object",
            "properties": {"tool": {"const": ANSWER}, "args": {"type": "object", "properties": {}, "additionalProperties": False}},
            "required": ["tool", "args"],
            "additionalProperties": False,
        }
    )
    return {"anyOf": options}


def step_system(tools: dict[str, AgentTool]) -> str:
    lines = "\n".join(f"- {t.signature_text()}: {t.summary}" for _, t in sorted(tools.items()))
    return STEP_SYSTEM.format(tools=lines)


def parse_step(text: str) -> tuple[str, dict[str, Any]]:
    """``(tool, args)`` from a JSON step; ``ValueError`` with a readable reason otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"The step was not valid JSON ({exc.msg}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("tool"), str):
        raise ValueError('The step must be an object like {"tool": "name", "args": {}}.')
    args = data.get("args") or {}
    if not isinstance(args, dict):
        raise ValueError('"args" must be an object.')
    return data["tool"], args


def _outcome(turn: Turn) -> str:
    result, record = turn.last
    if result is None:
        return f"error: {record.error}"
    return "ok: " + neutralise(result.summary)


async def json_loop(turn: Turn, max_turns: int, *, response_format: dict[str, Any]) -> AsyncIterator[Any]:
    """Gather facts with JSON steps; yields tool events."""
    model = turn.model.bind(response_format=response_format)
    system = SystemMessage(step_system(turn.tools))
    steps: list[str] = []
    made: set[str] = set()
    for _ in range(max_turns):
        context = f"Earlier in this conversation:\n{turn.history}\n\n" if turn.history else ""
        done = "\n".join(steps) if steps else "(none yet)"
        prompt = HumanMessage(f"{context}Question: {turn.question}\nSteps so far:\n{done}\nNext step:")
        reply = await turn.meter.invoke(model, [system, prompt])
        try:
            name, args = parse_step(str(reply.content))
        except ValueError as exc:
            steps.append(f"{len(steps) + 1}. invalid step -> error: {exc}")
            continue
        if name == ANSWER:
            return
        key = json.dumps([name, args], sort_keys=True)
        if key in made:
            return
        made.add(key)
        shown = json.dumps(args, ensure_ascii=False)
        async for event in turn.tool_events(name, args):
            yield event
        steps.append(f"{len(steps) + 1}. {name}({shown}) -> {_outcome(turn)}")
    raise MaxTurnsExceeded(max_turns)


async def native_loop(turn: Turn, max_turns: int) -> AsyncIterator[Any]:
    """Gather facts with native tool calls; yields tool events."""
    model = turn.model.bind_tools([t.openai_spec() for t in turn.tools.values()])
    context = f"Earlier in this conversation:\n{turn.history}\n\n" if turn.history else ""
    messages: list[Any] = [SystemMessage(NATIVE_SYSTEM), HumanMessage(f"{context}{turn.question}")]
    for _ in range(max_turns):
        reply = await turn.meter.invoke(model, messages)
        if not reply.tool_calls:
            return
        messages.append(reply)
        for call in reply.tool_calls:
            async for event in turn.tool_events(call["name"], call.get("args") or {}):
                yield event
            result, record = turn.last
            if result is not None:
                content = neutralise(result.summary) + "\n" + data_block(turn.facts_of(result))
            else:
                content = f"Error: {record.error}"
            messages.append(ToolMessage(content=content, tool_call_id=call.get("id") or call["name"]))
    raise MaxTurnsExceeded(max_turns)

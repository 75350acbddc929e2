"""The state of one agent turn: tools called, facts gathered, model calls measured."""
from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.runnables import Runnable

from assistant.agent.events import Timings, ToolEnd, ToolStart
from assistant.agent.toolset import AgentTool, ToolCall
from assistant.grounding import Flag, SourceFact, facts_from_results
from tools.context import ToolContext
from tools.results import ToolResult


@dataclass
class Meter:
    """Counts model calls, their tokens and the seconds spent inside the model."""

    timings: Timings = field(default_factory=Timings)
    started: float = field(default_factory=time.perf_counter)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _add(self, seconds: float, usage: dict[str, Any] | None) -> None:
        self.timings.model_calls += 1
        self.timings.model_seconds += seconds
        if usage:
            self.timings.prompt_tokens += int(usage.get("input_tokens", 0))
            self.timings.completion_tokens += int(usage.get("output_tokens", 0))

    async def invoke(self, model: Runnable, messages: Sequence[BaseMessage]) -> AIMessage:
        t0 = time.perf_counter()
        message = await model.ainvoke(list(messages))
        self._add(time.perf_counter() - t0, getattr(message, "usage_metadata", None))
        return message

    async def stream(self, model: Runnable, messages: Sequence[BaseMessage]) -> AsyncIterator[str]:
        """Yield the reply's text pieces as they come; usage is read from the merged chunks."""
        t0 = time.perf_counter()
        usage: dict[str, int] = {}
        try:
            async for chunk in model.astream(list(messages)):
                if isinstance(chunk, AIMessageChunk) and chunk.usage_metadata:
                    for key in ("input_tokens", "output_tokens"):
                        usage[key] = usage.get(key, 0) + int(chunk.usage_metadata.get(key, 0))
                text = chunk.content if isinstance(chunk.content, str) else ""
                if text:
                    yield text
        finally:
            self._add(time.perf_counter() - t0, usage)


@dataclass
class Turn:
    """One user message being answered: its context, tools, gathered results and flags."""

    ctx: ToolContext
    tools: dict[str, AgentTool]
    model: BaseChatModel
    question: str
    history: str = ""
    meter: Meter = field(default_factory=Meter)
    results: list[ToolResult] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # job output for the result (e.g. bias findings)
    plan: Any = None  # the routing.Plan, when the request was recognised

    def run_tool(self, name: str, args: dict[str, Any]) -> tuple[ToolResult | None, ToolCall]:
        """Call a tool for this turn's viewer; unknown names are an error for the model to read."""
        tool = self.tools.get(name)
        if tool is None:
            known = ", ".join(sorted(self.tools))
            record = ToolCall(name, dict(args), ok=False, error=f"There is no tool {name!r}. Tools: {known}.")
            result = None
        else:
            result, record = tool.call(self.ctx, args)
        self.calls.append(record)
        if result is not None:
            self.results.append(result)
        return result, record

    async def tool_events(self, name: str, args: dict[str, Any]) -> AsyncIterator[Any]:
        """Run a tool between ``tool_start`` and ``tool_end`` events."""
        yield ToolStart(name, dict(args))
        _, record = self.run_tool(name, args)
        yield ToolEnd(name, record.ok, record.error, record.refs)

    @property
    def last(self) -> tuple[ToolResult | None, ToolCall]:
        """The latest call's result (``None`` if it failed) and its record."""
        record = self.calls[-1]
        return (self.results[-1] if record.ok else None), record

    @property
    def facts(self) -> list[SourceFact]:
        """Every distinct fact returned this turn, labelled 1, 2, 3... in arrival order."""
        return facts_from_results(self.results)

    def facts_of(self, result: ToolResult) -> list[SourceFact]:
        keys = {(f.ref, f.text) for f in result.facts}
        return [f for f in self.facts if (f.ref, f.text) in keys]

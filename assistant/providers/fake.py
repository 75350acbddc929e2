"""A scripted chat model: the one fake every test, the web app and the evals share.

It replays a script of steps, records every call, streams content in small chunks and
reports token usage, so the agent's code paths (tool calling, JSON steps, streaming)
run exactly as with a real model, only instantly and deterministically.

A step is one of:
- a string: the reply's text;
- a dict ``{"content": str, "tool_calls": [{"name": ..., "args": {...}}]}``;
- an :class:`~langchain_core.messages.AIMessage`;
- a callable ``fn(messages)`` or ``fn(messages, options)`` returning any of the above,
  where ``options`` holds what the call was bound with (``tools``, ``response_format``...).
"""
from __future__ import annotations

import inspect
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field, PrivateAttr

_CHUNK = re.compile(r"\S+\s*|\s+")
_FACT_LINE = re.compile(r"^\[(\w+)\]\s+(.+)$", re.M)
SCOPE_REPLY = "I can only help with your team's goals, 1:1s, KPIs, feedback and reviews."


class ScriptExhausted(RuntimeError):
    """The model was called more often than its script has steps."""


@dataclass
class RecordedCall:
    messages: list[BaseMessage]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All message contents of the call, joined (handy for assertions)."""
        return "\n".join(str(m.content) for m in self.messages)


def _approx_tokens(text: str) -> int:
    return max(1, len(text) // 4) if text else 0


def _to_message(step: Any) -> AIMessage:
    if isinstance(step, AIMessage):
        return step
    if isinstance(step, str):
        return AIMessage(content=step)
    if isinstance(step, dict):
        calls = [
            {"name": c["name"], "args": dict(c.get("args", {})), "id": c.get("id") or f"call_{i}", "type": "tool_call"}
            for i, c in enumerate(step.get("tool_calls", []))
        ]
        return AIMessage(content=step.get("content", ""), tool_calls=calls)
    raise TypeError(f"a script step must be str, dict, AIMessage or callable, got {type(step).__name__}")


class ScriptedChatModel(BaseChatModel):
    """Replays ``script`` step by step; then ``responder`` (if given) answers every further call."""

    script: list[Any] = Field(default_factory=list)
    responder: Callable[..., Any] | None = None
    token_delay: float = 0.0
    calls: list[RecordedCall] = Field(default_factory=list)
    _position: int = PrivateAttr(default=0)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def remaining(self) -> int:
        return len(self.script) - self._position

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any):
        formatted = [convert_to_openai_tool(t) for t in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=formatted, **kwargs)

    def _next_step(self, messages: list[BaseMessage], options: dict[str, Any]) -> AIMessage:
        self.calls.append(RecordedCall(list(messages), dict(options)))
        if self._position < len(self.script):
            step = self.script[self._position]
            self._position += 1
        elif self.responder is not None:
            step = self.responder
        else:
            raise ScriptExhausted(
                f"ScriptedChatModel was called {len(self.calls)} times but its script has "
                f"{len(self.script)} steps; last message: {str(messages[-1].content)[:200]!r}"
            )
        if callable(step) and not isinstance(step, AIMessage):
            wants_options = len(inspect.signature(step).parameters) >= 2
            step = step(messages, options) if wants_options else step(messages)
        msg = _to_message(step)
        prompt = "".join(str(m.content) for m in messages)
        out = str(msg.content) + "".join(json.dumps(c["args"]) for c in msg.tool_calls)
        usage = {"input_tokens": _approx_tokens(prompt), "output_tokens": _approx_tokens(out)}
        usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
        return AIMessage(content=msg.content, tool_calls=msg.tool_calls, usage_metadata=usage)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next_step(messages, kwargs))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        msg = self._next_step(messages, kwargs)
        for piece in _CHUNK.findall(str(msg.content)):
            if self.token_delay:
                time.sleep(self.token_delay)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
        tool_chunks = [
            {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i}
            for i, c in enumerate(msg.tool_calls)
        ]
        yield ChatGenerationChunk(
            message=AIMessageChunk(content="", tool_call_chunks=tool_chunks, usage_metadata=msg.usage_metadata)
        )


def answer_from_facts(messages: list[BaseMessage], options: dict[str, Any]) -> str:
    """A deterministic stand-in for a model: picks "answer" in JSON steps, otherwise
    restates the first two facts labelled ``[n]`` in the prompt, or states its scope."""
    if options.get("response_format"):
        return json.dumps({"tool": "answer", "args": {}})
    facts = _FACT_LINE.findall("\n".join(str(m.content) for m in messages[-1:]))
    if not facts:
        return SCOPE_REPLY
    return " ".join(text.strip().rstrip(".") + "." for _, text in facts[:2])


def scripted_from_settings(settings: Any = None, *, token_delay: float = 0.0) -> ScriptedChatModel:
    """The model behind ``COACH_LLM_PROVIDER=fake``: an instant model that answers from the facts given."""
    return ScriptedChatModel(responder=answer_from_facts, token_delay=token_delay)

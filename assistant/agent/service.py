"""The agent for callers: a conversation-aware event stream over a :class:`~assistant.runtime.Runtime`.

``stream_reply(runtime, viewer, session_id, message)`` stores the user's message first (so it
survives a model failure), runs one turn, stores the answer with its citations and the
conversation's new focus, and yields the turn's events. ``reply`` does the same synchronously
and returns the :class:`AgentResult` (or raises :class:`AgentFailed`).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.agent.core import run_turn
from assistant.agent.events import AgentResult, Done, Error, Event
from assistant.agent.loop import MaxTurnsExceeded, step_schema
from assistant.agent.memory import focus_after, history_text
from assistant.agent.toolset import AgentTool, registry_tools
from assistant.agent.turn import Turn
from tools.access import ToolError, Viewer
from tools.context import ToolContext, data_today
from tools.store.conversations import (
    add_message,
    get_conversation,
    recent_messages,
    set_focus,
    start_conversation,
)

HISTORY_MESSAGES = 4
log = logging.getLogger(__name__)
_models: dict[int, tuple[Any, BaseChatModel]] = {}


class AgentFailed(RuntimeError):
    def __init__(self, message: str, session_id: str | None = None):
        super().__init__(message)
        self.session_id = session_id


class LazyGuidance:
    """Opens the runtime's guidance index only when a tool searches it."""

    def __init__(self, runtime: Any):
        self._runtime = runtime

    def search(self, query: str, k: int = 4) -> list[Any]:
        return self._runtime.guidance.search(query, k)


def chat_model(settings: Any) -> BaseChatModel:
    """The chat model for ``settings``, built once per settings object."""
    cached = _models.get(id(settings))
    if cached is None or cached[0] is not settings:
        from assistant.providers import build_chat_model

        cached = (settings, build_chat_model(settings))
        _models[id(settings)] = cached
    return cached[1]


def loop_mode(settings: Any) -> str:
    """JSON steps for the embedded model (no reliable tool calling), native calls otherwise."""
    return "json" if settings.llm_provider in ("local", "local-small") else "native"


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, (ToolError, MaxTurnsExceeded)):
        return str(exc)
    from assistant.providers.errors import describe_model_error

    return describe_model_error(exc)


async def stream_reply(
    runtime: Any,
    viewer: Viewer,
    session_id: str | None,
    message: str,
    *,
    model: BaseChatModel | None = None,
    tools: dict[str, AgentTool] | None = None,
) -> AsyncIterator[Event]:
    """Answer ``message`` from ``viewer`` in conversation ``session_id`` (``None``: a new one).

    Yields ``tool_start``/``tool_end``, ``token``, ``citations`` and ``done`` events, or an
    ``error`` event (with the session id) instead of ``done``.
    """
    message = (message or "").strip()
    if not message:
        yield Error("Type a question first.", session_id)
        return
    with runtime.sessions() as session:
        try:
            conv = get_conversation(session, session_id, viewer.person_id) if session_id else \
                start_conversation(session, viewer.person_id)
        except ToolError as exc:
            yield Error(str(exc), session_id)
            return
        earlier = recent_messages(session, conv, HISTORY_MESSAGES)
        last_answer = next((m.content for m in reversed(earlier) if m.role == "assistant"), "")
        add_message(session, conv, "user", message)
        session.commit()
        try:
            settings = runtime.settings
            turn = Turn(
                ctx=ToolContext(session, viewer, today=data_today(session), guidance=LazyGuidance(runtime)),
                tools=tools if tools is not None else registry_tools(),
                model=model if model is not None else chat_model(settings),
                question=message,
                history=history_text(earlier),
            )
            mode = loop_mode(settings)
            response_format = None
            if mode == "json":
                from assistant.providers import json_format

                response_format = json_format(turn.model, step_schema(turn.tools), name="step")
            async for event in run_turn(turn, mode=mode, max_turns=settings.max_turns, focus=dict(conv.focus or {}),
                                        last_answer=last_answer, response_format=response_format):
                if isinstance(event, Done):
                    event.result.session_id = conv.id
                    add_message(session, conv, "assistant", event.result.answer,
                                citations=event.result.citations, tool_calls=event.result.tool_calls)
                    set_focus(conv, **focus_after(turn, turn.plan))
                    session.commit()
                yield event
        except Exception as exc:  # every failure becomes one clear error event
            session.rollback()
            if not isinstance(exc, (ToolError, MaxTurnsExceeded)):
                log.warning("The turn failed", exc_info=exc)
            yield Error(describe_error(exc), conv.id)


def reply(
    runtime: Any,
    viewer: Viewer,
    message: str,
    session_id: str | None = None,
    *,
    on_event: Callable[[Event], None] | None = None,
    **kwargs: Any,
) -> AgentResult:
    """Synchronous :func:`stream_reply`: the result, or :class:`AgentFailed` on an error event."""

    async def collect() -> AgentResult:
        async for event in stream_reply(runtime, viewer, session_id, message, **kwargs):
            if on_event is not None:
                on_event(event)
            if isinstance(event, Done):
                return event.result
            if isinstance(event, Error):
                raise AgentFailed(event.message, event.session_id)
        raise AgentFailed("The agent ended without an answer.", session_id)

    return asyncio.run(collect())

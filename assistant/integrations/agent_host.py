"""The agent as integrations run it: the same :func:`~assistant.agent.service.stream_reply` as the
web widget, with the host's chat model and its limit on turns running at once."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import anyio

from assistant.agent.events import AgentResult, Done, Error, Event
from assistant.agent.service import stream_reply
from assistant.agent.toolset import AgentTool, registry_tools
from tools.access import Viewer
from tools.errors import ToolError


@dataclass
class Backend:
    """What an integration needs from its host: the runtime and, under ``coach serve``, the
    worker's chat model and turn slots (so integrations share the widget's limits)."""

    runtime: Any
    model: Callable[[], Any] | None = None  # None: the settings' model, built on first use
    turn_slots: Callable[[], contextlib.AbstractAsyncContextManager] | None = None
    tools: Callable[[], dict[str, AgentTool]] = registry_tools
    base_url: str = ""  # where record links point
    admit: Callable[[str], None] | None = None  # the host's per-person limit on model work (ToolError past it)


async def agent_events(backend: Backend, viewer: Viewer, message: str,
                       conversation_id: str | None = None) -> AsyncIterator[Event]:
    """The agent's events for ``message`` from ``viewer``, exactly as the widget receives them (one
    ``error`` event when the host's limit on model work refuses it)."""
    if backend.admit is not None:
        try:
            await anyio.to_thread.run_sync(backend.admit, viewer.person_id)
        except ToolError as exc:
            yield Error(str(exc), conversation_id)
            return
    model = await anyio.to_thread.run_sync(backend.model) if backend.model else None
    slots = backend.turn_slots() if backend.turn_slots else contextlib.nullcontext()
    async with slots:
        stream = stream_reply(backend.runtime, viewer, conversation_id, message, model=model, tools=backend.tools())
        async with contextlib.aclosing(stream) as events:
            async for event in events:
                yield event


async def agent_answer(backend: Backend, viewer: Viewer, message: str,
                       conversation_id: str | None = None) -> AgentResult:
    """The whole answer; :class:`ToolError` with the agent's message when it fails."""
    async for event in agent_events(backend, viewer, message, conversation_id):
        if isinstance(event, Done):
            return event.result
        if isinstance(event, Error):
            raise ToolError(event.message)
    raise ToolError("Coach ended without an answer.")

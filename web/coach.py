"""The web side of the agent: its events as JSON for the browser, and whole answers for pages.

Events keep the agent's names (``token``, ``tool_start``, ``tool_end``, ``citations``,
``done``, ``error``); ``tool_start`` gains a readable ``label`` ("looking up Dana's goals")
and every citation a ``url`` to the cited record's page.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from assistant.agent import AgentFailed, AgentResult, Done, Error, Event, stream_reply
from assistant.agent.labels import tool_label
from assistant.integrations.links import with_urls  # noqa: F401  (the routes use coach.with_urls)
from assistant.providers import ModelUnavailable
from tools.access import Viewer

MARKER = re.compile(r"\s*\[\d+\]")


def event_json(event: Event, base_url: str) -> tuple[str, dict[str, Any]]:
    """``(event name, data)`` for one agent event."""
    data = event.to_dict()
    kind = data.pop("type")
    if kind == "tool_start":
        data["label"] = tool_label(data["name"], data.get("args") or {})
        data.pop("args", None)  # the label says enough; arguments may hold pasted text
    elif kind == "tool_end":
        data.pop("refs", None)
    elif kind == "citations":
        data["citations"] = with_urls(data["citations"], base_url)
    elif kind == "done":
        result = data.pop("result")
        data = {"answer": result["answer"], "citations": with_urls(result["citations"], base_url),
                "session_id": result["session_id"], "flags": result["flags"], "job": result["job"],
                "timings": result["timings"]}
    return kind, data


async def events(state: Any, viewer: Viewer, message: str, session_id: str | None,
                 base_url: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """The agent's answer to ``message`` as ``(event, data)`` pairs (after waiting for a free turn slot)."""
    try:
        model = state.chat_model or await run_in_threadpool(state.model)  # a local model loads for a while
    except ModelUnavailable as exc:
        yield "error", {"message": str(exc), "session_id": session_id}
        return
    async with state.turn_slots():
        async for event in stream_reply(state.runtime, viewer, session_id, message, model=model, tools=state.tools()):
            yield event_json(event, base_url)


async def answer(state: Any, viewer: Viewer, message: str) -> AgentResult:
    """A whole answer in a new conversation (for page actions), or :class:`AgentFailed`."""
    try:
        model = state.chat_model or await run_in_threadpool(state.model)
    except ModelUnavailable as exc:
        raise AgentFailed(str(exc)) from exc
    async with state.turn_slots():
        async for event in stream_reply(state.runtime, viewer, None, message, model=model, tools=state.tools()):
            if isinstance(event, Done):
                return event.result
            if isinstance(event, Error):
                raise AgentFailed(event.message, event.session_id)
    raise AgentFailed("Coach ended without an answer.")


def plain(text: str) -> str:
    """An answer without its ``[n]`` citation markers (for editable drafts)."""
    return MARKER.sub("", text).strip()

"""The web side of the agent: its events as JSON for the browser, and whole answers for pages.

Events keep the agent's names (``token``, ``tool_start``, ``tool_end``, ``citations``,
``done``, ``error``); ``tool_start`` gains a readable ``label`` ("looking up Dana's goals")
and every citation a ``url`` to the cited record's page.
"""
from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from assistant.agent import AgentFailed, AgentResult, Done, Error, Event, stream_reply
from assistant.agent.labels import tool_label
from assistant.integrations.links import with_urls  # noqa: F401  (the routes use coach.with_urls)
from assistant.providers import ModelUnavailable
from tools.access import Viewer
from web.throttle import Limited

MARKER = re.compile(r"\s*\[\d+\]")
log = logging.getLogger(__name__)
#: What a person sees when an answer fails: never the model server's address or the exception's text
#: (those go to the server log).
PUBLIC_ERROR = ("Coach could not reach its language model, so there is no answer this time. Try again in a "
                "minute; if it keeps failing, your administrator will find the cause in the server log.")


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
    elif kind == "error":
        log.warning("chat answer failed: %s", data.get("message"))  # the detail is for the server log only
        data["message"] = PUBLIC_ERROR
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
        log.warning("chat model unavailable: %s", exc)
        yield "error", {"message": PUBLIC_ERROR, "session_id": session_id}
        return
    async with state.turn_slots():
        async for event in stream_reply(state.runtime, viewer, session_id, message, model=model, tools=state.tools()):
            yield event_json(event, base_url)


async def answer(state: Any, viewer: Viewer, message: str) -> AgentResult:
    """A whole answer in a new conversation (for page actions), or :class:`AgentFailed` (also past the
    per-minute limit on answers)."""
    try:
        model = state.chat_model or await run_in_threadpool(state.model)
    except ModelUnavailable as exc:
        log.warning("chat model unavailable: %s", exc)
        raise AgentFailed(PUBLIC_ERROR) from exc
    try:
        await run_in_threadpool(state.throttle.model_work, viewer.person_id)
    except Limited as exc:
        raise AgentFailed(exc.message) from None
    async with state.turn_slots():
        async for event in stream_reply(state.runtime, viewer, None, message, model=model, tools=state.tools()):
            if isinstance(event, Done):
                return event.result
            if isinstance(event, Error):
                log.warning("page answer failed: %s", event.message)
                raise AgentFailed(PUBLIC_ERROR, event.session_id)
    raise AgentFailed("Coach ended without an answer.")


def plain(text: str) -> str:
    """An answer without its ``[n]`` citation markers (for editable drafts)."""
    return MARKER.sub("", text).strip()


def admit(state: Any):
    """The web's per-person limit on answers, for integrations the web app hosts (MCP, Slack)."""
    from tools.errors import ToolError

    def check(person_id: str) -> None:
        try:
            state.throttle.model_work(person_id)
        except Limited as exc:
            raise ToolError(exc.message) from None

    return check

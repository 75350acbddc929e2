"""The chat endpoint: POST a message, receive the answer as server-sent events.

The first event, ``session``, names the conversation so follow-ups (and a stopped answer)
keep it; then come the agent's ``tool_start``/``tool_end``, ``token``, ``citations`` and
``done`` (or ``error``) events. Closing the request stops the answer on the server; what was
written so far is kept in the conversation, marked as stopped.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from tools.store.conversations import ConversationNotFound, add_message, get_conversation, start_conversation
from web import coach
from web.api_common import PathId
from web.deps import Auth, State, StreamAuth, WebState
from web.schemas import ChatIn
from web.sse import framed, sse_response
from web.throttle import Limited

router = APIRouter(prefix="/api", tags=["chat"])
STOPPED = " (stopped)"

EVENT_NAMES = ["session", "tool_start", "tool_end", "token", "citations", "done", "error"]
SSE_DOC = {
    200: {"description": "Server-sent events: session, tool_start, tool_end, token, citations, then done or error. "
                         "Each event's data is one JSON object.",
          "content": {"text/event-stream": {"schema": {
              "type": "object", "required": ["event", "data"],
              "properties": {"event": {"type": "string", "enum": EVENT_NAMES},
                             "data": {"type": "string", "description": "A JSON object; its fields depend on the event."}},
          }}}},
    401: {"description": "Not signed in, or the API token is unknown"},
    404: {"description": "No such conversation of yours"},
    429: {"description": "Too many answers asked for this minute, or too many at once; see Retry-After"},
}


def _conversation(state: WebState, auth: Auth, conversation_id: str | None, title: str) -> str:
    with state.runtime.sessions() as session:
        try:
            conv = (get_conversation(session, conversation_id, auth.viewer.person_id) if conversation_id
                    else start_conversation(session, auth.viewer.person_id, title))
        except ConversationNotFound:
            raise HTTPException(404, "No such conversation of yours.") from None
        session.commit()
        return conv.id


def _keep_stopped(state: WebState, auth: Auth, conversation_id: str, partial: list[str]) -> None:
    state.streams.cancelled += 1
    text = "".join(partial).strip()
    if not text:
        return
    with state.runtime.sessions() as session:
        conv = get_conversation(session, conversation_id, auth.viewer.person_id)
        add_message(session, conv, "assistant", text + STOPPED)
        session.commit()


def _slot(state: WebState, auth: Auth) -> Callable[[], None]:
    """Take one of the caller's answers this minute and one of their concurrent slots (or a 429);
    returns the slot's release, which runs once however often it is called."""
    try:
        state.throttle.model_work(auth.viewer.person_id)
        slot = state.throttle.chat_slot(auth.viewer.person_id)
        slot.__enter__()
    except Limited as exc:
        raise HTTPException(429, exc.message, headers=exc.headers) from None
    held = [True]

    def release() -> None:
        if held.pop() if held else False:
            slot.__exit__(None, None, None)

    return release


@router.post("/chat", response_class=StreamingResponse, responses=SSE_DOC)
async def chat(body: ChatIn, request: Request, auth: StreamAuth, state: State) -> StreamingResponse:
    """Ask Coach. Pass ``conversation_id`` (from the ``session`` event) to ask a follow-up. Over a
    limit (answers per minute, answers at once) the answer is 429 with ``Retry-After``."""
    release = await run_in_threadpool(_slot, state, auth)
    try:
        conversation_id = await run_in_threadpool(_conversation, state, auth, body.conversation_id, body.message[:200])
    except BaseException:
        release()
        raise
    base_url = str(request.base_url).rstrip("/")
    partial: list[str] = []

    async def source() -> AsyncIterator[tuple[str, Any]]:
        state.streams.active += 1
        try:
            yield "session", {"session_id": conversation_id}
            async for kind, data in coach.events(state, auth.viewer, body.message, conversation_id, base_url):
                if kind == "token":
                    partial.append(data["text"])
                yield kind, data
            state.streams.completed += 1
        finally:
            state.streams.active -= 1
            release()  # one short write; also when the client went away

    return sse_response(framed(source(), on_cancel=lambda: _keep_stopped(state, auth, conversation_id, partial)))


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: PathId, request: Request, auth: StreamAuth, state: State) -> dict[str, Any]:
    """A conversation of yours with its messages (the widget restores itself from it)."""
    base_url = str(request.base_url).rstrip("/")
    with state.runtime.sessions() as session:
        try:
            conv = get_conversation(session, conversation_id, auth.viewer.person_id)
        except ConversationNotFound:
            raise HTTPException(404, "No such conversation of yours.") from None
        return {"id": conv.id, "title": conv.title, "messages": [
            {"role": m.role, "content": m.content, "citations": coach.with_urls(list(m.citations or []), base_url)}
            for m in conv.messages]}

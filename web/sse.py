"""Server-sent events: framing, keep-alives while the model thinks, and cancellation.

The source runs in its own task feeding a queue, so a keep-alive can be sent while it
waits without cancelling it; when the client goes away (the widget's stop button aborts
the request) the response is cancelled, and with it the source task and the agent turn.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import StreamingResponse

KEEPALIVE_SECONDS = 15.0
_END = object()


def frame(event: str, data: Any) -> str:
    """One SSE message; the JSON payload never contains a raw newline, so one ``data:`` line suffices."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


async def framed(source: AsyncIterator[tuple[str, Any]], *, keepalive: float = KEEPALIVE_SECONDS,
                 on_cancel: Callable[[], None] | None = None) -> AsyncIterator[str]:
    """SSE text for each ``(event, data)`` of ``source``, with ``: keep-alive`` comments in quiet spells."""
    queue: asyncio.Queue = asyncio.Queue(maxsize=64)

    async def pump() -> None:
        try:
            async for item in source:
                await queue.put(item)
        except Exception as exc:  # the source should report errors itself; never leave the client hanging
            await queue.put(("error", {"message": f"The answer failed unexpectedly ({type(exc).__name__})."}))
        finally:
            await queue.put(_END)

    task = asyncio.create_task(pump())
    finished = False
    try:
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), timeout=keepalive)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            batch = []  # events that are already waiting go out in one write
            while item is not _END:
                batch.append(frame(*item))
                if queue.empty():
                    break
                item = queue.get_nowait()
            if batch:
                yield "".join(batch)
            if item is _END:
                finished = True
                return
    finally:
        if not finished:  # the client went away: stop the source where it is
            task.cancel()
            if on_cancel is not None:
                on_cancel()


def sse_response(body: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

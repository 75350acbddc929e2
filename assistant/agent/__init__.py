"""The Coach agent: routing in code, tool loops, grounded answers, conversations.

Call :func:`stream_reply` (async events) or :func:`reply` (sync result); see
:mod:`assistant.agent.events` for the event types.
"""
from assistant.agent.events import AgentResult, Citations, Done, Error, Event, Timings, Token, ToolEnd, ToolStart
from assistant.agent.loop import MaxTurnsExceeded
from assistant.agent.service import AgentFailed, reply, stream_reply

__all__ = [
    "AgentFailed", "AgentResult", "Citations", "Done", "Error", "Event", "MaxTurnsExceeded", "Timings",
    "Token", "ToolEnd", "ToolStart", "reply", "stream_reply",
]

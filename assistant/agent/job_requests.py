"""The jobs as typed requests: one wording each, shared by the web pages, MCP and Slack.

A job runs as a message through :func:`~assistant.agent.service.stream_reply`, exactly as if the
manager had typed it in the widget, so every surface gets the same answer. Each function here
is ``fn(ctx, ...) -> str`` like a tool (the docstring describes it; the signature gives the
argument schema through :func:`~assistant.agent.toolset.bind_tool`) and returns the message.
"""
from __future__ import annotations

import datetime as dt

from tools.context import ToolContext
from tools.errors import ToolError


def _date(value: str, name: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ToolError(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _person(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ToolError("person: name the person (a name, first name or email).")
    return value


def coaching_questions(ctx: ToolContext, person: str) -> str:
    """Open coaching questions and a three-item agenda for your next 1:1 with a report, drawn from their goals, last 1:1 and KPIs, each cited.

    Args:
        person: the report's name, first name or email.
    """
    return f"Coaching questions and an agenda for my next 1:1 with {_person(person)}"


def review_draft(ctx: ToolContext, person: str, start: str = "", end: str = "") -> str:
    """Draft a performance review for a report from evidence across the whole period (situation, behaviour, impact), with no rating and no wellbeing details; it ends with the bias check's findings.

    Args:
        person: the report's name, first name or email.
        start: first day of the period, YYYY-MM-DD (default: six months before today).
        end: last day of the period, YYYY-MM-DD (default: today).
    """
    first, last = _date(start, "start"), _date(end, "end")
    if first is None and last is None:
        return f"Draft a review for {_person(person)}"
    last = last or ctx.today
    first = first or last - dt.timedelta(days=182)
    if last < first:
        raise ToolError(f"end ({last.isoformat()}) is before start ({first.isoformat()}).")
    return f"Draft a review for {_person(person)} from {first.isoformat()} to {last.isoformat()}"


def bias_check(ctx: ToolContext, text: str) -> str:
    """Check review or feedback text for biased or vague language (gender-coded words, personality instead of behaviour, vague praise, recency); each finding says why and suggests a rewrite.

    Args:
        text: the review text to check (at least 20 characters).
    """
    text = text.strip()
    if len(text) < 20:
        raise ToolError("text: give the review text to check (at least 20 characters).")
    return f"Check this review text for bias: {text}"


def goal_check(ctx: ToolContext, goal: str, person: str = "") -> str:
    """Check whether a goal is SMART (or a well-formed OKR key result) and suggest a rewrite. Name an existing goal with its owner, or paste a draft goal without one.

    Args:
        goal: an existing goal's title words (with person), or the text of a draft goal.
        person: the owner of an existing goal; empty when goal is a pasted draft.
    """
    goal = " ".join(goal.split()).strip("'\"")
    if len(goal) < 3:
        raise ToolError("goal: give the goal's title words or its text.")
    if person.strip():
        return f"Is {_person(person)}'s goal '{goal}' SMART?"
    return f"Check this goal: {goal}"


JOBS = {"coaching_questions": ("coaching", coaching_questions), "review_draft": ("review", review_draft),
        "bias_check": ("bias", bias_check), "goal_check": ("goal_check", goal_check)}
"""Each job request by name: the job the agent runs for it, and its function."""

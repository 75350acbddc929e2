"""Feedback tool: what people said to and about someone over a period."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from tools.access import ToolError
from tools.analytics.evidence import Evidence, spread
from tools.context import ToolContext
from tools.store.models import Feedback
from tools.resolve import find_person, parse_date, visible_names
from tools.results import Fact, ToolResult
from tools.wording import quoted

DEFAULT_DAYS = 182
MAX_ROWS = 500
MAX_SHOWN = 8


def period(ctx: ToolContext, since: str, until: str, default_days: int) -> tuple[dt.date, dt.date]:
    """The (start, end) of a period argument pair; defaults end today."""
    end = parse_date(until, "until") or ctx.today
    start = parse_date(since, "since") or end - dt.timedelta(days=default_days)
    if end < start:
        raise ToolError(f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
    return start, end


def giver(ctx_names: dict[str, str], f: Feedback) -> str:
    """Who gave (non-self) feedback, as far as the viewer may know: upward feedback stays anonymous,
    and people outside the viewer's reach are not named."""
    if f.kind == "upward":
        return "a report (anonymous upward feedback)"
    return ctx_names.get(f.from_id, "a colleague")


def feedback_sentence(f: Feedback, who: str, names: dict[str, str]) -> str:
    if f.kind == "self":
        return f"Self-assessment by {who} on {f.date.isoformat()}: {quoted(f.text)}."
    return f"{f.kind.capitalize()} feedback to {who} on {f.date.isoformat()} from {giver(names, f)}: {quoted(f.text)}."


def feedback_for(ctx: ToolContext, person: str, since: str = "", until: str = "") -> ToolResult:
    """Summarise feedback a person received in a period (peer, upward, self, praise, constructive): counts by kind and a sample spread over the period. Use it for "what feedback has Sam had?" or before a review.

    Args:
        person: the person's name, first name or email.
        since: optional first date, YYYY-MM-DD (default: 182 days before until).
        until: optional last date, YYYY-MM-DD (default: today).
    """
    p = find_person(ctx, person)
    start, end = period(ctx, since, until, DEFAULT_DAYS)
    rows = list(ctx.session.scalars(
        select(Feedback).where(Feedback.to_id == p.id, Feedback.date >= start, Feedback.date <= end)
        .order_by(Feedback.date.desc(), Feedback.id).limit(MAX_ROWS)
    ))
    span = f"from {start.isoformat()} to {end.isoformat()}"
    if not rows:
        text = f"No feedback to {p.name} is recorded {span}."
        return ToolResult(text, [Fact(f"person:{p.id}", text)], {"count": 0})
    kinds = Counter(f.kind for f in rows)
    tally = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    names = visible_names(ctx, {f.from_id for f in rows if f.kind not in ("self", "upward")})
    by_ref = {f"feedback:{f.id}": f for f in rows}
    picked = spread([Evidence(f.date, ref, f.text, f.kind) for ref, f in by_ref.items()], start, end, MAX_SHOWN)
    facts = [Fact(f"person:{p.id}", f"{p.name} received {len(rows)} pieces of feedback {span}: {tally}.")]
    facts += [Fact(e.ref, feedback_sentence(by_ref[e.ref], p.name, names), e.date) for e in picked]
    return ToolResult(f"{len(rows)} pieces of feedback to {p.name} {span} ({tally}); {len(picked)} shown, "
                      "spread over the period.", facts, {"count": len(rows), "kinds": dict(kinds)})

"""Review tool: evidence for a performance review, spread over the whole review period."""
from __future__ import annotations

from sqlalchemy import select

from tools.access import ToolError
from tools.analytics.evidence import Evidence, spread, timeline
from tools.analytics.pace import pace
from tools.context import ToolContext
from tools.feedback import feedback_sentence
from tools.store.models import CheckIn, Feedback, Goal, ProgressUpdate
from tools.resolve import find_person, parse_date, visible_names
from tools.results import Fact, ToolResult
from tools.wording import kind_label, quoted

MAX_PERIOD_DAYS = 731
MAX_ROWS = 500
MAX_K = 12


def review_evidence(ctx: ToolContext, person: str, start: str, end: str, k: int = 8) -> ToolResult:
    """Gather evidence for a person's performance review over a period (feedback, progress updates, 1:1 notes, goals due), picked to cover the whole period, with a recency-bias warning when most evidence, or most feedback, is from its last quarter. Use it before writing or checking a review.

    Args:
        person: the person's name, first name or email.
        start: first day of the review period, YYYY-MM-DD.
        end: last day of the review period, YYYY-MM-DD.
        k: how many evidence items to return, 1 to 12 (default 8).
    """
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if first is None or last is None:
        raise ToolError("Give the review period as start and end dates, e.g. 2026-01-01 and 2026-12-31.")
    if last < first:
        raise ToolError(f"The period ends ({last.isoformat()}) before it starts ({first.isoformat()}).")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise ToolError(f"A review period can span at most {MAX_PERIOD_DAYS} days.")
    if not 1 <= k <= MAX_K:
        raise ToolError(f"k must be between 1 and {MAX_K}, not {k}.")
    p = find_person(ctx, person)
    items = _evidence(ctx, p.id, p.name, first, min(last, ctx.today))
    line = timeline(items, first, last)
    picked = spread(items, first, last, k)
    facts = [Fact(f"person:{p.id}", f"Review evidence for {p.name}: {line.text}")]
    facts += [Fact(e.ref, e.text, e.date) for e in picked]
    warn = " Warning: evidence clusters in the last quarter (recency bias)." if line.recency_bias else ""
    return ToolResult(f"{line.total} evidence items for {p.name} from {first.isoformat()} to {last.isoformat()} "
                      f"(by quarter {'/'.join(map(str, line.counts))}); {len(picked)} picked across the period.{warn}",
                      facts, {"counts": list(line.counts), "recency_bias": line.recency_bias,
                              "last_quarter_share": line.last_quarter_share})


def _evidence(ctx: ToolContext, pid: str, name: str, first, last) -> list[Evidence]:
    """Dated evidence about ``pid`` between ``first`` and ``last``, one item per record."""
    s = ctx.session
    items: list[Evidence] = []
    feedback = list(s.scalars(select(Feedback).where(Feedback.to_id == pid, Feedback.date >= first,
                                                     Feedback.date <= last).order_by(Feedback.date).limit(MAX_ROWS)))
    names = visible_names(ctx, {f.from_id for f in feedback if f.kind not in ("self", "upward")})
    items += [Evidence(f.date, f"feedback:{f.id}", feedback_sentence(f, name, names), "feedback") for f in feedback]
    for u, title, unit in s.execute(
        select(ProgressUpdate, Goal.title, Goal.unit).join(Goal, Goal.id == ProgressUpdate.goal_id)
        .where(Goal.owner_id == pid, ProgressUpdate.date >= first, ProgressUpdate.date <= last)
        .order_by(ProgressUpdate.date).limit(MAX_ROWS)
    ):
        value = f" value {u.value:g}{' ' + unit if unit else ''}" if u.value is not None else ""
        note = f" note {quoted(u.note)}" if u.note else ""
        items.append(Evidence(u.date, f"update:{u.id}", f"Progress update on '{title}' on {u.date.isoformat()}:"
                                                        f"{value}{note}.", "update"))
    for cid, day, notes in s.execute(
        select(CheckIn.id, CheckIn.date, CheckIn.notes)
        .where(CheckIn.employee_id == pid, CheckIn.status == "held", CheckIn.date >= first, CheckIn.date <= last)
        .order_by(CheckIn.date).limit(MAX_ROWS)
    ):
        if (notes or "").strip():
            items.append(Evidence(day, f"checkin:{cid}", f"1:1 with {name} on {day.isoformat()}: notes "
                                                         f"{quoted(notes)}.", "checkin"))
    for g in s.scalars(select(Goal).where(Goal.owner_id == pid, Goal.due_date >= first, Goal.due_date <= last)):
        p = pace(baseline=g.baseline, target=g.target, current=g.current, start=g.start_date, due=g.due_date,
                 as_of=ctx.today, direction=g.direction, unit=g.unit)
        outcome = ("marked done" if g.status == "done" else "target reached" if p.reached
                   else "target not reached" if p.reached is False else "no measurable outcome recorded")
        items.append(Evidence(g.due_date, f"goal:{g.id}", f"{kind_label(g.kind)} '{g.title}' was due "
                                                          f"{g.due_date.isoformat()}: {outcome}. {p.text}", "goal"))
    return items

"""1:1 check-in tools: search a person's 1:1 notes, and read their latest 1:1."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tools.access import ToolError
from tools.analytics.cadence import cadence
from tools.context import ToolContext
from tools.store.models import CheckIn
from tools.resolve import find_person, parse_date, visible_names
from tools.results import Fact, ToolResult
from tools.wording import clip, plural, quoted

DEFAULT_SEARCH_DAYS = 365
MAX_RESULTS = 10
CADENCE_DAYS = 182
STOP = frozenset("the a an and or of to in on at for with about from by is was were be any".split())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'-]+", text.lower()) if w not in STOP]


def _snippet(notes: str, words: list[str], width: int = 200) -> str:
    """Up to ``width`` characters of ``notes`` around the first word searched for."""
    flat = " ".join((notes or "").split())
    low = flat.lower()
    hits = [low.find(w) for w in words if low.find(w) >= 0]
    if not hits or len(flat) <= width:
        return clip(flat, width)
    start = max(0, min(hits) - width // 3)
    piece = flat[start:start + width]
    return ("..." if start else "") + clip(piece, width)


def search_checkins(ctx: ToolContext, person: str, words: str = "", since: str = "", until: str = "",
                    limit: int = 5) -> ToolResult:
    """Search a person's 1:1 check-ins (notes, blockers, action items) for words within a date range, newest first. Use it to find when something was discussed, e.g. "when did Sam mention the scanner?".

    Args:
        person: the report's name, first name or email.
        words: words to look for; empty lists the latest 1:1s.
        since: optional first date, YYYY-MM-DD (default: a year before today).
        until: optional last date, YYYY-MM-DD (default: today).
        limit: most check-ins to return, 1 to 10.
    """
    if not 1 <= limit <= MAX_RESULTS:
        raise ToolError(f"limit must be between 1 and {MAX_RESULTS}, not {limit}.")
    p = find_person(ctx, person)
    start = parse_date(since, "since") or ctx.today - dt.timedelta(days=DEFAULT_SEARCH_DAYS)
    end = parse_date(until, "until") or ctx.today
    if end < start:
        raise ToolError(f"until ({end.isoformat()}) is before since ({start.isoformat()}).")
    rows = list(ctx.session.scalars(
        select(CheckIn).where(CheckIn.employee_id == p.id, CheckIn.date >= start, CheckIn.date <= end)
        .options(selectinload(CheckIn.action_items)).order_by(CheckIn.date.desc(), CheckIn.id.desc())
    ))
    wanted = _words(words)

    def haystack(c: CheckIn) -> str:
        return " ".join([c.notes or "", *map(str, c.blockers or ()), *(a.text for a in c.action_items)]).lower()

    hits = [c for c in rows if all(w in haystack(c) for w in wanted)]
    mode = "every word"
    if not hits and len(wanted) > 1:  # fall back to any word, most words first
        scored = [(sum(w in haystack(c) for w in wanted), c) for c in rows]
        hits = [c for n, c in sorted(scored, key=lambda x: -x[0]) if n]
        mode = "some of the words"
    period = f"{start.isoformat()} to {end.isoformat()}"
    about = f" mentioning {words.strip()!r}" if wanted else ""
    if not hits:
        return ToolResult(f"No 1:1 with {p.name}{about} from {period} ({len(rows)} 1:1s in that period).",
                          [Fact(f"person:{p.id}", f"No 1:1 with {p.name}{about} from {period}; "
                                                  f"{len(rows)} 1:1s were recorded in that period.")])
    shown = hits[:limit]
    managers = visible_names(ctx, {c.manager_id for c in shown})
    facts = []
    for c in shown:
        with_whom = f" with {managers[c.manager_id]}" if c.manager_id in managers else ""
        text = f"1:1 on {c.date.isoformat()}{with_whom} ({c.status}): notes {quoted(_snippet(c.notes, wanted))}"
        if c.blockers:
            text += "; blockers: " + ", ".join(quoted(b, 120) for b in c.blockers)
        facts.append(Fact(f"checkin:{c.id}", text + ".", c.date))
    matched = f"matching {mode}" if wanted else "in total"
    return ToolResult(
        f"{len(hits)} 1:1s with {p.name}{about} from {period} ({matched}); showing the latest {len(shown)}.",
        facts, {"person": {"id": p.id, "name": p.name}, "checkin_ids": [c.id for c in shown]})


def last_checkin(ctx: ToolContext, person: str) -> ToolResult:
    """Read the latest held 1:1 with a person: notes, blockers, action items (open or done, overdue or not) and how regular their 1:1s are. Use it to prepare the next 1:1 or follow up on commitments.

    Args:
        person: the report's name, first name or email.
    """
    p = find_person(ctx, person)
    since = ctx.today - dt.timedelta(days=CADENCE_DAYS)
    recent = ctx.session.execute(
        select(CheckIn.date, CheckIn.status)
        .where(CheckIn.employee_id == p.id, CheckIn.date >= since, CheckIn.date <= ctx.today)
    ).all()
    rhythm = cadence([(d, s) for d, s in recent], ctx.today, who=p.name)
    last = ctx.session.scalar(
        select(CheckIn).where(CheckIn.employee_id == p.id, CheckIn.status == "held", CheckIn.date <= ctx.today)
        .options(selectinload(CheckIn.action_items)).order_by(CheckIn.date.desc(), CheckIn.id.desc()).limit(1)
    )
    cadence_fact = Fact(f"person:{p.id}", rhythm.text)
    if last is None:
        return ToolResult(f"No held 1:1 with {p.name} is recorded.", [cadence_fact])
    ref, day = f"checkin:{last.id}", last.date
    names = visible_names(ctx, {last.manager_id} | {a.owner_id for a in last.action_items if a.owner_id})
    with_whom = f" with {names[last.manager_id]}" if last.manager_id in names else ""
    facts = [Fact(ref, f"Latest 1:1 with {p.name} was on {day.isoformat()}{with_whom} "
                       f"({(ctx.today - day).days} days ago); notes {quoted(last.notes, 400)}.", day)]
    if last.blockers:
        facts.append(Fact(ref, f"Blockers raised on {day.isoformat()}: "
                               + ", ".join(quoted(b, 120) for b in last.blockers) + ".", day))
    open_items = 0
    for a in last.action_items:
        owner = f", owner {names[a.owner_id]}" if a.owner_id in names else ""
        state = "done"
        if not a.done:
            open_items += 1
            state = "open"
            if a.due_date and a.due_date < ctx.today:
                state = f"open, {(ctx.today - a.due_date).days} days overdue"
        due = f", due {a.due_date.isoformat()}" if a.due_date else ""
        facts.append(Fact(ref, f"Action item from the 1:1 on {day.isoformat()}: {quoted(a.text, 160)}"
                               f"{owner}{due} ({state}).", day))
    facts.append(cadence_fact)
    summary = (f"Latest 1:1 with {p.name}: {day.isoformat()}, {plural(len(last.blockers or []), 'blocker')}, "
               f"{open_items} of {plural(len(last.action_items), 'action item')} open. {rhythm.text}")
    return ToolResult(summary, facts, {"person": {"id": p.id, "name": p.name}, "checkin_id": last.id,
                                       "lapsed": rhythm.lapsed})

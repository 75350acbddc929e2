"""Recognise common requests in code, so a common question costs one model call (the answer).

A :class:`Plan` names the job and the tool calls to make; ``None`` means "not recognised":
the model then chooses tools itself. People are found in the message by the names of the
people in the viewer's reach; a name-like word that matches no one is still passed to the
tool, whose :class:`~tools.access.OutOfReach` becomes a refusal. Pronouns and "that goal"
resolve to the conversation's focus.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, or_, select

from assistant.agent.plan import MAX_CHECKED, SEVERITY, Mention, Plan
from tools.context import ToolContext
from tools.resolve import SQL_REACH_LIMIT
from tools.store.models import Person

_P = re.compile  # short alias for the patterns below
BIAS = _P(r"\b(bias(ed|es)?|gender(ed|[- ]coded)|lint|check (this|my|the) (review|draft|text|feedback|wording))\b", re.I)
REVIEW = _P(r"\b(draft|write|prepare|help me (with|write|draft))\b[^?!.]*\breview\b|\breview (draft|text)\b", re.I)
GOAL_CHECK = _P(r"\b(smart|well[- ]written|measurable)\b[^?!.]*\b(goal|okr|objective|kr)|\b(goal|okr|objective|kr)\b[^?!.]*"
                r"\b(well[- ]written|smart|measurable)\b|\b(check|improve|rewrite)\b[^?!.]*\b(goal|okr|objective|key result)\b", re.I)
COACHING = _P(r"\bcoaching questions?\b|\bquestions? (to ask|i (could|should|can) ask|for (my|our|the) (next )?(1:1|one[- ]on[- ]one|check-?in))"
              r"|\bwhat (should|could|can) i ask\b|\b(prep|prepare|agenda)\b[^?!.]*\b(1:1|1-1|one[- ]on[- ]one|check-?in|meeting)\b"
              r"|\bagenda\b", re.I)
LAST_CHECKIN = _P(r"\b(last|latest|previous|most recent|recent) (1:1|1-1|one[- ]on[- ]one|check-?in|meeting)\b"
                  r"|\bwhat did (we|i|they) (agree|discuss|decide|talk about)\b", re.I)
TEAM = _P(r"\b(my|the|our) team\b|\bwho needs (my )?attention\b|\bwho('s| is| are)\b[^?!.]*\b(behind|at risk|off[- ]track|struggling)\b"
          r"|\b(my|direct) reports\b", re.I)
OFF_TRACK = _P(r"\b(off[- ]track|at[- ]risk|behind|slipping|late|stalled|stuck|not on track|red)\b", re.I)
EXPLAIN = _P(r"\bwhy\b|\bwhat('s| is) (wrong|blocking|going on)\b|\bhow is\b[^?!.]*\b(goal|okr|objective|kr)\b", re.I)
KPI = _P(r"\bkpis?\b|\bmetrics?\b|\btrend(ing|s)?\b|\bnumbers?\b", re.I)
STATUS = _P(r"\bhow (is|are|'s)\b[^?!.]*\b(doing|going|getting on|performing)\b|\bstatus\b|\bupdate on\b|\bsummari[sz]e\b"
            r"|\bwhat('s| is) happening with\b", re.I)
GUIDANCE = _P(r"^\s*(what|how|when|why|should|can|could|is|are|any|tips?|give me|explain)\b", re.I)
DOMAIN = _P(r"\b(goals?|okrs?|kpis?|1:1s?|one[- ]on[- ]ones?|check-?ins?|reviews?|feedback|team|reports?|coach\w*|manag\w*"
            r"|perform\w*|blockers?|agenda|bias\w*|promotion|career|growth|objectives?|key results?|metrics?|targets?"
            r"|deadlines?|progress|motivat\w*|conflict|delegat\w*|employees?|hiring|onboard\w*|meetings?|praise"
            r"|recogni\w*|smart|sbi|burn-?out|wellbeing|workload|priorit\w*)\b", re.I)
PRONOUN = _P(r"\b(she|her|hers|he|him|his|they|them|their)\b", re.I)
THAT_GOAL = _P(r"\b(that|this|the same) (goal|okr|objective|kr)\b|\bit\b", re.I)
SELF = _P(r"\bmy\s+(?!team|reports?|attention|direct|next|manager)\w+|\bam i\b|\bmyself\b", re.I)
QUOTED_TITLE = _P(r"(?<!\w)[\"“'‘](?P<w>\S.{1,198}?\S)[\"”'’](?!\w)")  # quotes open and close outside words
WORDS_BEFORE_GOAL = (  # "... billing backlog goal": may start with other words ("the outlook for Dana's ...")
    _P(r"[’']s\s+(?P<w>[^?!.,]{2,60}?)\s+(?:goal|okr|objective|key result|kr)\b", re.I),
    _P(r"\b(?:the|my|our|this)\s+(?P<w>[^?!.,]{2,60}?)\s+(?:goal|okr|objective|key result|kr)\b", re.I),
)
GOAL_WORDS = (QUOTED_TITLE, *WORDS_BEFORE_GOAL, _P(r"\b(?:goal|okr|objective|kr)\s*:\s*(?P<w>.{3,300})$", re.I | re.S))
TOPIC = _P(r"[’']s\s+(?!(?:has|have|had|is|was|been|does|did|will|would|can|could|should|not)\b)"
           r"(?P<w>[^\W\d_][\w\s-]{2,60}?)(?=\s+(?:goals?|okrs?|kpis?|numbers?|in|since|during|this|last|off|at|"
           r"been|going|doing|trend\w*|drop\w*|fall\w*|fell|rise|rose|go|gone|is|are|was|were|lately|recently)\b"
           r"|\s*[?.!,]|\s*$)", re.I)
GENERIC_TOPICS = frozenset({"numbers", "number", "kpi", "kpis", "metrics", "goals", "goal", "performance", "work",
                            "progress", "team", "status", "results", "week", "month", "quarter", "year"})
COMMON_WORDS = frozenset(  # lower-case words that are not looked up as names (a capitalised one still is)
    """about after again agree agreed all also am and any anything are as ask asked at be been before being but by
    can could did do does doing done down draft each ever for from get give go going good got had has have having
    he help her here hers him his how i if in into is it its just know last let like look make me more most much
    my need needs next no not now of off on one only or other our out over please prep prepare say see she should
    show so some still such tell than thank thanks that the their them then there these they think this those to
    too track up us very want was we week weeks well were what when where which while who why will with would
    write you your""".split()
)
NAME_WORD = _P(r"[^\W\d_][\w'’-]*")
NAME_CUE = _P(r"(?:\b(?:with|for|about|on|is|does|did|has|ask|to|of|review)\s+)(?P<n>[^\W\d_][^\W\d_'’-]+)|(?P<p>[^\W\d_][^\W\d_'’-]+)[’']s\b")
NOT_NAMES = frozenset(
    """i okr okrs kpi kpis q1 q2 q3 q4 h1 h2 monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december the a an my our this that
    what why how who when which smart sbi hr ceo vp""".split()
)
COMMON_FIRST_NAMES_AS_WORDS = frozenset(
    {"will", "may", "mark", "grace", "hope", "joy", "rose", "bill", "april", "june", "faith", "sunny", "art"})

GUIDE_QUERIES = {
    "coaching": "open coaching questions for a 1:1 about goal progress and blockers",
    "review": "situation behaviour impact review writing behaviour not personality",
    "goal_check": "how to write a SMART goal or OKR key result",
}


def _people(ctx: ToolContext, text: str) -> list[tuple[str, str]]:
    """People in reach whose first name is a word of ``text``, by where that word first appears.

    Only names that can match are read (the whole reach may be an org of 10,000), and reach is
    checked for those few, as the tools do."""
    words = {part.lower() for w in NAME_WORD.findall(text) for part in (w, re.split(r"['’]", w)[0])
             if part and (part[0].isupper() or part.lower() not in COMMON_WORDS)}
    if not words:
        return []
    name = func.lower(Person.name)
    cond = or_(*[name.startswith(f"{w} ", autoescape=True) for w in words], name.in_(words))
    stmt = select(Person.id, Person.name).where(cond).order_by(Person.id)
    small = ctx.access.within(SQL_REACH_LIMIT)  # a small reach is searched by id, not by scanning everyone
    if small is not None:
        stmt = stmt.where(Person.id.in_(sorted(small)))
    rows = ctx.session.execute(stmt).all()
    seen = ctx.visible(pid for pid, _ in rows)
    lowered = text.lower()
    people = [(pid, nm) for pid, nm in rows if pid in seen]
    return sorted(people, key=lambda p: lowered.find(p[1].split()[0].lower()))


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", text, re.I) is not None


def find_mention(ctx: ToolContext, text: str, focus: dict[str, Any]) -> Mention | None:
    """The person ``text`` is about: a full name, a first name, a pronoun for the focus, or an unknown name."""
    people = [(pid, name) for pid, name in _people(ctx, text) if pid != ctx.viewer.person_id]
    full = [(pid, name) for pid, name in people if _has_word(text, name)]
    if full:
        return Mention(full[0][1], full[0][0])
    by_first: dict[str, list[tuple[str, str]]] = {}
    for pid, name in people:
        first = name.split()[0]
        is_word = first.lower() in COMMON_FIRST_NAMES_AS_WORDS
        if (_has_word(text, first) and not is_word) or re.search(rf"\b{re.escape(first)}\b", text):
            by_first.setdefault(first, []).append((pid, name))
    if by_first:
        first, matches = next(iter(by_first.items()))
        return Mention(matches[0][1], matches[0][0]) if len(matches) == 1 else Mention(first)
    for cue in NAME_CUE.finditer(text):
        word = cue.group("n") or cue.group("p")
        if word[0].isupper() and word.lower() not in NOT_NAMES and not DOMAIN.fullmatch(word):
            return Mention(word)
    if focus.get("person_id") and PRONOUN.search(text):
        return Mention(focus.get("person_name", ""), focus["person_id"])
    return None


def goal_words(text: str, person: Mention | None) -> str:
    """Words naming a goal in ``text`` ("Dana's billing backlog goal" -> "billing backlog")."""
    for pattern in GOAL_WORDS:
        match = pattern.search(text)
        if match:
            words = match.group("w").strip()
            if pattern in WORDS_BEFORE_GOAL:  # "the outlook for Dana's billing backlog" -> "billing backlog"
                words = re.split(r"[’']s\s+", words)[-1]
            elif person:  # a quoted title keeps its own apostrophes; only the owner's name goes
                words = re.sub(rf"^{re.escape(person.name.split()[0])}[’']s\s+", "", words, flags=re.I)
            if words.lower() not in {"her", "his", "their", "my", "this", "that", "the"}:
                return words
    return ""


def topic_words(text: str) -> str:
    """What follows a possessive when it is not a generic word ("Dana's first-contact resolution")."""
    match = TOPIC.search(text)
    words = match.group("w").strip() if match else ""
    return "" if words.lower() in GENERIC_TOPICS else words


def quoted_text(text: str) -> str:
    """Text after the first colon, or inside quotes: what the user pasted."""
    if ":" in text:
        tail = text.split(":", 1)[1].strip()
        if len(tail) > 20:
            return tail.strip("\"“”'")
    match = re.search(r"[\"“](.{20,})[\"”]", text, re.S)
    return match.group(1).strip() if match else ""


def _quarter(today: dt.date, q: int, year: int | None) -> tuple[dt.date, dt.date]:
    y = year or today.year
    start = dt.date(y, 3 * q - 2, 1)
    if year is None and start > today:
        start = start.replace(year=y - 1)
    end = (dt.date(start.year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
    return start, min(end, today)


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")


def month_span(text: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The months named in ``text`` (the latest such months not after ``today``), first to last day."""
    named = sorted({MONTH_NAMES.index(w) + 1 for w in re.findall(r"[a-z]+", text.lower()) if w in MONTH_NAMES})
    if not named:
        return None
    year = today.year if named[-1] <= today.month else today.year - 1
    first = dt.date(year, named[0], 1)
    last = dt.date(year + (named[-1] == 12), named[-1] % 12 + 1, 1) - dt.timedelta(days=1)
    return first, min(last, today)


def parse_period(text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """A review period from words like Q3, H2 2026, this half, this year, last 6 months,
    or two ISO dates; default the last six months."""
    dates = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)
    if len(dates) >= 2:
        a, b = sorted(dt.date.fromisoformat(d) for d in dates[:2])
        return a, b
    year_m = re.search(r"\b(20\d\d)\b", text)
    year = int(year_m.group(1)) if year_m else None
    low = text.lower()
    q = re.search(r"\bq([1-4])\b", low)
    if q:
        return _quarter(today, int(q.group(1)), year)
    if re.search(r"\bthis quarter\b", low):
        return _quarter(today, (today.month - 1) // 3 + 1, None)
    half = re.search(r"\b(h1|h2|first half|second half)\b", low)
    if half or "this half" in low:
        second = (half.group(1) in ("h2", "second half")) if half else today.month > 6
        y = year or today.year
        start = dt.date(y, 7 if second else 1, 1)
        if year is None and start > today:
            start = start.replace(year=y - 1)
        end = dt.date(start.year, 12, 31) if second else dt.date(start.year, 6, 30)
        return start, min(end, today)
    months = re.search(r"\b(?:last|past)\s+(\d{1,2})\s+months?\b", low)
    if months:
        return today - dt.timedelta(days=round(30.44 * int(months.group(1)))), today
    if "this year" in low or year:
        y = year or today.year
        return dt.date(y, 1, 1), min(dt.date(y, 12, 31), today)
    return today - dt.timedelta(days=182), today


def plan(ctx: ToolContext, text: str, focus: dict[str, Any], tools: set[str], last_answer: str = "") -> Plan | None:
    """The job and tool calls for ``text``, or ``None`` to let the model choose tools."""
    person = find_mention(ctx, text, focus)
    who = person.name if person else ""
    if not person and SELF.search(text) and not TEAM.search(text):
        who = "me"
    found = _route(ctx, text, focus, person, who, last_answer)
    if found is None:
        if person is None and not DOMAIN.search(text):
            return Plan("scope")
        return None
    found.person = found.person or person
    if any(name not in tools for name, _ in found.calls):
        return None
    return found


def _route(ctx: ToolContext, text: str, focus: dict[str, Any], person: Mention | None, who: str,
           last_answer: str) -> Plan | None:
    if BIAS.search(text):
        review = quoted_text(text) or last_answer
        if not review:
            return None
        period = parse_period(text, ctx.today)
        calls = [("review_evidence", _period_args(who, period))] if person else []
        return Plan("bias", calls, text=review, period=period)
    if REVIEW.search(text) and who:
        period = parse_period(text, ctx.today)
        return Plan("review", [("review_evidence", _period_args(who, period) | {"k": 10}),
                               ("search_guidance", {"query": GUIDE_QUERIES["review"], "k": 1})], period=period)
    if GOAL_CHECK.search(text):
        pasted = quoted_text(text)
        words = pasted or goal_words(text, person) or _focus_goal(text, focus)
        guide = ("search_guidance", {"query": GUIDE_QUERIES["goal_check"], "k": 1})
        if words:
            args = {"goal": words, "person": who} if who and not pasted else {"goal": words, "free_text": bool(pasted)}
            return Plan("goal_check", [("check_goal", args), guide])
        if who:
            return Plan("goal_check", [("list_goals", {"person": who}), guide], expand="check_goals")
    if COACHING.search(text) and who:
        return Plan("coaching", [
            ("list_goals", {"person": who}),
            ("last_checkin", {"person": who}),
            ("kpi_trend", {"person": who}),
            ("search_guidance", {"query": GUIDE_QUERIES["coaching"], "k": 1}),
        ])
    if LAST_CHECKIN.search(text) and who:
        return Plan("answer", [("last_checkin", {"person": who})])
    if TEAM.search(text) and person is None:
        return Plan("answer", [("team_overview", {})])
    if who or focus.get("goal_id"):
        return _about_person(text, focus, person, who, ctx.today)
    if GUIDANCE.search(text) and DOMAIN.search(text):
        return Plan("answer", [("search_guidance", {"query": text.strip()[:200], "k": 3})])
    return None


def _about_person(text: str, focus: dict[str, Any], person: Mention | None, who: str, today: dt.date) -> Plan | None:
    """Questions about one person (or the goal in focus): goals, KPIs, status."""
    words = goal_words(text, person)
    if not words and not KPI.search(text):
        words = _focus_goal(text, focus)
    if words:
        return Plan("answer", [("explain_goal", {"goal": words, "person": who} if who else {"goal": words})])
    if not who:
        return None
    topic = topic_words(text)
    if topic:
        return Plan("answer", [("explain_goal", {"goal": topic, "person": who}),
                               ("kpi_trend", {"kpi": topic, "person": who})])
    if KPI.search(text):
        calls = [("kpi_trend", {"person": who})]
        if EXPLAIN.search(text):
            span = month_span(text, today)
            dates = {"since": span[0].isoformat(), "until": span[1].isoformat()} if span else {}
            calls.append(("search_checkins", {"person": who, "limit": 4} | dates))
        return Plan("answer", calls)
    if OFF_TRACK.search(text) or EXPLAIN.search(text):
        return Plan("answer", [("list_goals", {"person": who})], expand="explain_worst")
    if STATUS.search(text):
        return Plan("answer", [("list_goals", {"person": who}), ("last_checkin", {"person": who}),
                               ("feedback_for", {"person": who})])
    return None


def _period_args(who: str, period: tuple[dt.date, dt.date]) -> dict[str, Any]:
    return {"person": who, "start": period[0].isoformat(), "end": period[1].isoformat()}


def _focus_goal(text: str, focus: dict[str, Any]) -> str:
    if focus.get("goal_id") and (THAT_GOAL.search(text) or PRONOUN.search(text)):
        return f"goal:{focus['goal_id']}"
    return ""


def follow_up(plan: Plan, results: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Calls that depend on a ``list_goals`` result: explain the goal most at risk, or check goals."""
    goals = sorted((g for r in results for g in r.data.get("goals", [])),
                   key=lambda g: SEVERITY.get(g.get("status", "unknown"), 2))
    if plan.expand == "explain_worst" and goals and goals[0].get("status") in ("off_track", "at_risk"):
        return [("explain_goal", {"goal": f"goal:{goals[0]['id']}"})]
    if plan.expand == "check_goals":
        return [("check_goal", {"goal": f"goal:{g['id']}"}) for g in goals[:MAX_CHECKED]]
    return []

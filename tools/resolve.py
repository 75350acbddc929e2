"""Turn what a user or the model typed (a name, an email, goal or KPI words) into records
inside the viewer's reach.

Matching is case-insensitive and deterministic: a full-name (or full-title) match wins;
otherwise every word typed must appear in the name, and whole words beat word starts,
which beat text inside a word: "sam" finds "Sam Lee" before "Samantha Cole", and both
before "Osama Reed"; a first name beats a surname ("lee" finds "Lee Park", not "Sam Lee").
When nothing matches so, a close spelling is accepted: similarity of at least 0.8, of the
whole text or of every word typed to some word of the name. Several equally good matches
raise :class:`Ambiguous` listing them; the list only ever holds records the viewer may see,
and "not found" reads the same whether the record is missing or out of reach.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Callable, Sequence, TypeVar

from sqlalchemy import and_, func, or_, select

from tools.access import OutOfReach, ToolError
from tools.context import ToolContext
from tools.store.models import KPI, Goal, Person

T = TypeVar("T")
SELF_WORDS = frozenset({"me", "myself", "i", "self", "my"})
GOAL_NOISE = frozenset({"the", "a", "an", "goal", "okr", "objective", "kr", "key", "result", "of", "our", "my"})
MAX_LISTED = 8
SQL_REACH_LIMIT = 500  # up to this many people in reach, searches filter by an IN list in SQL
CANDIDATE_LIMIT = 500
FUZZY_CUTOFF = 0.8


class NoMatch(ToolError):
    """Nothing in reach matches (whether or not something out of reach would)."""


class Ambiguous(ToolError):
    """Several records in reach match equally well; the message lists them."""


def no_person(who: str) -> OutOfReach:
    return OutOfReach(f"No one matching {who!r} in your reach (you and your reporting chain). "
                      "Check the spelling, or use their full name or email.")


def _candidates(ctx: ToolContext, table, label, owner, query: str, noise=frozenset()) -> list:
    """Rows (Core, cheap) of ``table`` in reach whose ``label`` contains every word typed;
    failing that, rows containing the first three letters of any word (so close spellings
    can compete in :func:`best_matches`). At most ``CANDIDATE_LIMIT`` rows, by label.

    A small reach is filtered in SQL; otherwise the matching rows' owners are checked in
    batches (reading a large reporting chain for every search costs far more).
    """
    tokens = _tokens(query, noise)
    conn = ctx.session.connection()
    small = ctx.access.within(SQL_REACH_LIMIT)
    for cond in (and_(*[func.lower(label).contains(t, autoescape=True) for t in tokens]),
                 or_(*[func.lower(label).contains(t[:3], autoescape=True) for t in sorted(set(tokens))])):
        if ctx.access.everyone or small is not None:
            stmt = select(table).where(cond)
            if small is not None:
                stmt = stmt.where(owner.in_(sorted(small)))
            rows = conn.execute(stmt.order_by(label, table.c.id).limit(CANDIDATE_LIMIT)).all()
        else:
            keys = conn.execute(select(table.c.id, owner).where(cond).order_by(label, table.c.id)).all()
            ids = _visible_keys(ctx, keys)
            rows = conn.execute(select(table).where(table.c.id.in_(ids)).order_by(label, table.c.id)).all() \
                if ids else []
        if rows:
            return rows
    return []


def _visible_keys(ctx: ToolContext, keys: Sequence) -> list[str]:
    """Ids of the first ``CANDIDATE_LIMIT`` (id, owner) keys whose owner is in reach, checking
    owners a batch at a time until enough are found."""
    ids: list[str] = []
    for start in range(0, len(keys), CANDIDATE_LIMIT):
        batch = keys[start:start + CANDIDATE_LIMIT]
        seen = ctx.visible({k[1] for k in batch})
        ids += [k[0] for k in batch if k[1] in seen]
        if len(ids) >= CANDIDATE_LIMIT:
            break
    return ids[:CANDIDATE_LIMIT]


def parse_date(value: str, field: str) -> dt.date | None:
    """An ISO date argument; empty means "not given"."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ToolError(f"{field} must be a date like 2026-07-01, not {value!r}.") from None


def _tokens(text: str, noise: frozenset[str] = frozenset()) -> list[str]:
    words = _words(text)
    kept = [w for w in words if w not in noise]
    return kept or words


def _words(text: str) -> list[str]:
    return re.findall(r"[\w%'-]+", text.lower())


def _word_starts(tokens: Sequence[str], text: str) -> bool:
    words = _words(text)
    return all(any(w.startswith(t) for w in words) for t in tokens)


def best_matches(query: str, items: Sequence[T], label: Callable[[T], str], noise=frozenset(),
                 *, first_word: bool = False) -> list[T]:
    """The best-matching items for ``query`` by the rules in the module doc (may be empty).

    With ``first_word`` (names), one word typed that is someone's first name beats the same
    word as another person's surname.
    """
    q = " ".join(query.lower().split())
    exact = [i for i in items if label(i).lower() == q]
    if exact:
        return exact
    tokens = _tokens(q, noise)
    containing = [i for i in items if all(t in label(i).lower() for t in tokens)]
    starting = [i for i in containing if _word_starts(tokens, label(i))]
    whole = [i for i in starting if set(tokens) <= set(_words(label(i)))]
    if first_word and len(tokens) == 1:
        whole = [i for i in whole if _words(label(i))[0] == tokens[0]] or whole
    if containing:
        return whole or starting or containing
    scored = [(_closeness(q, tokens, label(i).lower()), i) for i in items]
    top = max((s for s, _ in scored), default=0.0)
    return [i for s, i in scored if s >= FUZZY_CUTOFF and s == top]


def _closeness(query: str, tokens: Sequence[str], label: str) -> float:
    """How close a misspelt query is: the whole text, or its worst-matching word against the label's words."""
    def ratio(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b).ratio()

    words = _words(label)
    per_word = min((max((ratio(t, w) for w in words), default=0.0) for t in tokens), default=0.0)
    return max(ratio(query, label), per_word)


def _listing(items: Sequence[T], describe: Callable[[T], str]) -> str:
    shown = "; ".join(describe(i) for i in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def person_label(p: Person) -> str:
    extra = ", ".join(x for x in (p.title, p.department) if x)
    return f"{p.name} <{p.email}>" + (f" ({extra})" if extra else "")


def find_person(ctx: ToolContext, who: str) -> Person:
    """The one person in reach that ``who`` (name, first name, email, id or "me") means."""
    s = ctx.session
    q = " ".join((who or "").split())
    if not q:
        raise ToolError("Name a person: a full or first name, or an email address.")
    if q.lower() in SELF_WORDS:
        return s.get(Person, ctx.viewer.person_id)
    if q.startswith("person:"):  # a ref from an earlier fact: an id, never a name
        person = s.get(Person, q.removeprefix("person:"))
        if person is None or not ctx.can_see(person.id):
            raise no_person(who)
        return person
    if "@" in q:  # the unique index finds an exact spelling; other casings need a scan
        person = s.scalar(select(Person).where(Person.email == q)) or s.scalar(
            select(Person).where(func.lower(Person.email) == q.lower()))
        if person is None or not ctx.can_see(person.id):
            raise no_person(who)
        return person
    by_id = s.get(Person, q)
    if by_id is not None and ctx.can_see(by_id.id):
        return by_id
    matches = best_matches(q, _candidates(ctx, Person.__table__, Person.name, Person.id, q), lambda p: p.name,
                           first_word=True)
    if not matches:
        raise no_person(who)
    if len(matches) > 1:
        ordered = sorted(matches, key=lambda p: (p.name.lower(), p.email))
        raise Ambiguous(f"{who!r} matches {len(matches)} people in your reach: "
                        f"{_listing(ordered, person_label)}. Say which one by full name or email.")
    return s.get(Person, matches[0].id)


def _goal_label(g: Goal, owner: str) -> str:
    kind = g.kind.replace("_", " ")
    due = f", due {g.due_date.isoformat()}" if g.due_date else ""
    return f"'{g.title}' ({kind} of {owner}{due})"


def find_goal(ctx: ToolContext, words: str, person: str = "") -> Goal:
    """The one goal in reach whose title matches ``words`` (optionally owned by ``person``)."""
    s = ctx.session
    q = " ".join((words or "").split())
    if not q:
        raise ToolError("Give some words from the goal's title.")
    if q.startswith("goal:"):  # a ref from an earlier fact
        goal = s.get(Goal, q.removeprefix("goal:"))
        if goal is None or not ctx.can_see(goal.owner_id):
            raise NoMatch(f"No goal {q} in your reach.")
        return goal
    owner = find_person(ctx, person) if person.strip() else None
    if owner is not None:
        candidates = list(s.scalars(select(Goal).where(Goal.owner_id == owner.id)))
    else:
        candidates = _candidates(ctx, Goal.__table__, Goal.title, Goal.owner_id, q, GOAL_NOISE)
    matches = best_matches(q, candidates, lambda g: g.title, GOAL_NOISE)
    if len(matches) == 1:
        return s.get(Goal, matches[0].id)
    if not matches:
        hint = ""
        if owner is not None:
            titles = s.scalars(select(Goal.title).where(Goal.owner_id == owner.id).order_by(Goal.title))
            listed = ", ".join(f"'{t}'" for t in list(titles)[:MAX_LISTED])
            hint = f" {owner.name}'s goals: {listed}." if listed else f" {owner.name} has no goals."
        raise NoMatch(f"No goal matching {words!r} in your reach.{hint}")
    names = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_({g.owner_id for g in matches}))).all())
    ordered = sorted(matches, key=lambda g: (g.title.lower(), names[g.owner_id], g.id))
    raise Ambiguous(f"{words!r} matches {len(matches)} goals: "
                    f"{_listing(ordered, lambda g: _goal_label(g, names[g.owner_id]))}. "
                    "Add more title words or the owner's name.")


def find_kpis(ctx: ToolContext, words: str) -> list:
    """KPIs (rows of the kpis table) owned by someone in reach whose name matches ``words``,
    best matches only, at most ``CANDIDATE_LIMIT``."""
    s = ctx.session
    q = " ".join((words or "").split())
    if q.startswith("kpi:"):
        kpi = s.connection().execute(select(KPI.__table__).where(KPI.id == q.removeprefix("kpi:"))).first()
        return [kpi] if kpi is not None and ctx.can_see(kpi.owner_id) else []
    rows = _candidates(ctx, KPI.__table__, KPI.name, KPI.owner_id, q)
    return sorted(best_matches(q, rows, lambda k: k.name), key=lambda k: (k.name.lower(), k.owner_id, k.id))


def visible_names(ctx: ToolContext, ids: set[str]) -> dict[str, str]:
    """Names of the people in ``ids`` that the viewer may see (others are left out)."""
    wanted = ctx.visible(i for i in ids if i)
    if not wanted:
        return {}
    return dict(ctx.session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted))).all())

"""SMART and OKR checks of a goal's wording and numbers.

SMART, for a goal or key result (an objective is checked as an OKR instead):
* specific: fails when the title has fewer than 3 words (objectives may be short), or opens with a vague verb
  (``VAGUE_VERBS``) followed only by generic words (``GENERIC_WORDS``): no concrete object.
* measurable: fails when nothing says what is counted (no metric, unit or number in the
  text), when there is no target value, or when the stated direction contradicts the numbers.
* achievable: fails when the target is more than ``MAX_CHANGE`` (200%) away from a non-zero
  baseline (|target - baseline| > 2 x |baseline|, e.g. more than tripling), or is negative
  for a quantity that starts at or above zero.
* relevant: fails when the goal is not aligned to a parent goal and has no description
  (for free text: no phrase such as "so that" or "to support" saying why it matters).
* time-bound: fails when there is no due date (for free text: no date or deadline phrase).

OKR, for an objective: it needs 2 to 5 key results; the objective is qualitative (no
numbers); every key result is a measurable outcome, not a task: it has a number or target
and does not open with an activity verb (``ACTIVITY_VERBS``: launch, hold, run, ...).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tools.analytics.numbers import fmt

MAX_CHANGE = 2.0
MIN_WORDS = 3
MIN_KEY_RESULTS, MAX_KEY_RESULTS = 2, 5

VAGUE_VERBS = frozenset(
    "improve work help support try focus enhance continue optimize optimise do handle "
    "strengthen boost be get make better maintain".split()
)
GENERIC_WORDS = frozenset(
    "things thing stuff performance quality results work skills skill process processes "
    "communication everything overall general more better it on at our my the a an of to in "
    "and with team job output productivity efficiency experience impact delivery level levels "
    "way ways myself ourselves area areas".split()
)
ACTIVITY_VERBS = frozenset(
    "launch hold run organize organise create write build ship attend complete deliver implement "
    "host publish conduct set start schedule meet send draft plan review roll introduce migrate "
    "hire train design prepare update".split()
)
WHY_PHRASES = ("so that", "so we", "in order to", "because", "to support", "to help", "which will", "aligned")

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,]\d+)?%?")
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DEADLINE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|q[1-4](?:\s*\d{4})?|h[12]|(?:end|close) of (?:the )?(?:year|quarter|month|sprint)|"
    r"(?:within|in) \d+ (?:days?|weeks?|months?)|"
    r"by (?:the )?(?:" + "|".join(_MONTHS) + r")\b(?:\s+\d{1,2})?(?:,?\s*\d{4})?|"
    r"(?:" + "|".join(_MONTHS) + r")\s+\d{1,2}(?:,?\s*\d{4})?|(?:in|by|of) (?:19|20)\d{2}\b(?!-))", re.I)
_FROM_TO = re.compile(r"from\s+(-?\d+(?:\.\d+)?)\s*%?\s*\w*\s+to\s+(-?\d+(?:\.\d+)?)\s*(%|[A-Za-z]+)?", re.I)
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(%|[A-Za-z]+)?")
_DOWN_VERBS = ("cut", "reduce", "lower", "decrease", "drop", "shrink", "halve")


@dataclass(frozen=True)
class GoalSpec:
    """What the check reads; built from a stored goal or from free text."""

    title: str
    kind: str = "smart"  # smart / objective / key_result
    description: str | None = None
    metric: str | None = None
    unit: str | None = None
    direction: str | None = None
    baseline: float | None = None
    target: float | None = None
    due: dt.date | str | None = None  # a date, or a deadline phrase found in free text
    aligned: bool = False  # has a parent goal, or says why it matters
    key_results: tuple[GoalSpec, ...] = field(default=())


@dataclass(frozen=True)
class Failure:
    criterion: str  # specific, measurable, achievable, relevant, time-bound, key results, outcome, qualitative
    reason: str
    subject: str  # the title of the goal the failure is about

    def text(self) -> str:
        return f"{self.criterion.capitalize()}: {self.reason}"


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _has_number(text: str) -> bool:
    return bool(re.search(r"\d", _DEADLINE.sub(" ", text)))


def _specific(g: GoalSpec) -> list[str]:
    words = _words(g.title)
    if len(words) < MIN_WORDS and g.kind != "objective":
        return [f"the title '{g.title}' has only {len(words)} word{'s' * (len(words) != 1)}; "
                "say what will change, for whom, by how much"]
    if words[0] in VAGUE_VERBS and all(w in GENERIC_WORDS or w in VAGUE_VERBS for w in words[1:]):
        return [f"it opens with the vague verb '{words[0]}' and names no concrete object or result"]
    return []


def _measurable(g: GoalSpec) -> list[str]:
    text = f"{g.title} {g.description or ''}"
    problems = []
    if not (g.metric or g.unit or _has_number(text)):
        problems.append("no metric or unit says what is counted")
    if g.target is None and not _has_number(g.title):
        problems.append("no target value")
    if g.direction and g.baseline is not None and g.target is not None and g.target != g.baseline:
        implied = "up" if g.target > g.baseline else "down"
        if implied != g.direction:
            problems.append(f"direction '{g.direction}' contradicts target {fmt(g.target)} "
                            f"vs baseline {fmt(g.baseline)}")
    return ["; ".join(problems)] if problems else []


def _achievable(g: GoalSpec) -> list[str]:
    if g.baseline is None or g.target is None:
        return []
    if g.baseline >= 0 > g.target:
        return [f"target {fmt(g.target)} is below zero for a quantity that starts at {fmt(g.baseline)}"]
    if g.baseline and abs(g.target - g.baseline) > MAX_CHANGE * abs(g.baseline):
        change = (g.target - g.baseline) / abs(g.baseline) * 100
        return [f"target {fmt(g.target)} is {fmt(abs(change))}% {'above' if change > 0 else 'below'} "
                f"baseline {fmt(g.baseline)}; a change over {MAX_CHANGE * 100:.0f}% in one goal is rarely achievable"]
    return []


def _relevant(g: GoalSpec) -> list[str]:
    if g.aligned or (g.description or "").strip():
        return []
    return ["it is not aligned to a team goal and does not say why it matters"]


def _time_bound(g: GoalSpec) -> list[str]:
    return [] if g.due else ["no due date or deadline"]


def _outcome(kr: GoalSpec) -> list[str]:
    words = _words(kr.title)
    if words and words[0] in ACTIVITY_VERBS:
        return [f"it reads as a task (opens with '{words[0]}'); state the result it should change, with a number"]
    if kr.target is None and not _has_number(kr.title):
        return ["it has no number or target, so it cannot be scored as an outcome"]
    return []


def check(goal: GoalSpec) -> list[Failure]:
    """Every failed criterion of ``goal`` (and of its key results, for an objective)."""
    checks = {"specific": _specific, "relevant": _relevant, "time-bound": _time_bound}
    if goal.kind == "objective":
        failures = _run(goal, checks)
        n = len(goal.key_results)
        if not MIN_KEY_RESULTS <= n <= MAX_KEY_RESULTS:
            failures.append(Failure("key results", f"it has {n} key result{'s' * (n != 1)}; "
                                    f"an objective needs {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS}", goal.title))
        if _has_number(goal.title):
            failures.append(Failure("qualitative", "the objective contains a number; keep it qualitative "
                                    "and put the numbers in its key results", goal.title))
        for kr in goal.key_results:  # a key result without a date shares its objective's
            kr_failures = check(kr if kr.due or not goal.due else GoalSpec(**{**kr.__dict__, "due": goal.due}))
            failures += [f for f in kr_failures if f.criterion != "time-bound" or goal.due]
        return failures
    checks = {"specific": _specific, "measurable": _measurable, "achievable": _achievable}
    if goal.kind == "key_result":
        checks["outcome"] = _outcome
    else:
        checks["relevant"] = _relevant
    checks["time-bound"] = _time_bound
    return _run(goal, checks)


def _run(goal: GoalSpec, checks) -> list[Failure]:
    return [Failure(name, reason, goal.title) for name, fn in checks.items() for reason in fn(goal)]


def spec_from_text(text: str) -> GoalSpec:
    """Read a goal typed as free text. Lines after the first that start with 'KR', '-', '*'
    or a number and a dot make the first line an objective with those key results.
    """
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        raise ValueError("The goal text is empty.")
    head = re.sub(r"^(objective|goal)\s*[:\-]\s*", "", lines[0], flags=re.I)
    krs = [re.sub(r"^(kr\s*\d*\s*[:.)-]?|[-*]|\d+[.)])\s*", "", ln, flags=re.I) for ln in lines[1:]
           if re.match(r"^(kr\b|kr\d|[-*]|\d+[.)])", ln, flags=re.I)]
    if krs:
        return GoalSpec(title=head, kind="objective", due=_deadline(text), aligned=_why(text),
                        key_results=tuple(_single(kr, "key_result") for kr in krs))
    return _single(" ".join([head, *lines[1:]]), "smart")


def _single(text: str, kind: str) -> GoalSpec:
    plain = _DEADLINE.sub(" ", text)
    baseline = target = unit = None
    m = _FROM_TO.search(plain)
    if m:
        baseline, target, unit = float(m.group(1)), float(m.group(2)), m.group(3)
    else:
        numbers = _NUMBER.findall(plain)
        if numbers:
            target, unit = float(numbers[-1][0]), numbers[-1][1] or None
    direction = None
    first = (_words(text) or [""])[0]
    if first in _DOWN_VERBS:
        direction = "down"
    return GoalSpec(title=text.strip(), kind=kind, unit=unit, direction=direction, baseline=baseline,
                    target=target, due=_deadline(text), aligned=_why(text))


def _deadline(text: str) -> str | None:
    m = _DEADLINE.search(text)
    return m.group(0) if m else None


def _why(text: str) -> bool:
    low = text.lower()
    return any(p in low for p in WHY_PHRASES)

"""Citations attached in code, and checks that an answer says only what the tools returned.

The small local model writes grounded sentences but no citation markers, so markers are
attached after generation: each sentence is matched to the facts returned this turn by its
numbers, dates, names and key words. Then the answer is checked:

- a marker that points at no fact of this turn is removed and flagged (``foreign_citation``);
- a number or a date found in no fact is flagged (``unsupported_number``, ``unsupported_date``).

Markers in the grounded text are ``[n]``: the n-th entry of :attr:`Grounded.citations`.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?", re.I)
_NUMBER = re.compile(r"(?<![\w.:/-])(?P<n>[-+−]?\d[\d,]*(?:\.\d+)?)(?P<u>%)?(?![\w:/])"
                     r"(?(u)|(?P<pt>\s+(?:percentage\s+)?(?:points?|pts?|pp)\b)?)")
_RATIO = re.compile(r"\b\d+:\d+\b")
_ENUMERATOR = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_MARKER = re.compile(r"\s*\[([A-Za-z]{0,3}\d{1,3}|[a-z]+:[^\]\s]+)\]")
_MARKERS_AFTER_STOP = re.compile(rf"([.!?]+)((?:{_MARKER.pattern})+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
STOPWORDS = frozenset(
    """about above after again against also among and another any are around because been before being
    below between both but can could did does doing down during each either even every few from further
    had has have having her here hers herself him himself his how into its itself just last like made make
    many might more most much must near need next not now off once only other our ours out over own per
    same she should since some still such than that the their theirs them then there these they this those
    through too under until upon very was were what when where which while who whom why will with within
    without would you your yours week weeks goal goals""".split()
)


@dataclass(frozen=True)
class SourceFact:
    """A fact shown to the model this turn, under its prompt ``label`` (e.g. ``"3"``)."""

    label: str
    ref: str
    text: str
    date: dt.date | None = None


@dataclass
class Flag:
    kind: str
    detail: str
    sentence: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail, "sentence": self.sentence}


@dataclass
class Grounded:
    text: str
    citations: list[dict[str, str]] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def citation_for(fact: SourceFact, limit: int = 90) -> dict[str, str]:
    kind, _, ident = fact.ref.partition(":")
    label = fact.text if len(fact.text) <= limit else fact.text[: limit - 1].rstrip() + "…"
    return {"kind": kind, "id": ident, "label": label}


def find_dates(text: str) -> list[tuple[int | None, int, int]]:
    """Dates written as ISO, 'May 4[, 2026]' or '4 May [2026]', as (year or None, month, day)."""
    out: list[tuple[int | None, int, int]] = []
    for y, m, d in _ISO.findall(text):
        out.append((int(y), int(m), int(d)))
    for mon, d, y in _MONTH_DAY.findall(text):
        out.append((int(y) if y else None, MONTHS[mon[:3].lower()], int(d)))
    for d, mon, y in _DAY_MONTH.findall(text):
        out.append((int(y) if y else None, MONTHS[mon[:3].lower()], int(d)))
    return [x for x in out if 1 <= x[1] <= 12 and 1 <= x[2] <= 31]


def _without_dates(text: str) -> str:
    for pattern in (_ISO, _MONTH_DAY, _DAY_MONTH, _RATIO):
        text = pattern.sub(" ", text)
    return text


def find_numbers(text: str) -> list[float]:
    """Numbers in ``text`` outside dates, ratios like 1:1 and tokens such as Q3 or G-17."""
    return [value for value, _ in find_quantities(text)]


def find_quantities(text: str) -> list[tuple[float, str]]:
    """:func:`find_numbers` with each number's unit: ``"%"``, ``"pt"`` (points) or ``""``."""
    values = []
    for m in _NUMBER.finditer(_without_dates(text)):
        try:
            value = float(m["n"].replace(",", "").replace("−", "-"))
        except ValueError:
            continue
        values.append((value, "%" if m["u"] else "pt" if m["pt"] else ""))
    return values


def _stem(word: str) -> str:
    w = word.lower().strip("'-")
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def _key_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in STOPWORDS}


def _names(text: str) -> set[str]:
    """Capitalised words (possessive dropped): likely names and titles."""
    words = (w.removesuffix("'s") for w in _WORD.findall(text))
    return {w for w in words if w[0].isupper() and w.lower() not in STOPWORDS}


@dataclass(frozen=True)
class _Profile:
    numbers: frozenset[tuple[float, str]]
    dates: frozenset[tuple[int | None, int, int]]
    words: frozenset[str]
    names: frozenset[str]


@functools.lru_cache(maxsize=4096)  # grounding scores every fact against every sentence of an answer
def _profile(fact: SourceFact) -> _Profile:
    dates = set(find_dates(fact.text))
    numbers = {(abs(n), unit) for n, unit in find_quantities(fact.text)}
    if fact.date:
        dates.add((fact.date.year, fact.date.month, fact.date.day))
    for y, m, d in list(dates):
        if y:
            numbers.add((float(y), ""))
    return _Profile(frozenset(numbers), frozenset(dates), frozenset(_key_words(fact.text)), frozenset(_names(fact.text)))


def _number_known(n: float, unit: str, known: set[tuple[float, str]]) -> bool:
    """Known as written, as a percentage of a fraction (or back), or rounded to a whole number (from 10 up).

    Units must not contradict: "22.1%" is not supported by "22.1 points" (a bare number matches either)."""
    n = abs(n)
    return any(
        (not unit or not ku or unit == ku) and (
            math.isclose(n, k) or math.isclose(n, k * 100) or math.isclose(n * 100, k)
            or (n == round(n) and abs(k) >= 10 and round(k) == n))
        for k, ku in known
    )


def _date_known(date: tuple[int | None, int, int], known: set[tuple[int | None, int, int]]) -> bool:
    y, m, d = date
    return any(m == km and d == kd and (y is None or ky is None or y == ky) for ky, km, kd in known)


def _score(sentence: str, p: _Profile) -> float:
    nums = {(abs(n), unit) for n, unit in find_quantities(sentence)}
    score = 2.0 * sum(1 for n, unit in nums if n not in (0.0, 1.0) and _number_known(n, unit, p.numbers))
    score += 2.0 * sum(1 for d in find_dates(sentence) if _date_known(d, p.dates))
    score += 1.5 * len(_names(sentence) & p.names)
    score += 1.0 * len(_key_words(sentence) & p.words)
    return score


def best_fact(sentence: str, facts: Sequence[SourceFact]) -> tuple[float, SourceFact | None]:
    """The fact that best supports ``sentence`` and its score (2 or more: a useful match)."""
    best: tuple[float, SourceFact | None] = (0.0, None)
    for fact in facts:
        score = _score(sentence, _profile(fact))
        if score > best[0]:
            best = (score, fact)
    return best


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, line by line (list markers kept with their sentence)."""
    return [s.strip() for line in text.split("\n") for s in _sentences(line)]


def _sentences(line: str) -> list[str]:
    """Sentences of one line; markers written after a sentence's full stop stay with it."""
    line = _MARKERS_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), line)
    return [s for s in _SENTENCE_END.split(line) if s.strip()]


class Figures:
    """The numbers and dates of some tool output, to check an answer's figures against."""

    def __init__(self, facts: Sequence[SourceFact], context: Sequence[str] = ()) -> None:
        profiles = [_profile(f) for f in [*facts, *(SourceFact("", "", text) for text in context)]]
        self.numbers = set().union(*(p.numbers for p in profiles))
        self.dates = set().union(*(p.dates for p in profiles))

    def unsupported(self, sentence: str) -> list[Flag]:
        """A flag for each number (other than 0 and 1) and date of ``sentence`` found in no output."""
        flags = []
        for n, unit in find_quantities(sentence):
            if abs(n) not in (0.0, 1.0) and not _number_known(n, unit, self.numbers):
                shown = f"{n:g}%" if unit == "%" else f"{n:g} points" if unit == "pt" else f"{n:g}"
                flags.append(Flag("unsupported_number", f"{shown} appears in no tool output", sentence.strip()))
        for d in find_dates(sentence):
            if not _date_known(d, self.dates):
                shown = f"{d[0]}-{d[1]:02d}-{d[2]:02d}" if d[0] else f"{d[1]:02d}-{d[2]:02d}"
                flags.append(Flag("unsupported_date", f"{shown} appears in no tool output", sentence.strip()))
        return flags


def ground(answer: str, facts: Sequence[SourceFact], *, context: Sequence[str] = (), min_score: float = 2.0) -> Grounded:
    """Attach ``[n]`` markers to ``answer``'s sentences and flag what no fact supports.

    ``context`` is other tool output (summaries): its numbers and dates count as supported,
    but it cannot be cited.
    """
    by_label = {f.label: f for f in facts}
    by_ref = {f.ref: f for f in facts}
    figures = Figures(facts, context)
    citations: list[dict[str, str]] = []
    order: dict[str, int] = {}
    flags: list[Flag] = []

    def number_for(fact: SourceFact) -> int:
        if fact.ref not in order:
            order[fact.ref] = len(citations) + 1
            citations.append(citation_for(fact))
        return order[fact.ref]

    out_lines = []
    for line in answer.split("\n"):
        prefix = _ENUMERATOR.match(line)
        head, body = (line[: prefix.end()], line[prefix.end():]) if prefix else ("", line)
        out_sentences = []
        for sentence in _sentences(body):
            cited: list[SourceFact] = []
            for marker in _MARKER.findall(sentence):
                fact = by_label.get(marker) or by_ref.get(marker) or by_label.get(marker.lstrip("Ff"))
                if fact is None:
                    flags.append(Flag("foreign_citation", f"[{marker}] is not a fact returned this turn; removed", sentence.strip()))
                elif fact not in cited:
                    cited.append(fact)
            plain = _MARKER.sub("", sentence).rstrip()
            if not cited:
                score, fact = best_fact(plain, facts)
                if fact is not None and score >= min_score:
                    cited.append(fact)
            flags += figures.unsupported(plain)
            marks = "".join(f" [{number_for(f)}]" for f in cited)
            if marks:
                trail = re.search(r"[.!?]*$", plain)
                cut = trail.start() if trail else len(plain)
                plain = plain[:cut] + marks + plain[cut:]
            out_sentences.append(plain)
        out_lines.append(head + " ".join(out_sentences))
    return Grounded(text="\n".join(out_lines).strip(), citations=citations, flags=flags)


def facts_from_results(results: Sequence[Any]) -> list[SourceFact]:
    """Label the facts of tool results 1, 2, 3... in order, one label per distinct (ref, text)."""
    out: list[SourceFact] = []
    seen: set[tuple[str, str]] = set()
    for result in results:
        for fact in result.facts:
            key = (fact.ref, fact.text)
            if key not in seen:
                seen.add(key)
                out.append(SourceFact(str(len(out) + 1), fact.ref, fact.text, fact.date))
    return out

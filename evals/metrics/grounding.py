"""Grounding metrics: does the answer say only what this turn's tools returned, and cite it?

``sources`` are the texts the answer may rest on: every tool output of the turn (summaries,
fact texts, data rendered as text) and the user's own message.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from evals.metrics.text import Date, contains_phrase, dates, markers, numbers, sentences, strip_markers


@dataclass
class Figures:
    """The figures of an answer and those no source supports (each as written, e.g. '61%' -> '61')."""

    total: int = 0
    unsupported: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.unsupported) / self.total if self.total else 0.0


def _number_supported(value: float, decimals: int, pool: set[float]) -> bool:
    """Supported when some source number k equals it, or rounds to it at the decimals written, up to sign,
    or is the same share written as a fraction or a percentage (0.27 and 27)."""
    v = abs(value)
    for k in pool:
        for cand in (abs(k), abs(k) * 100, abs(k) / 100):
            if abs(cand - v) < 1e-9 or round(cand, decimals) == v:
                return True
    return False


def _date_supported(d: Date, pool: set[Date]) -> bool:
    y, m, day = d
    return any(m == pm and day == pd and (y is None or py is None or y == py) for py, pm, pd in pool)


def source_pools(sources: Iterable[str]) -> tuple[set[float], set[Date]]:
    """Numbers and dates found in the sources; each date also adds its year, month and day as numbers."""
    nums: set[float] = set()
    found: set[Date] = set()
    for text in sources:
        nums.update(v for v, _ in numbers(text))
        for d in dates(text):
            found.add(d)
            nums.update(x for x in d if x is not None)
    return nums, found


def unsupported_figures(answer: str, sources: Sequence[str], names: Iterable[str] = ()) -> Figures:
    """Numbers, dates and person names in ``answer`` that appear in no source.

    - numbers: every number outside dates, ids, ratios and list enumerators, except 0 and 1
      (counting words); supported as defined by :func:`_number_supported`;
    - dates: ISO, 'May 4' or '4 May' (with an optional year); supported when a source has the same
      month and day (and year, when both give one);
    - names: each of ``names`` (first and last names of the org's people) that occurs in the answer
      as a whole word; supported when it occurs as a whole word in a source.

    ``Figures.rate`` = unsupported / total (0.0 when the answer has no figures).
    """
    nums, found = source_pools(sources)
    joined = "\n".join(sources)
    out = Figures()
    body = strip_markers(answer)
    for value, decimals in numbers(body):
        if abs(value) in (0.0, 1.0):
            continue
        out.total += 1
        if not _number_supported(value, decimals, nums):
            out.unsupported.append(f"{value:g}")
    for d in dates(body):
        out.total += 1
        if not _date_supported(d, found):
            out.unsupported.append("-".join(str(x) for x in d if x is not None))
    for name in sorted(set(names)):
        pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
        if re.search(pattern, body):
            out.total += 1
            if not re.search(pattern, joined):
                out.unsupported.append(name)
    return out


def citation_validity(answer: str, citations: Sequence[Mapping[str, str]], returned_refs: set[str]) -> float:
    """Share of citation markers ``[n]`` in the answer that point at an entry of ``citations`` whose
    record (``kind:id``) a tool returned this turn. No markers gives 1.0."""
    found = markers(answer)
    if not found:
        return 1.0
    valid = sum(1 for n in found if 1 <= n <= len(citations)
                and f"{citations[n - 1]['kind']}:{citations[n - 1]['id']}" in returned_refs)
    return valid / len(found)


def is_factual(sentence: str, names: Iterable[str]) -> bool:
    """A sentence states a fact when it holds a number (other than 0 or 1), a date, or a person's name."""
    plain = strip_markers(sentence)
    if any(abs(v) not in (0.0, 1.0) for v, _ in numbers(plain)) or dates(plain):
        return True
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", plain) for n in names)


def citation_coverage(answer: str, names: Iterable[str] = ()) -> float:
    """Share of factual sentences (see :func:`is_factual`; lines ending in ':' are headings, skipped)
    that carry at least one citation marker ``[n]``. No factual sentence gives 1.0."""
    names = list(names)
    factual = [s for s in sentences(answer) if not s.rstrip().endswith(":") and is_factual(s, names)]
    if not factual:
        return 1.0
    return sum(1 for s in factual if markers(s)) / len(factual)


def required_facts(answer: str, required: Sequence[str]) -> tuple[float, list[str]]:
    """Share of ``required`` phrases the answer names, and the missing ones.

    A phrase matches case-insensitively at a word start ('devkit' matches 'devkits'); 'a|b' accepts
    either alternative. No required phrase gives 1.0.
    """
    if not required:
        return 1.0, []
    missing = [r for r in required if not any(contains_phrase(answer, alt.strip()) for alt in r.split("|"))]
    return 1 - len(missing) / len(required), missing


def forbidden_mentions(answer: str, phrases: Sequence[str]) -> list[str]:
    """The ``phrases`` the answer contains (case-insensitive, at a word start)."""
    return [p for p in phrases if contains_phrase(answer, p)]

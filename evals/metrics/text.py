"""What the metrics read out of text: sentences, citation markers, numbers, dates and words.

Written independently of :mod:`assistant.grounding`, so the agent's own extraction is not
used to judge the agent.
"""
from __future__ import annotations

import re

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_DAY = re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(\d{{4}}))?", re.I)
MARKER = re.compile(r"\[(\d{1,3})\]")
ENUMERATOR = re.compile(r"^\s*[#>*_]*\s*(?:\d{1,2}[.)]|[-*•])\s+", re.M)  # also under Markdown: "**2. Title**"
# A number: not part of an id such as P-12 or Q3, a ratio such as 1:1, or an ordinal such as 3rd.
NUMBER = re.compile(r"(?<![\w.:/-])(?<![A-Za-z]-)[-+−]?\$?\d[\d,]*(?:\.\d+)?%?(?![\w:/]|\.\d)")
RATIO = re.compile(r"\b\d+:\d+\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
Date = tuple[int | None, int, int]  # (year or None, month, day)


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def markers(text: str) -> list[int]:
    """The citation numbers ``[n]`` in ``text``, in order."""
    return [int(n) for n in MARKER.findall(text)]


def sentences(text: str) -> list[str]:
    """Sentences, split at ., ! or ? followed by a space, and at line breaks; list markers removed."""
    out = []
    for piece in SENTENCE.split(text):
        piece = ENUMERATOR.sub("", piece).strip()
        if re.search(r"[A-Za-z0-9]", piece):
            out.append(piece)
    return out


def dates(text: str) -> list[Date]:
    """Dates written as 2026-05-04, 'May 4[, 2026]' or '4 May [2026]'."""
    found: list[Date] = [(int(y), int(m), int(d)) for y, m, d in ISO_DATE.findall(text)]
    found += [(int(y) if y else None, MONTHS[mon[:3].lower()], int(d)) for mon, d, y in MONTH_DAY.findall(text)]
    found += [(int(y) if y else None, MONTHS[mon[:3].lower()], int(d)) for d, mon, y in DAY_MONTH.findall(text)]
    return [x for x in found if 1 <= x[1] <= 12 and 1 <= x[2] <= 31]


def without_dates(text: str) -> str:
    for pattern in (ISO_DATE, MONTH_DAY, DAY_MONTH, RATIO):
        text = pattern.sub(" ", text)
    return text


def numbers(text: str) -> list[tuple[float, int]]:
    """Numbers outside dates, ratios, ids and list enumerators, as (value, decimals written)."""
    body = ENUMERATOR.sub(" ", without_dates(strip_markers(text)))
    out = []
    for raw in NUMBER.findall(body):
        clean = raw.replace(",", "").replace("%", "").replace("$", "").replace("−", "-").lstrip("+")
        try:
            value = float(clean)
        except ValueError:
            continue
        decimals = len(clean.split(".", 1)[1]) if "." in clean else 0
        out.append((value, decimals))
    return out


def words(text: str) -> list[str]:
    """Lower-case words (letters, apostrophes and hyphens)."""
    return [w.lower().strip("'-") for w in WORD.findall(text)]


def word_count(text: str) -> int:
    return len(WORD.findall(strip_markers(text)))


def contains_phrase(text: str, phrase: str) -> bool:
    """``phrase`` in ``text``, case-insensitively, not inside a longer word at its ends."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(phrase.lower())}", text.lower()) is not None

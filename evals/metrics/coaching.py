"""Coaching-question metrics: how many questions, how open, and how tied to the person's own records."""
from __future__ import annotations

import re
from collections.abc import Sequence

from evals.metrics.text import ENUMERATOR, numbers, strip_markers, words

# A yes/no question opens with an auxiliary or modal verb ("Do you...", "Is it...", "Can we...").
CLOSED_OPENERS = frozenset(
    """am is are was were do does did have has had can could will would shall should may might must
    isn't aren't wasn't weren't don't doesn't didn't haven't hasn't hadn't can't couldn't won't wouldn't
    shouldn't""".split()
)
# Words any coaching question may use; sharing only these with the records does not tie a question to them.
GENERIC = frozenset(
    """what how when where which who why would could should will your you yours yourself this that these those
    there their them they with from about into over next last week weeks month months time today going doing
    done feel feeling think thinking help helps helped support need needs make makes like want most more
    some thing things work working team goal goals progress plan plans step steps right current currently
    able biggest best better change changes getting keep kept look looking moving move happen happened
    happening well also been being have just able reach meet meeting one-on-one check-in since still each
    other differently again achieve achieving towards toward blocker blockers blocking obstacle obstacles
    challenge challenges priority priorities area areas role""".split()
)
AGENDA = re.compile(r"^\s*agenda\s*:", re.I | re.M)


def questions(answer: str) -> list[str]:
    """The questions of a coaching answer: sentences ending in '?' before any 'Agenda:' section,
    with list markers and citation markers removed."""
    body = strip_markers(answer)
    cut = AGENDA.search(body)
    if cut:
        body = body[: cut.start()]
    found = []
    for line in body.splitlines():
        line = ENUMERATOR.sub("", line).strip()
        found += [q.strip() for q in re.findall(r"[^?.!]*\?", line) if re.search(r"[A-Za-z]", q)]
    return found


def is_open(question: str) -> bool:
    """Open unless its first word is an auxiliary or modal verb (a yes/no question)."""
    first = words(question)[:1]
    return bool(first) and first[0] not in CLOSED_OPENERS


def content_words(text: str) -> set[str]:
    """Lower-case words of 4 or more letters that are not generic coaching vocabulary."""
    return {w for w in words(text) if len(w) >= 4 and w not in GENERIC}


def is_tied(question: str, records: Sequence[str]) -> bool:
    """Tied to the person's data when it shares a content word (see :func:`content_words`) or a
    number (other than 0 and 1) with the person's records (tool facts, guidance excluded)."""
    record_words = set().union(*(content_words(r) for r in records)) if records else set()
    if content_words(question) & record_words:
        return True
    record_numbers = {v for r in records for v, _ in numbers(r)}
    return any(v in record_numbers and abs(v) not in (0.0, 1.0) for v, _ in numbers(question))


def question_scores(answer: str, records: Sequence[str]) -> dict[str, float]:
    """``count``; ``count_ok`` (1.0 when 3 to 5 questions); ``open_share`` and ``tied_share``
    (shares of the questions, 0.0 when there are none)."""
    qs = questions(answer)
    n = len(qs)
    return {
        "count": float(n),
        "count_ok": 1.0 if 3 <= n <= 5 else 0.0,
        "open_share": sum(is_open(q) for q in qs) / n if n else 0.0,
        "tied_share": sum(is_tied(q, records) for q in qs) / n if n else 0.0,
    }

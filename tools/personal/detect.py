"""The one detector the agent and the write layer ask: which sentences of a text are personal.

:func:`personal_sentences` judges each sentence (word lists and the classifier, remembered per
sentence); :func:`mentions_personal` is the yes/no the agent uses (``assistant.agent.safety.
mentions_wellbeing`` calls it), and a text that holds the kept-out marker counts as personal.
:func:`clear` records that a manager unmarked a sentence, so the agent lets it through.
"""
from __future__ import annotations

from tools.personal.classifier import CACHE, Verdict, judge
from tools.personal.sentences import digest, sentences

KEPT_OUT = "[a personal detail is kept out of drafts]"


def personal_sentences(text: str | None) -> list[tuple[str, Verdict]]:
    """``(sentence, verdict)`` for each personal sentence of ``text``."""
    parts = sentences(text)
    return [(s, v) for s, v in zip(parts, judge(parts)) if v.personal] if parts else []


def mentions_personal(text: str | None) -> bool:
    """Whether ``text`` holds a health, family or other personal detail (or a kept-out marker)."""
    if not text:
        return False
    if KEPT_OUT in text:
        return True
    return bool(personal_sentences(text))


def clear(sentence: str) -> None:
    """Treat ``sentence`` as not personal in this process (a manager unmarked it)."""
    CACHE.put(digest(sentence), Verdict(False, None, 0.0, "unmarked"))


def redact(text: str | None) -> str:
    """``text`` with each personal sentence replaced by :data:`KEPT_OUT` (for free text such as
    conversation history, which has no stored marks)."""
    out = text or ""
    for sentence, _ in personal_sentences(out):
        out = out.replace(sentence, KEPT_OUT)
    return out

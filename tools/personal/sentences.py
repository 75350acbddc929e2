"""Cutting notes into sentences, and the digest a sentence is known by (case and spacing ignored)."""
from __future__ import annotations

import hashlib
import re

# A sentence ends at . ! ? ; or a line break (1:1 notes are often lists); quotes and brackets stay.
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_SPACE = re.compile(r"\s+")
MIN_CHARS = 3


def sentences(text: str | None) -> list[str]:
    """The sentences of ``text``, stripped, in order (pieces shorter than 3 characters dropped)."""
    out = []
    for piece in _SENTENCE.findall(text or ""):
        piece = piece.strip(" \t\"'“”‘’()[]-*•")
        if len(piece) >= MIN_CHARS:
            out.append(piece)
    return out


def normalised(sentence: str) -> str:
    return _SPACE.sub(" ", sentence).strip().casefold().rstrip(".!?;")


def digest(sentence: str) -> str:
    return hashlib.sha256(normalised(sentence).encode()).hexdigest()

"""Lexical retrieval: Okapi BM25 over the passages.

The corpus is a few hundred passages, so a small in-memory BM25 over numpy is enough
(no extra dependency) and keeps the tokenizer (lowercase, stop words, light suffix
stripping) under our control.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just let me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves i'm i've i'd don't doesn't isn't keep keeps get gets got really
thing things way ways much many also still even lot one someone something
""".split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """Strip one common English suffix when a stem of at least four letters remains."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    """Lowercased, stop-word-free, stemmed terms of ``text``."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


class BM25:
    """Okapi BM25 over a fixed list of documents (``k1`` term saturation, ``b`` length normalisation).

    Each term's score over all documents is computed once, so a query costs one vector
    addition per query term.
    """

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        counts = [Counter(terms(d)) for d in documents]
        self.size = len(counts)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()) if self.size else 0.0, 1e-9))
        postings: dict[str, dict[int, int]] = {}
        for doc, count in enumerate(counts):
            for term, tf in count.items():
                postings.setdefault(term, {})[doc] = tf
        self._weights: dict[str, np.ndarray] = {}
        for term, docs in postings.items():
            idf = math.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5))
            tf = np.zeros(self.size)
            tf[list(docs)] = list(docs.values())
            self._weights[term] = idf * tf * (k1 + 1) / (tf + norm)

    def scores(self, query: str) -> np.ndarray:
        """One score per document, higher is better (0 when no query term occurs)."""
        out = np.zeros(self.size)
        for term in set(terms(query)):
            weights = self._weights.get(term)
            if weights is not None:
                out += weights
        return out

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
    """Okapi BM25 over a fixed list of documents (``k1`` term saturation, ``b`` length normalisation)."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._tf = [Counter(terms(d)) for d in documents]
        self._len = np.array([sum(tf.values()) for tf in self._tf], dtype=np.float64)
        self._avg = float(self._len.mean()) if len(self._len) else 0.0
        df = Counter(t for tf in self._tf for t in tf)
        n = len(documents)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> np.ndarray:
        """One score per document, higher is better (0 when no query term occurs)."""
        out = np.zeros(len(self._tf))
        if not self._tf:
            return out
        norm = self.k1 * (1 - self.b + self.b * self._len / max(self._avg, 1e-9))
        for term in set(terms(query)):
            idf = self._idf.get(term)
            if idf is None:
                continue
            tf = np.array([doc.get(term, 0) for doc in self._tf], dtype=np.float64)
            out += idf * tf * (self.k1 + 1) / (tf + norm)
        return out


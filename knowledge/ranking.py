"""In-memory hybrid ranking over the vectors and texts of the active guidance collection.

A passage's vector score is its cosine similarity to the query plus ``SENTENCE_WEIGHT``
times the best similarity of any one of its sentences (a question often matches one
sentence of a section better than the whole). Vector and BM25 scores are z-normalised
over the corpus and added with ``LEXICAL_WEIGHT``. Weights were tuned on one half of the
labelled questions and checked on the other (see ``knowledge/retrieval_eval.py``).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.lexical import BM25

SENTENCE_WEIGHT = 0.8
LEXICAL_WEIGHT = 0.5


def _z(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores)


class HybridRanker:
    """Scores every passage exactly; the corpus is a few hundred passages, so this takes well under a millisecond."""

    def __init__(
        self, passage_vectors: np.ndarray, lexical_texts: Sequence[str],
        sentence_vectors: np.ndarray, sentence_owner: np.ndarray,
    ) -> None:
        order = np.argsort(sentence_owner, kind="stable")
        self.passages = np.asarray(passage_vectors, dtype=np.float32)
        self.sentences = np.asarray(sentence_vectors, dtype=np.float32)[order]
        owner = np.asarray(sentence_owner)[order]
        if len(owner) and set(owner.tolist()) != set(range(len(self.passages))):
            raise ValueError("every passage needs at least one sentence vector")
        self._starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.array([], int)
        self.bm25 = BM25(lexical_texts)

    def scores(self, query_vector: np.ndarray, query: str) -> tuple[np.ndarray, np.ndarray]:
        """``(fused score, cosine similarity of the whole passage)`` for every passage."""
        similarity = self.passages @ query_vector
        vector = similarity.copy()
        if len(self._starts):
            vector += SENTENCE_WEIGHT * np.maximum.reduceat(self.sentences @ query_vector, self._starts)
        fused = _z(vector) + LEXICAL_WEIGHT * _z(self.bm25.scores(query))
        return fused, similarity

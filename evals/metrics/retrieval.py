"""Guidance retrieval metrics, defined as in :mod:`knowledge.retrieval_eval` (whose labelled set the
report also scores with :func:`knowledge.retrieval_eval.evaluate`)."""
from __future__ import annotations

from collections.abc import Sequence

from knowledge.retrieval_eval import DEPTH


def hit_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1.0 when any gold passage id is among the first ``k`` ranked ids, else 0.0."""
    return 1.0 if set(ranked[:k]) & set(gold) else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str], depth: int = DEPTH) -> float:
    """1 / rank of the first gold id within the first ``depth`` ranked ids (rank 1 is best), 0.0 if none."""
    for rank, pid in enumerate(ranked[:depth], start=1):
        if pid in gold:
            return 1.0 / rank
    return 0.0

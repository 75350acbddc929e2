"""The personal-detail classifier: logistic regression over MiniLM sentence embeddings
(:func:`knowledge.embeddings.embed`), trained by :mod:`tools.personal.train` on the labelled
sentences in ``data/labelled.jsonl`` and shipped as ``data/model.json`` (weights, thresholds and
one centroid per category, which names the category of a marked sentence).

A sentence is personal when its score reaches ``threshold``, or when a word list matches and the
score reaches ``word_threshold`` (lower: the words vouch for it, the model vetoes a work sense
such as "the fertility clinic client"). Scores are remembered per sentence digest.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from tools.personal.sentences import digest
from tools.personal.words import word_category

MODEL_FILE = Path(__file__).with_name("data") / "model.json"
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Verdict:
    personal: bool
    category: str | None
    score: float
    source: str  # "model", "words" (both agree, or words with the model's assent), or "none"


@dataclass(frozen=True)
class Model:
    weights: np.ndarray
    bias: float
    threshold: float
    word_threshold: float
    categories: tuple[str, ...]
    centroids: np.ndarray

    def score(self, vectors: np.ndarray) -> np.ndarray:
        return vectors @ self.weights + self.bias

    def category(self, vector: np.ndarray) -> str:
        return self.categories[int(np.argmax(self.centroids @ vector))]


@cache
def load_model(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(np.array(data["weights"], dtype=np.float32), float(data["bias"]), float(data["threshold"]),
                 float(data["word_threshold"]), tuple(data["categories"]),
                 np.array(data["centroids"], dtype=np.float32))


class _Cache:
    """Verdicts by sentence digest (bounded, oldest dropped first), shared by the threads of a process."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self.rows, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Verdict | None:
        with self.lock:
            verdict = self.rows.get(key)
            if verdict is not None:
                self.rows.move_to_end(key)
            return verdict

    def put(self, key: str, verdict: Verdict) -> None:
        with self.lock:
            self.rows[key] = verdict
            self.rows.move_to_end(key)
            while len(self.rows) > self.size:
                self.rows.popitem(last=False)


CACHE = _Cache()


def judge(sentences: list[str], *, model: Model | None = None, cache: _Cache = CACHE) -> list[Verdict]:
    """A verdict for each sentence (one batched embedding call for those not seen before)."""
    verdicts: list[Verdict | None] = [cache.get(digest(s)) for s in sentences]
    todo = [i for i, v in enumerate(verdicts) if v is None]
    if todo:
        from knowledge.embeddings import embed

        model = model or load_model()
        vectors = embed([sentences[i] for i in todo])
        scores = model.score(vectors)
        for i, vector, score in zip(todo, vectors, scores):
            words = word_category(sentences[i])
            if score >= model.threshold:
                verdict = Verdict(True, words or model.category(vector), float(score), "model")
            elif words and score >= model.word_threshold:
                verdict = Verdict(True, words, float(score), "words")
            else:
                verdict = Verdict(False, None, float(score), "none")
            verdicts[i] = verdict
            cache.put(digest(sentences[i]), verdict)
    return verdicts  # type: ignore[return-value]

"""Train the personal-detail classifier: ``python -m tools.personal.train`` rewrites data/model.json.

L2-regularised logistic regression (Newton's method, numpy) over MiniLM embeddings of the
labelled sentences. The thresholds come from 5-fold cross-validation on the same set (fixed
seed): ``threshold`` is the highest score that keeps cross-validated recall at RECALL_TARGET, and
``word_threshold`` the one that makes the fewest mistakes among the sentences a word list matches
(personal ones kept, work ones rejected), the lowest of equals. Deterministic: the same data gives the same file.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tools.personal.classifier import MODEL_FILE
from tools.personal.words import word_category

DATA_FILE = Path(__file__).with_name("data") / "labelled.jsonl"
L2 = 0.3
FOLDS = 5
SEED = 0
RECALL_TARGET = 0.98


def load(path: Path = DATA_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 30) -> np.ndarray:
    """Weights (bias last) of L2-regularised logistic regression."""
    xb = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    w = np.zeros(xb.shape[1])
    penalty = np.r_[np.ones(x.shape[1]), 0.0] * l2
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        gradient = xb.T @ (p - y) + penalty * w
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    return w


def cross_scores(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    order = np.random.default_rng(SEED).permutation(len(y))
    scores = np.zeros(len(y))
    for fold in np.array_split(order, FOLDS):
        train = np.setdiff1d(order, fold)
        w = fit(x[train], y[train])
        scores[fold] = x[fold] @ w[:-1] + w[-1]
    return scores


def thresholds(scores: np.ndarray, y: np.ndarray, words: list[str | None]) -> tuple[float, float]:
    positive = np.sort(scores[y == 1])
    keep = int(np.floor((1 - RECALL_TARGET) * len(positive)))
    threshold = float(positive[keep]) - 1e-6
    hit = np.array([w is not None for w in words])
    candidates = sorted({float(s) - 1e-6 for s in scores[hit] if s < threshold}) + [threshold]

    def errors(t: float) -> int:  # among word-list hits below the model's own threshold
        below = hit & (scores < threshold)
        return int(((scores < t) & below & (y == 1)).sum() + ((scores >= t) & below & (y == 0)).sum())

    word_threshold = min(candidates, key=lambda t: (errors(t), t))  # fewest errors, then the lowest
    return threshold, word_threshold


def train(rows: list[dict]) -> dict:
    from knowledge.embeddings import embed

    x = embed([r["text"] for r in rows]).astype(np.float64)
    y = np.array([1.0 if r["personal"] else 0.0 for r in rows])
    threshold, word_threshold = thresholds(cross_scores(x, y), y, [word_category(r["text"]) for r in rows])
    w = fit(x, y)
    categories = sorted({r["category"] for r in rows if r["personal"]})
    centroids = []
    for c in categories:
        mean = x[[i for i, r in enumerate(rows) if r["personal"] and r["category"] == c]].mean(axis=0)
        centroids.append(mean / np.linalg.norm(mean))
    return {"weights": [round(float(v), 6) for v in w[:-1]], "bias": round(float(w[-1]), 6),
            "threshold": round(threshold, 6), "word_threshold": round(word_threshold, 6), "categories": categories,
            "centroids": [[round(float(v), 5) for v in c] for c in centroids], "trained_on": len(rows),
            "l2": L2, "recall_target": RECALL_TARGET}


def main() -> None:
    model = train(load())
    MODEL_FILE.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} (trained on {model['trained_on']} sentences; threshold {model['threshold']}, "
          f"word threshold {model['word_threshold']})")


if __name__ == "__main__":
    main()

"""Retrieval evaluation over the labelled question sets in ``knowledge/retrieval_set/*.jsonl``.

Each line is ``{"id": "q-...", "question": "...", "gold": ["doc#section", ...]}``.
Run ``python -m knowledge.retrieval_eval`` to score vector-only and hybrid search on a
throw-away index of the packaged corpus, per labelled file and overall. The files are
written for different documents, so tuning on one file and checking on the other
estimates how the search does on questions nobody tuned for.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.corpus import load_corpus
from knowledge.errors import CorpusError

DEPTH = 10  # ranks looked at for MRR
TARGETS = {"hit@3": 0.90, "mrr": 0.75}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    gold: tuple[str, ...]
    path: str
    line: int


@dataclass
class Metrics:
    """``hit@k``: share of questions with any gold id among the top k results.
    ``mrr``: mean over questions of 1/rank of the first gold id in the top 10, 0 when none is there."""

    n: int
    hit1: float
    hit3: float
    mrr: float
    misses: list[tuple[str, tuple[str, ...], list[str]]] = field(default_factory=list)  # (id, gold, top 3) when not in top 3

    def row(self, label: str) -> str:
        """A Markdown table row: label, questions, hit@1, hit@3, MRR."""
        return f"| {label} | {self.n} | {self.hit1:.3f} | {self.hit3:.3f} | {self.mrr:.3f} |"


def default_questions_dir() -> Path:
    return Path(__file__).resolve().parent / "retrieval_set"


def load_questions(directory: Path | None = None, passage_ids: set[str] | None = None) -> list[Question]:
    """Every labelled question; raises :class:`CorpusError` (file and line) for a malformed
    line, a duplicate question id, or a gold id missing from ``passage_ids`` when given."""
    directory = Path(directory) if directory is not None else default_questions_dir()
    paths = sorted(directory.glob("*.jsonl"))
    if not paths:
        raise CorpusError(directory, None, "no '*.jsonl' labelled question files")
    questions: list[Question] = []
    first: dict[str, str] = {}
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            question = _parse_line(path, number, raw)
            if question.id in first:
                raise CorpusError(path, number, f"duplicate question id {question.id!r} (first at {first[question.id]})")
            first[question.id] = f"{path}:{number}"
            unknown = [g for g in question.gold if passage_ids is not None and g not in passage_ids]
            if unknown:
                raise CorpusError(path, number, f"unknown gold passage id(s): {', '.join(unknown)}")
            questions.append(question)
    return questions


def _parse_line(path: Path, number: int, raw: str) -> Question:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CorpusError(path, number, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise CorpusError(path, number, "expected a JSON object")
    qid, text, gold = data.get("id"), data.get("question"), data.get("gold")
    if not isinstance(qid, str) or not qid.strip():
        raise CorpusError(path, number, "'id' must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(path, number, f"question {qid!r}: 'question' must be a non-empty string")
    if not isinstance(gold, list) or not gold or not all(isinstance(g, str) and g for g in gold):
        raise CorpusError(path, number, f"question {qid!r}: 'gold' must be a non-empty list of passage ids")
    return Question(qid, text.strip(), tuple(gold), str(path), number)


def evaluate(search: Callable[[str, int], Sequence[Any]], questions: Sequence[Question]) -> Metrics:
    """Score ``search(question, k)`` (results with an ``.id``) against the gold ids; see :class:`Metrics`."""
    if not questions:
        raise ValueError("no questions to evaluate")
    hit1 = hit3 = 0
    reciprocal = 0.0
    misses = []
    for q in questions:
        ranked = [hit.id for hit in search(q.question, DEPTH)]
        rank = next((r for r, pid in enumerate(ranked, start=1) if pid in q.gold), None)
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        reciprocal += 1 / rank if rank else 0.0
        if not rank or rank > 3:
            misses.append((q.id, q.gold, ranked[:3]))
    n = len(questions)
    return Metrics(n, hit1 / n, hit3 / n, reciprocal / n, misses)


def main(argv: Sequence[str] | None = None) -> int:
    from knowledge.index import open_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="guidance folder (default: packaged)")
    parser.add_argument("--questions", type=Path, default=None, help="labelled set folder (default: packaged)")
    parser.add_argument("--misses", action="store_true", help="list the questions missed in the top 3")
    args = parser.parse_args(argv)

    passages = load_corpus(args.corpus)
    questions = load_questions(args.questions, {p.id for p in passages})
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(Path(tmp))
        index.ingest(passages)
        print("| search | questions | hit@1 | hit@3 | MRR |\n|---|---|---|---|---|")
        for hybrid in (False, True):
            index.hybrid = hybrid
            label = "hybrid (passage + sentence vectors, BM25)" if hybrid else "vector only (Chroma)"
            for source in sorted({q.path for q in questions}):
                part = [q for q in questions if q.path == source]
                print(evaluate(index.search, part).row(f"{label}, {Path(source).name}"))
            metrics = evaluate(index.search, questions)
            print(metrics.row(f"{label}, all"))
            if args.misses:
                for qid, gold, top in metrics.misses:
                    print(f"  miss {qid}: gold {', '.join(gold)}; top {', '.join(top)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

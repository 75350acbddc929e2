"""The retrieval evaluation: labelled-set validation, metric definitions, and the floors on the real set."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from knowledge.corpus import load_corpus
from knowledge.errors import CorpusError
from knowledge.index import open_index
from knowledge.retrieval_eval import TARGETS, Question, evaluate, load_questions

IDS = {"a#one", "a#two", "b#three"}


def write_set(tmp_path: Path, *lines: str, name: str = "set.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line(qid: str, gold: list[str], question: str = "what now?") -> str:
    return json.dumps({"id": qid, "question": question, "gold": gold})


def test_loads_questions_from_every_file(tmp_path):
    write_set(tmp_path, line("q1", ["a#one"]), "", line("q2", ["a#two", "b#three"]), name="a.jsonl")
    write_set(tmp_path, line("q3", ["b#three"], "  spaced?  "), name="b.jsonl")
    questions = load_questions(tmp_path, IDS)
    assert [(q.id, q.gold, q.line) for q in questions] == [
        ("q1", ("a#one",), 1), ("q2", ("a#two", "b#three"), 3), ("q3", ("b#three",), 1)
    ]
    assert questions[2].question == "spaced?"


@pytest.mark.parametrize(("bad", "message"), [
    ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"question": "q?", "gold": ["a#one"]}), "'id' must be a non-empty string"),
    (json.dumps({"id": "q9", "question": "", "gold": ["a#one"]}), "question 'q9': 'question' must be a non-empty string"),
    (json.dumps({"id": "q9", "question": "q?", "gold": []}), "question 'q9': 'gold' must be a non-empty list"),
    (line("q9", ["a#one", "a#nine", "z#zero"]), "unknown gold passage id(s): a#nine, z#zero"),
    (line("q1", ["a#two"]), "duplicate question id 'q1' (first at "),
])
def test_bad_lines_name_file_and_line(tmp_path, bad, message):
    path = write_set(tmp_path, line("q1", ["a#one"]), bad)
    with pytest.raises(CorpusError) as err:
        load_questions(tmp_path, IDS)
    assert str(err.value).startswith(f"{path}:2: {message}")


def test_no_question_files(tmp_path):
    with pytest.raises(CorpusError, match="no '\\*.jsonl' labelled question files"):
        load_questions(tmp_path)


def test_metrics_follow_their_definitions():
    questions = [Question(f"q{i}", f"question {i}", gold, "x", i) for i, gold in enumerate([
        ("p1",),          # rank 1
        ("p3", "p2"),     # first gold at rank 2
        ("p4",),          # rank 4: in the top 10, not the top 3
        ("p99",),         # not in the top 10
    ])]
    ranking = [SimpleNamespace(id=f"p{r}") for r in range(1, 11)]
    seen_k = []

    def search(query: str, k: int):
        seen_k.append(k)
        return ranking[:k]

    metrics = evaluate(search, questions)
    assert seen_k == [10] * 4
    assert (metrics.n, metrics.hit1, metrics.hit3) == (4, 0.25, 0.5)
    assert metrics.mrr == pytest.approx((1 + 1 / 2 + 1 / 4 + 0) / 4)
    assert [m[0] for m in metrics.misses] == ["q2", "q3"]
    assert metrics.misses[0][2] == ["p1", "p2", "p3"]


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    passages = load_corpus()
    questions = load_questions(passage_ids={p.id for p in passages})
    index = open_index(tmp_path_factory.mktemp("eval") / "chroma")
    index.ingest(passages)
    return index, questions


def test_shipped_search_meets_the_floors_on_the_labelled_set(packaged):
    index, questions = packaged
    metrics = evaluate(index.search, questions)
    assert len(questions) >= 40
    assert metrics.hit3 >= TARGETS["hit@3"], metrics.misses
    assert metrics.mrr >= TARGETS["mrr"], metrics.misses

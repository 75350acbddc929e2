"""Benchmark the guidance knowledge base and print a Markdown block for BENCHMARKS.md.

Measures: embedding throughput (passages per second), whole-corpus ingest into a fresh
embedded Chroma store (cold, then the no-change rerun), and search latency p50/p95 over
the labelled questions (after one warm-up query). Run: ``.venv/bin/python benchmarks/bench_knowledge.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from knowledge.corpus import load_corpus
from knowledge.embeddings import embed
from knowledge.index import embedded_text, open_index
from knowledge.retrieval_eval import evaluate, load_questions


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="search passes over the question set")
    args = parser.parse_args()

    passages = load_corpus()
    questions = load_questions(passage_ids={p.id for p in passages})
    texts = [embedded_text(p) for p in passages]
    embed(texts[:4])  # load the model outside the timings
    start = time.perf_counter()
    embed(texts)
    throughput = len(texts) / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(Path(tmp) / "chroma")
        start = time.perf_counter()
        report = index.ingest(passages)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        index.ingest(passages)
        rerun = time.perf_counter() - start

        index.search(questions[0].question)  # warm-up: loads the collection and the lexical index
        latencies = []
        for _ in range(args.rounds):
            for q in questions:
                start = time.perf_counter()
                index.search(q.question, k=4)
                latencies.append((time.perf_counter() - start) * 1000)
        metrics = evaluate(index.search, questions)

    docs = len({p.doc for p in passages})
    print(f"### Knowledge base ({dt.date.today().isoformat()})\n")
    print(f"Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}.")
    print(f"Corpus: {docs} documents, {report.total} passages; {len(questions)} labelled questions.\n")
    print("| measure | value | target |\n|---|---|---|")
    print(f"| embedding throughput (passage texts) | {throughput:.0f} docs/s | |")
    print(f"| ingest, fresh store (whole corpus) | {cold:.2f} s | < 15 s |")
    print(f"| ingest, rerun with no changes | {rerun:.2f} s | |")
    print(f"| search latency p50 (k=4, {len(latencies)} queries) | {percentile(latencies, 0.5):.1f} ms | |")
    print(f"| search latency p95 | {percentile(latencies, 0.95):.1f} ms | < 30 ms |")
    print(f"| hit@1 / hit@3 / MRR | {metrics.hit1:.3f} / {metrics.hit3:.3f} / {metrics.mrr:.3f} | hit@3 >= 0.90, MRR >= 0.75 |")


if __name__ == "__main__":
    main()

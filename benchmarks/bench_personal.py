"""The personal-detail detector: recall and precision on a labelled file, and its cost per sentence.

    python -m benchmarks.bench_personal [tests/fixtures/wellbeing/heldout-1.jsonl]

Each line of the file is ``{"text", "personal", "category"}``; a text counts as marked when any of
its sentences is. Cost: CPU seconds (all threads) per sentence, the model loaded and warm, each
sentence judged once (no cache), in batches as the write layer sends them; and wall time.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.common import stamp
from tools.personal.classifier import _Cache, judge, load_model
from tools.personal.sentences import sentences

DEFAULT = Path("tests/fixtures/wellbeing/heldout-1.jsonl")


def main(path: Path = DEFAULT) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    split = [sentences(r["text"]) for r in rows]
    judge(["warm up the model"], cache=_Cache())
    flat = [s for parts in split for s in parts]
    cpu, wall = time.process_time(), time.perf_counter()
    verdicts = judge(flat, model=load_model(), cache=_Cache())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    marked, at = [], 0
    for parts in split:
        marked.append(any(v.personal for v in verdicts[at:at + len(parts)]))
        at += len(parts)
    truth = [bool(r["personal"]) for r in rows]
    tp = sum(m and t for m, t in zip(marked, truth))
    fp = sum(m and not t for m, t in zip(marked, truth))
    fn = sum(t and not m for m, t in zip(marked, truth))
    by_category = Counter(r.get("category") for r in rows if r["personal"])
    found = Counter(r.get("category") for r, m in zip(rows, marked) if r["personal"] and m)
    print(f"{stamp()} File {path} ({len(rows)} texts, {sum(truth)} personal, {len(flat)} sentences).\n")
    print("| measure | value |\n|---|---|")
    print(f"| recall | {tp / max(tp + fn, 1):.3f} ({tp} of {tp + fn}) |")
    print(f"| precision | {tp / max(tp + fp, 1):.3f} ({fp} work texts marked) |")
    print(f"| CPU per sentence (warm, all threads) | {1000 * cpu / len(flat):.1f} ms |")
    print(f"| wall per sentence (batched) | {1000 * wall / len(flat):.1f} ms |")
    print("\nRecall by category: " + ", ".join(f"{c} {found[c]}/{n}" for c, n in sorted(by_category.items())))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

"""One eval run, start to finish: select cases, run them, score, aggregate, gate, write the outputs."""
from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.cases import Case, load_cases, select
from evals.gate import GateResult, check, load_baseline, run_floors
from evals.orgs import load_org
from evals.report import write_outputs
from evals.runner import Harness, Trace
from evals.scoring import CaseResult, score
from evals.summary import aggregate


@dataclass
class EvalRun:
    model: str
    suite: str
    results: list[CaseResult]
    summary: dict[str, Any]
    gate: GateResult
    meta: dict[str, Any]
    outputs: dict[str, Path]


def retrieval_set_metrics(harness: Harness) -> dict[str, float]:
    """hit@3 and MRR of the knowledge base's own labelled questions (knowledge.retrieval_eval)."""
    from knowledge.retrieval_eval import evaluate, load_questions

    scored = evaluate(harness.guidance.search, load_questions())
    return {"retrieval_set_hit@3": scored.hit3, "retrieval_set_mrr": scored.mrr}


def run_eval(
    model: str,
    suite: str,
    out_dir: Path,
    settings: Any,
    *,
    cache_dir: Path | None = None,
    only: Sequence[str] = (),
    cases: Sequence[Case] | None = None,
    baseline_dir: Path | None = None,
    tools: dict[str, Any] | None = None,
    chat_model: Any = None,
    on_case: Callable[[Case, Trace, CaseResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> EvalRun:
    """Run the ``suite`` (smoke or full) cases for ``model``, write the outputs into ``out_dir`` and
    return the run. ``tools`` and ``chat_model`` replace the registry's tools and the provider's model
    (tests use them to break the agent on purpose)."""
    chosen = select(cases if cases is not None else load_cases(), suite, only)
    if not chosen:
        raise ValueError(f"no cases in the {suite} suite{' for ' + ', '.join(only) if only else ''}")
    if on_start is not None:
        on_start(len(chosen))
    started = time.perf_counter()
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory(prefix="coach-eval-") as work:
        harness = Harness(model, settings, Path(work), cache_dir, tools=tools, model=chat_model)
        try:
            for case in chosen:
                trace = harness.run(case)
                result = score(case, trace, load_org(case.org))
                results.append(result)
                if on_case is not None:
                    on_case(case, trace, result)
            summary = aggregate(results)
            if any(c.runner == "retrieval" for c in chosen):
                summary["metrics"].update(retrieval_set_metrics(harness))
        finally:
            harness.close()
    baseline = load_baseline(model, baseline_dir)
    gate = check(summary, results, baseline, suite)
    run = (baseline or {}).get("runs", {}).get(suite, {})
    meta = {
        "model": model, "suite": suite, "cases": len(results), "seconds": time.perf_counter() - started,
        "model_seconds": harness.model.model_seconds, "model_calls": len(harness.model.calls),
        "cache_hits": harness.model.hits, "ingest_seconds": harness.guidance.ingest_seconds,
        "org_build_seconds": harness.build_seconds,
        "baseline": f"evals/baselines/{model}.json ({run.get('updated', 'no ' + suite + ' run')})" if baseline else "none",
    }
    outputs = write_outputs(out_dir, meta, summary, gate, run_floors(run), results)
    return EvalRun(model, suite, results, summary, gate, meta, outputs)

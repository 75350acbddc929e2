"""Speed of the agent per job on the demo org: first answer token, full answer, model calls, tokens.

    .venv/bin/python -m benchmarks.bench_agent [--provider local] [--repeat 1] [--jobs answer coaching ...]

Seeds the demo org and the guidance index into a temporary data directory (or uses
``--data-dir`` as it is), then asks each job's fixed questions as the planted situations'
managers. Prints a markdown table of medians per job. Targets for "why is this goal off
track?": first token under 8 s, full answer under 25 s.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from assistant.agent import Done, Error, stream_reply
from assistant.runtime import open_runtime
from assistant.settings import Settings
from benchmarks.common import stamp

QUESTIONS = {  # job -> (manifest situation whose manager asks, question)
    "why off track": [("blocked_goal", "Why is Dana's billing backlog goal off track?")],
    "last 1:1": [("last_1on1_actions", "What did we agree in the last 1:1 with Sam?")],
    "team": [("lapsed_1on1s", "Which of my reports have I not had a 1:1 with recently?")],
    "status": [("behaviour_issue", "How is Victor doing?")],
    "coaching": [("blocked_goal", "What should I ask Dana in our next 1:1?")],
    "review draft": [("recency_cluster", "Help me draft Lena's review for this half.")],
    "goal check": [("not_smart_goal", "Is Tomás's goal well written?")],
    "bias check": [("blocked_goal", "Check this review for bias: Dana is abrasive in meetings but a great team player.")],
    "guidance": [("blocked_goal", "What does a good OKR look like?")],
    "tool loop": [("blocked_goal", "Which goal of Dana's has the oldest progress update?")],
}


def prepare(data_dir: Path, settings: Settings) -> dict:
    """Seed the demo org and index the guidance when the data directory has none."""
    from knowledge.corpus import load_corpus
    from knowledge.index import open_index
    from tools.store.db import transaction
    from tools.demo.seed import seed_database

    runtime = open_runtime(settings)
    with transaction(runtime.sessions) as session:
        manifest = seed_database(session).manifest
    open_index(settings.chroma_path, settings.chroma_url).ingest(load_corpus(None))
    return manifest


async def one(runtime, viewer, question: str) -> dict:
    started = time.perf_counter()
    async for event in stream_reply(runtime, viewer, None, question):
        if isinstance(event, Error):
            raise RuntimeError(f"{question!r}: {event.message}")
        if isinstance(event, Done):
            t = event.result.timings
            total = time.perf_counter() - started
            return {
                "first": t.first_token or total, "total": total, "calls": t.model_calls,
                "prompt": t.prompt_tokens, "completion": t.completion_tokens,
                "outside": 1 - t.model_seconds / total if total else 0.0,
                "answer": event.result.answer,
            }
    raise RuntimeError(f"{question!r}: no answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", default="local", choices=["local", "local-small", "openai", "openai-compatible", "fake"])
    parser.add_argument("--model-path", type=Path, default=None, help="a GGUF file instead of the packaged model")
    parser.add_argument("--data-dir", type=Path, default=None, help="use this data directory as it is")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", nargs="+", default=list(QUESTIONS), choices=list(QUESTIONS))
    parser.add_argument("--show-answers", action="store_true")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="time the first question cold (model load and first prompt included)")
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    settings = Settings(data_dir=data_dir, llm_provider=args.provider, local_model_path=args.model_path)
    manifest = prepare(data_dir, settings) if args.data_dir is None else None
    runtime = open_runtime(settings)
    situations = (manifest or {}).get("situations", {})
    warm_up = ""
    if not args.no_warm_up:  # a running server has loaded the model and seen its system prompts
        key, question = QUESTIONS["guidance"][0]
        with runtime.sessions() as s:
            viewer = runtime.viewer(s, situations[key]["manager_id"] if situations else "P-3")
        started = time.perf_counter()
        asyncio.run(one(runtime, viewer, question))
        warm_up = f" Before timing, one untimed warm-up question (model load included) took {time.perf_counter() - started:.1f} s."
    rows = []
    for job in args.jobs:
        runs = []
        for key, question in QUESTIONS[job]:
            with runtime.sessions() as s:
                viewer = runtime.viewer(s, situations[key]["manager_id"] if situations else "P-3")
            for _ in range(args.repeat):
                runs.append(asyncio.run(one(runtime, viewer, question)))
                if args.show_answers:
                    print(f"<!-- {job}: {runs[-1]['answer']!r} -->")

        def med(key: str) -> float:
            return statistics.median(r[key] for r in runs)

        rows.append(f"| {job} | {len(runs)} | {med('first'):.1f} | {med('total'):.1f} | {med('calls'):.0f} "
                    f"| {med('prompt'):.0f} | {med('completion'):.0f} | {med('outside'):.0%} |")
    print(f"### Agent speed per job ({args.provider}), demo org\n\n{stamp()}\n")
    print("| job | runs | first token s | full answer s | model calls | prompt tokens | generated tokens | time outside the model |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nMedians over the runs.{warm_up} Targets for 'why off track': first token < 8 s, full answer < 25 s.")


if __name__ == "__main__":
    main()

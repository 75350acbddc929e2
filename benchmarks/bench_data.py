"""Data core benchmark: import a 10,000-employee org, then time every tool.

    .venv/bin/python benchmarks/bench_data.py [--employees 10000] [--postgres URL] [--calls 200]

Prints a markdown block for BENCHMARKS.md: generation and import time, row counts, and
p50/p95 per tool for the manager with 50 direct reports, on SQLite and (when given) PostgreSQL.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import percentile, stamp  # noqa: E402
from tools.access import ToolError, load_viewer  # noqa: E402
from tools.bundle import import_data  # noqa: E402
from tools.context import ToolContext  # noqa: E402
from tools.db import make_engine, migrate, session_factory, transaction  # noqa: E402
from tools.demo import generate_scale  # noqa: E402
from tools.models import Goal, Meta, Person  # noqa: E402
from tools.registry import TOOLS  # noqa: E402

SKIP = {"search_guidance"}  # measured by bench_knowledge.py


def tool_args(name: str, person: Person, goal: Goal | None, today) -> dict:
    who = person.email
    return {
        "resolve_person": {"name": person.name},
        "team_overview": {},
        "list_goals": {"person": who},
        "explain_goal": {"goal": goal.title if goal else "goal", "person": who},
        "check_goal": {"goal": goal.title if goal else "goal", "person": who},
        "search_checkins": {"person": who, "words": "blocked"},
        "last_checkin": {"person": who},
        "kpi_trend": {"person": who},
        "feedback_for": {"person": who},
        "review_evidence": {"person": who, "start": "2026-05-01", "end": today.isoformat()},
    }[name]


def time_tools(url: str, manager_id: str, calls: int, seed: int = 3) -> dict[str, list[float]]:
    engine = make_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(seed)
    timings: dict[str, list[float]] = {t.__name__: [] for t in TOOLS if t.__name__ not in SKIP}
    with sessions() as s:
        reports = list(s.scalars(select(Person).where(Person.manager_id == manager_id)))
        goals = {g.owner_id: g for g in s.scalars(select(Goal).where(Goal.owner_id.in_([p.id for p in reports])))}
        today_row = s.get(Meta, "today")
    today = dt.date.fromisoformat(today_row.value) if today_row else dt.date.today()
    for _ in range(calls):
        person = rng.choice(reports)
        for tool in TOOLS:
            if tool.__name__ in SKIP:
                continue
            with sessions() as s:  # a fresh session per call, as the agent gets per message
                ctx = ToolContext(session=s, viewer=load_viewer(s, manager_id), today=today)
                t0 = time.perf_counter()
                try:
                    tool(ctx, **tool_args(tool.__name__, person, goals.get(person.id), today))
                except ToolError:
                    pass
                timings[tool.__name__].append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return timings


def load(url: str, bundle: dict) -> float:
    engine = make_engine(url)
    migrate(engine)
    t0 = time.perf_counter()
    with transaction(session_factory(engine)) as s:
        import_data(s, bundle, source="scale")
        s.merge(Meta(key="today", value=bundle.today.isoformat()))
    elapsed = time.perf_counter() - t0
    engine.dispose()
    return elapsed


def fresh_postgres(admin_url: str) -> str:
    name = f"coach_bench_{int(time.time())}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--employees", type=int, default=10_000)
    ap.add_argument("--calls", type=int, default=200, help="calls per tool")
    ap.add_argument("--postgres", help="admin URL of a PostgreSQL server (a fresh database is created)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    bundle = generate_scale(args.employees)
    gen = time.perf_counter() - t0
    counts = {k: len(v) for k, v in bundle.items()}
    backends = {"SQLite": f"sqlite:///{tempfile.mkdtemp(prefix='coach-bench-')}/coach.db"}
    if args.postgres:
        backends["PostgreSQL"] = fresh_postgres(args.postgres)

    results = {}
    for label, url in backends.items():
        seconds = load(url, bundle)
        results[label] = (seconds, time_tools(url, bundle.focus_manager_id, args.calls))
        print(f"{label}: import {seconds:.1f} s", file=sys.stderr)

    print(f"### Data core ({args.employees:,} employees)\n\n{stamp()}\n")
    print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f". Generation {gen:.1f} s.\n")
    labels = list(results)
    print("| | " + " | ".join(labels) + " |\n|---|" + "---|" * len(labels))
    print("| whole import | " + " | ".join(f"{results[l][0]:.1f} s" for l in labels) + " |")
    for name in results[labels[0]][1]:
        cells = []
        for l in labels:
            ms = results[l][1][name]
            cells.append(f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms")
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print(f"\nTools are called {args.calls} times each as the manager with 50 direct reports "
          f"({bundle.focus_manager_id}), for a random report each time, each call in a fresh session.")


if __name__ == "__main__":
    main()

"""Data core benchmark: import a 10,000-employee org, then time every tool for three viewers.

    .venv/bin/python benchmarks/bench_data.py [--employees 10000] [--postgres URL] [--calls 200]

Prints a markdown block for BENCHMARKS.md: generation and import time, row counts, and per tool
the p50/p95 of wall time and of CPU time (process time: steadier on a shared machine) on SQLite
and (when given) PostgreSQL. The viewers are the manager with 50 direct reports, the head of the
org (everyone in reach) and an hr_admin; each asks about a random member of the 50-report team.
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
from tools.store.db import make_engine, migrate, session_factory, transaction  # noqa: E402
from tools.demo import generate_scale  # noqa: E402
from tools.store.models import Goal, Meta, Person  # noqa: E402
from tools.registry import TOOLS  # noqa: E402

SKIP = {"search_guidance"}  # measured by bench_knowledge.py


def tool_args(name: str, person: Person, goal: Goal | None, today, team: str) -> dict:
    who = person.email
    return {
        "resolve_person": {"name": person.name},
        "team_overview": {"manager": team} if team else {},
        "list_goals": {"person": who},
        "explain_goal": {"goal": goal.title if goal else "goal", "person": who},
        "check_goal": {"goal": goal.title if goal else "goal", "person": who},
        "search_checkins": {"person": who, "words": "blocked"},
        "last_checkin": {"person": who},
        "kpi_trend": {"person": who},
        "feedback_for": {"person": who},
        "review_evidence": {"person": who, "start": "2026-05-01", "end": today.isoformat()},
    }[name]


Timings = dict[str, tuple[list[float], list[float]]]  # tool -> (wall ms, CPU ms) per call


def viewers(bundle) -> dict[str, str]:
    """Label -> person id: the 50-report manager, the head of the org and the first hr_admin."""
    people = bundle["people"]
    head = next(p["id"] for p in people if p["manager_id"] is None and p["role"] == "manager")
    hr = next(p["id"] for p in people if p["role"] == "hr_admin")
    return {"manager of 50": bundle.focus_manager_id, "head of org": head, "hr_admin": hr}


def time_tools(url: str, viewer_id: str, team_id: str, calls: int, seed: int = 3) -> Timings:
    """Every tool ``calls`` times as ``viewer_id`` about random members of ``team_id``'s team;
    ``team_overview`` shows the viewer's own team, or ``team_id``'s when they have no reports."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(seed)
    timings: Timings = {t.__name__: ([], []) for t in TOOLS if t.__name__ not in SKIP}
    with sessions() as s:
        reports = list(s.scalars(select(Person).where(Person.manager_id == team_id).order_by(Person.id)))
        goals = {g.owner_id: g for g in s.scalars(select(Goal).where(Goal.owner_id.in_([p.id for p in reports])))}
        own_team = s.scalar(select(Person.id).where(Person.manager_id == viewer_id).limit(1)) is not None
        team = "" if own_team else s.get(Person, team_id).email
        today_row = s.get(Meta, "today")
    today = dt.date.fromisoformat(today_row.value) if today_row else dt.date.today()
    for _ in range(calls):
        person = rng.choice(reports)
        for tool in TOOLS:
            if tool.__name__ in SKIP:
                continue
            with sessions() as s:  # a fresh session per call, as the agent gets per message
                ctx = ToolContext(session=s, viewer=load_viewer(s, viewer_id), today=today)
                wall, cpu = time.perf_counter(), time.process_time()
                try:
                    tool(ctx, **tool_args(tool.__name__, person, goals.get(person.id), today, team))
                except ToolError:
                    pass
                timings[tool.__name__][0].append((time.perf_counter() - wall) * 1000)
                timings[tool.__name__][1].append((time.process_time() - cpu) * 1000)
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

    who = viewers(bundle)
    results: dict[str, tuple[float, dict[str, Timings]]] = {}
    for label, url in backends.items():
        seconds = load(url, bundle)
        print(f"{label}: import {seconds:.1f} s", file=sys.stderr)
        results[label] = (seconds, {v: time_tools(url, pid, bundle.focus_manager_id, args.calls)
                                    for v, pid in who.items()})

    print(f"### Data core ({args.employees:,} employees)\n\n{stamp()}\n")
    print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f". Generation {gen:.1f} s.\n")
    labels = list(results)
    print("Import: " + ", ".join(f"{l} {results[l][0]:.1f} s" for l in labels) + ".\n")
    print("| tool | viewer | " + " | ".join(f"{l} wall p50 / p95 | {l} CPU p50 / p95" for l in labels) + " |")
    print("|---|---|" + "---|---|" * len(labels))
    for name in results[labels[0]][1][next(iter(who))]:
        for v in who:
            cells = []
            for l in labels:
                wall, cpu = results[l][1][v][name]
                cells += [f"{percentile(wall, 50):.1f} / {percentile(wall, 95):.1f} ms",
                          f"{percentile(cpu, 50):.1f} / {percentile(cpu, 95):.1f} ms"]
            print(f"| `{name}` | {v} | " + " | ".join(cells) + " |")
    print(f"\nTools are called {args.calls} times each per viewer, each call in a fresh session, about a random "
          f"report of the manager with 50 direct reports ({who['manager of 50']}). Viewers: that manager, the head "
          f"of the org ({who['head of org']}, everyone in reach) and an hr_admin ({who['hr_admin']}); "
          "`team_overview` shows the viewer's own direct reports, or that manager's team for the hr_admin, who has "
          "none. CPU is process time: on a shared machine it moves less than wall time.")


if __name__ == "__main__":
    main()

"""Weekly digest benchmark: compute and render every manager's week on a synthetic org.

    .venv/bin/python benchmarks/bench_digest.py [--employees 10000]

Prints a markdown block for BENCHMARKS.md: the number of managers, the whole run's wall and
CPU time (what a weekly ``coach digest`` spends before sending), and per manager the p50/p95
of computing the week (two risk assessments of their reports' goals, 1:1s, action items) and of
rendering it as text, HTML and Slack mrkdwn. Sending is not timed (it is the mail server's).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.integrations.digest_render import render_html, render_slack, render_text  # noqa: E402
from benchmarks.common import percentile, stamp  # noqa: E402
from tools.access import Viewer  # noqa: E402
from tools.bundle import import_data  # noqa: E402
from tools.context import ToolContext  # noqa: E402
from tools.demo import generate_scale  # noqa: E402
from tools.digest import manager_week  # noqa: E402
from tools.store.db import make_engine, migrate, session_factory, transaction  # noqa: E402
from tools.store.models import Meta, Person  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--employees", type=int, default=10_000)
    args = ap.parse_args()
    bundle = generate_scale(args.employees)
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='coach-bench-')}/coach.db")
    migrate(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        import_data(s, bundle, source="scale")
        s.merge(Meta(key="today", value=bundle.today.isoformat()))
    compute, render = [], []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with sessions() as s:
        bosses = select(Person.manager_id).where(Person.manager_id.is_not(None))
        managers = list(s.scalars(select(Person).where(Person.id.in_(bosses))))
        turned = 0
        for person in managers:
            t0 = time.perf_counter()
            week = manager_week(ToolContext(s, Viewer(person.id, person.role, person.name), today=bundle.today))
            t1 = time.perf_counter()
            render_text(week, "https://coach.example"), render_html(week, "https://coach.example")
            render_slack(week, "https://coach.example")
            compute.append((t1 - t0) * 1000)
            render.append((time.perf_counter() - t1) * 1000)
            turned += len(week.turned)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    engine.dispose()
    print(f"### Weekly digest, {args.employees:,} employees (SQLite)\n\n{stamp()}\n")
    print(f"{len(managers)} managers, {turned} goals turned at risk in the week; all weeks computed and rendered in "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU.\n")
    print("| per manager | p50 ms | p95 ms |\n|---|---|---|")
    print(f"| compute the week | {percentile(compute, 50):.1f} | {percentile(compute, 95):.1f} |")
    print(f"| render text, HTML and Slack | {percentile(render, 50):.1f} | {percentile(render, 95):.1f} |")


if __name__ == "__main__":
    main()

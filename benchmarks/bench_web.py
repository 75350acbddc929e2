"""Web benchmark: chat streams and the team dashboard, over HTTP on loopback against ``coach serve``.

    .venv/bin/python -m benchmarks.bench_web [--employees 10000] [--streams 200] [--renders 50] [--workers 1]

Imports a synthetic org (``tools.demo.generate_scale``) into a temporary SQLite database,
starts ``coach serve`` with the scripted instant model (``COACH_LLM_PROVIDER=fake``), then

- chat: ``--streams`` streams one after another (the server's cost per stream, since the
  model takes no time), then the same number all at once (latency under load);
- dashboard: ``--renders`` renders of ``/`` for the manager with 50 direct reports.

Targets: chat server overhead p95 under 50 ms; dashboard p95 under 100 ms.
Prints a markdown block for BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_data import load  # noqa: E402
from benchmarks.common import percentile, stamp  # noqa: E402
from tools.store.accounts import create_api_token, create_session  # noqa: E402
from tools.store.db import make_engine, session_factory, transaction  # noqa: E402
from tools.demo import generate_scale  # noqa: E402
from tools.store.models import Person  # noqa: E402

CHAT_TARGET_MS, DASHBOARD_TARGET_MS = 50, 100


def prepare(data_dir: Path, employees: int) -> dict:
    """Import the org; return the focus manager's token, session cookie and report names."""
    bundle = generate_scale(employees)
    url = f"sqlite:///{data_dir / 'coach.db'}"
    imported = load(url, bundle)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        manager = bundle.focus_manager_id
        token, _ = create_api_token(session, manager, "bench")
        cookie, _ = create_session(session, manager)
        reports = list(session.scalars(select(Person.name).where(Person.manager_id == manager).order_by(Person.id)))
    engine.dispose()
    return {"token": token, "cookie": cookie, "reports": reports, "import_s": imported, "manager": manager}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COACH_LLM_PROVIDER": "fake", "LANGSMITH_TRACING": "false"}
    env.pop("COACH_DATABASE_URL", None)
    coach = Path(sys.executable).with_name("coach")
    proc = subprocess.Popen([str(coach), "serve", "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("coach serve did not start: " + proc.stderr.read().decode()[-2000:])


async def one_stream(client: httpx.AsyncClient, message: str) -> dict:
    started = time.perf_counter()
    first_event = first_token = None
    body = ""
    async with client.stream("POST", "/api/chat", json={"message": message}) as response:
        async for chunk in response.aiter_text():
            now = time.perf_counter() - started
            first_event = first_event if first_event is not None else now
            if first_token is None and "event: token" in body + chunk:
                first_token = now
            body += chunk
    total = time.perf_counter() - started
    if response.status_code != 200 or "event: done" not in body:
        return {"ok": False}
    return {"ok": True, "first_event": first_event, "first_token": first_token, "total": total}


async def chat(url: str, token: str, questions: list[str], concurrent: bool) -> list[dict]:
    limits = httpx.Limits(max_connections=len(questions) + 10, max_keepalive_connections=len(questions) + 10)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=120) as client:
        await one_stream(client, questions[0])  # warm up (model, tools, templates)
        if concurrent:
            return await asyncio.gather(*(one_stream(client, q) for q in questions))
        return [await one_stream(client, q) for q in questions]


def dashboard(url: str, cookie: str, renders: int) -> list[float]:
    times = []
    with httpx.Client(base_url=url, cookies={"coach_session": cookie}, timeout=60) as client:
        for i in range(renders + 3):
            started = time.perf_counter()
            response = client.get("/")
            elapsed = time.perf_counter() - started
            if response.status_code != 200 or "Who needs attention" not in response.text:
                raise RuntimeError(f"dashboard answered {response.status_code}")
            if i >= 3:  # the first renders warm caches
                times.append(elapsed * 1000)
    return times


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p) * 1000:.0f} ms" if values else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--employees", type=int, default=10_000)
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--renders", type=int, default=50)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-web-"))
    info = prepare(data_dir, args.employees)
    print(f"imported {args.employees:,} people in {info['import_s']:.1f} s", file=sys.stderr)
    port = free_port()
    server = start_server(data_dir, port, args.workers)
    url = f"http://127.0.0.1:{port}"
    try:
        names = info["reports"]
        questions = [f"What did we agree in the last 1:1 with {names[i % len(names)]}?" for i in range(args.streams)]
        sequential = asyncio.run(chat(url, info["token"], questions, concurrent=False))
        together = asyncio.run(chat(url, info["token"], questions, concurrent=True))
        renders = dashboard(url, info["cookie"], args.renders)
    finally:
        server.terminate()
        server.wait(timeout=20)

    print(f"### Web ({args.employees:,} employees, {args.workers} worker{'s' * (args.workers != 1)}, "
          f"scripted instant model)\n\n{stamp()}\n")
    print("| | p50 | p95 | notes |\n|---|---|---|---|")
    for label, rows in (("chat, one stream at a time", sequential), (f"chat, {args.streams} streams at once", together)):
        ok = [r for r in rows if r["ok"]]
        failed = len(rows) - len(ok)
        total = [r["total"] for r in ok]
        first = [r["first_token"] for r in ok if r["first_token"] is not None]
        note = f"first token p95 {ms(first, 95)}; {failed} failed of {len(rows)}"
        print(f"| {label}: whole stream | {ms(total, 50)} | {ms(total, 95)} | {note} |")
    print(f"| dashboard `/`, manager with 50 reports | {percentile(renders, 50):.0f} ms | "
          f"{percentile(renders, 95):.0f} ms | {len(renders)} renders, HTML over HTTP |")
    seq_p95 = percentile([r["total"] for r in sequential if r["ok"]], 95) * 1000
    print(f"\nChat server overhead (a stream with an instant model, one at a time): p95 {seq_p95:.0f} ms "
          f"(target < {CHAT_TARGET_MS} ms: {'met' if seq_p95 < CHAT_TARGET_MS else 'NOT met'}). "
          f"Dashboard p95 {percentile(renders, 95):.0f} ms (target < {DASHBOARD_TARGET_MS} ms: "
          f"{'met' if percentile(renders, 95) < DASHBOARD_TARGET_MS else 'NOT met'}).")
    print("With many streams at once on one worker the streams share its CPU, so their latency is the queue of "
          "everyone's server work; the model's own time (absent here) dominates real answers.")


if __name__ == "__main__":
    main()

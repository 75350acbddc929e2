"""SCIM provisioning benchmark: a directory pushing an org into Coach, in process.

    .venv/bin/python -m benchmarks.bench_scim [--people 1000]

Into a fresh SQLite database: POST ``--people`` Users with managers (one request each, as Okta
and Entra send them), then a ``userName eq`` lookup per person (what a directory does before
each update), a PATCH moving each tenth person to another manager, and one full listing by pages
of 100. Prints per-request latency (p50, p95) for each kind and a markdown block for BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fastapi.testclient import TestClient  # noqa: E402

from assistant.settings import Settings  # noqa: E402
from benchmarks.common import percentile, stamp  # noqa: E402
from sso_support import ENTERPRISE, patch_body, provisioning_token, user_body  # noqa: E402
from web.app import create_app  # noqa: E402


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-scim-"))
    app = create_app(Settings(_env_file=None, data_dir=folder, database_url=f"sqlite:///{folder / 'coach.db'}",
                              llm_provider="fake"))
    scim = TestClient(app, base_url="http://testserver/scim/v2",
                      headers={"Authorization": f"Bearer {provisioning_token(app)}"})
    times: dict[str, list[float]] = {"create": [], "lookup": [], "move": [], "page": []}
    ids: list[str] = []
    for i in range(args.people):
        manager = ids[(i - 1) // 8] if i else None  # eight reports per manager
        ms, answer = timed(lambda: scim.post("/Users", json=user_body(f"p{i:05d}@corp.example", manager=manager,
                                                                      external_id=f"00u{i:05d}")))
        assert answer.status_code == 201, answer.text
        times["create"].append(ms)
        ids.append(answer.json()["id"])
    for i in range(args.people):
        ms, answer = timed(lambda: scim.get("/Users", params={"filter": f'userName eq "p{i:05d}@corp.example"'}))
        assert answer.json()["totalResults"] == 1
        times["lookup"].append(ms)
    for i in range(10, args.people, 10):
        ms, answer = timed(lambda: scim.patch(f"/Users/{ids[i]}", json=patch_body(
            {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": ids[0]}})))
        assert answer.status_code in (200, 204), answer.text
        times["move"].append(ms)
    for start in range(1, args.people + 1, 100):
        ms, answer = timed(lambda: scim.get("/Users", params={"startIndex": start, "count": 100}))
        times["page"].append(ms)
    app.state.web.runtime.engine.dispose()
    print(f"### SCIM provisioning ({args.people} people, SQLite, in process)\n\n{stamp()}\n")
    print("| request | count | p50 ms | p95 ms |\n|---|---|---|---|")
    for kind, values in times.items():
        print(f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} |")


if __name__ == "__main__":
    main()

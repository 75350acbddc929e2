"""``coach serve`` for real: a subprocess with two uvicorn workers sharing one database."""
from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from servers import free_port, serving
from test_web_support import EMAILS, PASSWORD, seeded_sqlite, signin_token, sse_events  # noqa: F401


@pytest.fixture
def served(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    port = free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_LLM_PROVIDER": "fake", "LANGSMITH_TRACING": "false"}
    env.pop("COACH_DATABASE_URL", None)
    coach = Path(sys.executable).with_name("coach")
    url = f"http://127.0.0.1:{port}"
    with serving([str(coach), "serve", "--port", str(port), "--workers", "2"], f"{url}/signin",
                 log=tmp_path / "serve.log", timeout=90, env=env) as proc:
        yield url, proc


def test_two_workers_serve_the_same_signed_in_user(served):
    url, proc = served
    with httpx.Client(base_url=url, follow_redirects=True) as browser:
        token = signin_token(browser.get("/signin").text)
        signed = browser.post("/signin", data={"email": EMAILS["ana"], "password": PASSWORD, "csrf_token": token})
        assert signed.status_code == 200 and "My team" in signed.text
        cookies = dict(browser.cookies)

    async def many() -> list[int]:
        async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=30) as client:
            pages = await asyncio.gather(*(client.get("/people/sam") for _ in range(16)))
            return [p.status_code for p in pages]

    assert asyncio.run(many()) == [200] * 16
    with httpx.Client(base_url=url, cookies=cookies, timeout=30) as client:
        csrf = client.get("/").text.split('data-csrf="', 1)[1].split('"', 1)[0]
        first = sse_events(client.post("/api/chat", json={"message": "Why is Sam Lee's ticket backlog goal off track?"},
                                       headers={"X-CSRF-Token": csrf}).text)
        session_id = first[0][1]["session_id"]
        for _ in range(3):  # follow-ups land on either worker and continue the same conversation
            more = sse_events(client.post("/api/chat", json={"message": "And his last 1:1?", "conversation_id": session_id},
                                          headers={"X-CSRF-Token": csrf}).text)
            assert more[-1][0] == "done" and more[-1][1]["session_id"] == session_id
        messages = client.get(f"/api/conversations/{session_id}").json()["messages"]
    assert len(messages) == 8
    assert proc.poll() is None

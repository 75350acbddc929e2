"""The MCP server over its two real transports, with the SDK's client: streamable HTTP under the
web app (bearer tokens), and ``coach mcp`` on stdio as a subprocess (COACH_MCP_TOKEN)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from test_web_support import LiveServer, make_app, seeded_sqlite  # noqa: F401  (fixture)

from tools.store.accounts import create_api_token

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def mcp_web(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False, mcp_http=True)
    with LiveServer(app, lifespan="on") as server:
        yield app, server.url


def token(app, person_id: str, scopes: str = "mcp") -> str:
    with app.state.web.runtime.sessions() as s:
        secret, _ = create_api_token(s, person_id, "my AI client", scopes=scopes)
        s.commit()
    return secret


def http_client(url: str, secret: str) -> Client:
    transport = streamable_http_client(f"{url}/mcp", http_client=httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {secret}"}, timeout=30))
    return Client(transport)


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content)


async def test_over_http_tools_are_listed_and_calls_keep_to_the_tokens_reach(mcp_web):
    app, url = mcp_web
    async with http_client(url, token(app, "ana")) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        within = await client.call_tool("explain_goal", {"goal": "ticket backlog", "person": "Sam Lee"})
        bad = await client.call_tool("explain_goal", {"person": "Sam Lee"})
        asked = await client.call_tool("ask_coach", {"question": "Why is Sam Lee's ticket backlog goal off track?"})
    assert {"team_overview", "explain_goal", "coaching_questions", "ask_coach"} <= names
    assert not within.is_error and "[goal:g-backlog]" in text_of(within)
    assert within.structured_content["facts"][0]["url"] == f"{url}/records/goal/g-backlog"
    assert bad.is_error and text_of(bad) == "Bad arguments for explain_goal: goal: Field required"
    assert asked.structured_content["job"] == "answer" and asked.structured_content["citations"]
    async with http_client(url, token(app, "raj")) as client:
        outside = await client.call_tool("explain_goal", {"goal": "goal:g-backlog"})
    assert outside.is_error and outside.structured_content is None
    assert "ticket" not in text_of(outside).lower() and "Sam" not in text_of(outside)


def test_over_http_a_missing_or_unknown_token_is_401(mcp_web):
    _, url = mcp_web
    ping = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    chat_only = {"Authorization": f"Bearer {token(mcp_web[0], 'ana', 'chat')}"}  # a widget token is not enough
    for headers in ({}, {"Authorization": "Bearer coach_not-a-real-token"}, {"Authorization": "Basic YW5hOng="},
                    chat_only):
        response = httpx.post(f"{url}/mcp", json=ping, headers=headers)
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
        assert "lacks the mcp scope" in response.json()["error_description"]


def test_mcp_over_http_is_off_unless_configured(tmp_path, seeded_sqlite):
    from fastapi.testclient import TestClient

    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False)
    assert TestClient(app).post("/mcp", json={}).status_code == 404


def coach_command(*args: str) -> list[str]:
    """``coach ARGS`` run by this interpreter (the checkout's code, not another install's)."""
    script = "import sys; from assistant.cli import build_cli; build_cli()(sys.argv[1:], prog_name='coach')"
    return [sys.executable, "-c", script, *args]


async def test_coach_mcp_over_stdio_acts_as_the_tokens_person(tmp_path, seeded_sqlite):
    shutil.copy(seeded_sqlite, tmp_path / "coach.db")
    app = make_app(f"sqlite:///{tmp_path / 'coach.db'}", tmp_path, seed=False, upgrade=False)
    secret = token(app, "raj")
    app.state.web.runtime.engine.dispose()
    command = coach_command("mcp")
    env = {"PYTHONPATH": str(ROOT), "COACH_DATA_DIR": str(tmp_path), "COACH_LLM_PROVIDER": "fake",
           "COACH_MCP_TOKEN": secret, "PATH": os.environ.get("PATH", "")}
    params = StdioServerParameters(command=command[0], args=command[1:], env=env, cwd=str(tmp_path))
    async with Client(params) as client:
        team = await client.call_tool("team_overview", {})
        outside = await client.call_tool("list_goals", {"person": "Sam Lee"})
    assert not team.is_error and "Mia Wong" in text_of(team) and "Sam Lee" not in text_of(team)
    assert outside.is_error and "in your reach" in text_of(outside)


def test_coach_mcp_without_a_token_says_which_setting_is_missing(tmp_path):
    import subprocess

    env = {"PYTHONPATH": str(ROOT), "COACH_DATA_DIR": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(coach_command("mcp"), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Error: COACH_MCP_TOKEN is not set")
    env["COACH_MCP_TOKEN"] = "coach_revoked-or-never-made"
    done = subprocess.run(coach_command("mcp"), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "COACH_MCP_TOKEN: The token is unknown" in done.stderr

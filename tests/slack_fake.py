"""A scripted Slack Web API on loopback, for the Slack app and the digest's Slack DMs.

The app's Slack clients (slack_sdk's WebClient and AsyncWebClient) are pointed at it through
``COACH_SLACK_API_URL``; it records every call and answers like Slack for the methods Coach
uses. Users are given as ``{slack user id: email}``; ``users_error`` makes users.info fail
(``missing_scope``), ``unconfirmed`` marks emails as not yet confirmed.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TEAM = "T0COACH"
BOT = "U0BOT"


@dataclass
class SlackCall:
    method: str
    args: dict


@dataclass
class FakeSlack:
    users: dict[str, str] = field(default_factory=dict)
    unconfirmed: set[str] = field(default_factory=set)
    users_error: str | None = None
    calls: list[SlackCall] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/api/{method}", self.handle, methods=["GET", "POST"])])

    async def handle(self, request: Request) -> JSONResponse:
        args = dict(request.query_params)
        body = await request.body()
        if body:
            if request.headers.get("content-type", "").startswith("application/json"):
                args.update(json.loads(body))
            else:
                args.update(parse_qsl(body.decode()))
        method = request.path_params["method"]
        with self._lock:
            self.calls.append(SlackCall(method, args))
            count = len(self.calls)
        return JSONResponse(self.reply(method, args, count))

    def reply(self, method: str, args: dict, count: int) -> dict:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT, "bot_id": "B0BOT", "team_id": TEAM, "user": "coach", "team": "Acme"}
        if method == "users.info":
            if self.users_error:
                return {"ok": False, "error": self.users_error, "needed": "users:read.email"}
            user = args.get("user", "")
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "team_id": TEAM, "deleted": False, "is_bot": False,
                                         "is_email_confirmed": user not in self.unconfirmed,
                                         "profile": {"email": self.users[user], "real_name": user}}}
        if method == "users.lookupByEmail":
            found = [uid for uid, mail in self.users.items() if mail == args.get("email")]
            return {"ok": True, "user": {"id": found[0]}} if found else {"ok": False, "error": "users_not_found"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{args.get('users', '')}"}}
        if method == "chat.postMessage":
            return {"ok": True, "channel": args.get("channel"), "ts": f"{count}.000100",
                    "message": {"text": args.get("text")}}
        if method in ("chat.update", "chat.postEphemeral"):
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts", f"{count}.000100")}
        return {"ok": False, "error": "unknown_method"}

    def of(self, method: str) -> list[dict]:
        with self._lock:
            return [c.args for c in self.calls if c.method == method]

    def posts(self) -> list[dict]:
        """Messages as they finally read: each postMessage with the text of its last update."""
        with self._lock:
            calls = list(self.calls)
        out = []
        for number, c in enumerate(calls, 1):
            if c.method == "chat.postMessage":
                out.append({"channel": c.args["channel"], "ts": f"{number}.000100",
                            "texts": [c.args["text"]]})
            elif c.method == "chat.update":
                for post in out:
                    if post["ts"] == c.args["ts"] and post["channel"] == c.args["channel"]:
                        post["texts"].append(c.args["text"])
        return out

    def wait_for(self, check, timeout: float = 15.0):
        """Poll until ``check(self)`` is truthy (the app answers after acknowledging); its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check(self)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"Slack never saw what the test waited for; calls: {[c.method for c in self.calls]}")

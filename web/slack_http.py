"""Slack's HTTP events at ``/slack/events`` under ``coach serve``: on when both
``COACH_SLACK_BOT_TOKEN`` and ``COACH_SLACK_SIGNING_SECRET`` are set. Bolt verifies each
request's signature before anything else reads it."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assistant.integrations.agent_host import Backend
from web import coach
from assistant.integrations.config import public_url, slack_config

PATH = "/slack/events"


def mount(app: Any, state: Any) -> None:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    from assistant.integrations.slack_app import build_app

    settings = state.settings
    backend = Backend(state.runtime, model=state.model, turn_slots=state.turn_slots, tools=state.tools,
                      admit=coach.admit(state),
                      base_url=public_url(settings))
    handler = AsyncSlackRequestHandler(build_app(backend, slack_config(settings, "http"), mode="http"))

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    app.router.routes.append(Route(PATH, endpoint=events, methods=["POST"]))

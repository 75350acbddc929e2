"""``coach slack``: the Slack app in Socket Mode (no public address needed)."""
from __future__ import annotations

import click

from assistant.cli import settings_from


@click.command("slack")
@click.pass_context
def slack(ctx: click.Context) -> None:
    """Run Coach's Slack app over Socket Mode until stopped.

    Needs COACH_SLACK_BOT_TOKEN (xoxb-...), COACH_SLACK_APP_TOKEN (xapp-..., Socket Mode) and
    COACH_PUBLIC_URL (answers link to the web app). To receive Slack's events over HTTP
    instead, set COACH_SLACK_SIGNING_SECRET and run 'coach serve': events go to /slack/events.
    """
    import asyncio

    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from assistant.integrations.agent_host import Backend
    from assistant.integrations.config import public_url, slack_config
    from assistant.integrations.slack_app import build_app
    from assistant.runtime import open_runtime

    settings = settings_from(ctx)
    config = slack_config(settings, "socket")
    base_url = public_url(settings)
    runtime = open_runtime(settings)
    app = build_app(Backend(runtime, base_url=base_url), config, mode="socket")
    click.echo("Coach's Slack app is connecting over Socket Mode (Ctrl+C stops it).", err=True)
    try:
        asyncio.run(AsyncSocketModeHandler(app, config.app_token).start_async())
    finally:
        runtime.engine.dispose()


def register(cli: click.Group) -> None:
    """Add ``coach slack``."""
    cli.add_command(slack)

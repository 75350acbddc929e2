"""``coach ask``: ask the assistant a question as a person, streaming the answer."""
from __future__ import annotations

import asyncio
import json
import sys

import click

from assistant.cli import settings_from


def _print_sources(citations: list[dict[str, str]]) -> None:
    if not citations:
        return
    click.echo("\nSources:")
    for i, c in enumerate(citations, 1):
        click.echo(f"  [{i}] {c['kind']}:{c['id']}  {c['label']}")


async def _run(runtime, viewer, session_id: str | None, question: str, as_json: bool):
    from assistant.agent import Done, Error, Token, ToolStart, stream_reply

    async for event in stream_reply(runtime, viewer, session_id, question):
        if isinstance(event, ToolStart) and not as_json:
            click.echo(click.style(f"… {event.name}({json.dumps(event.args, ensure_ascii=False)})", dim=True), err=True)
        elif isinstance(event, Token) and not as_json:
            click.echo(event.text, nl=False)
            sys.stdout.flush()
        elif isinstance(event, Error):
            if event.session_id and not session_id:
                click.echo(f"Session: {event.session_id}", err=True)
            raise click.ClickException(event.message)
        elif isinstance(event, Done):
            return event.result
    raise click.ClickException("The assistant ended without an answer.")


def register(cli: click.Group) -> None:
    """Add ``coach ask``."""

    @cli.command("ask")
    @click.option("--as", "who", required=True, help="Who is asking: a person's id or email.")
    @click.option("--session", "session_id", default=None, help="Continue this conversation (id printed by an earlier ask).")
    @click.option("--json", "as_json", is_flag=True, help='Print {"answer","citations","tool_calls","timings"} as JSON.')
    @click.argument("question", nargs=-1, required=True)
    @click.pass_context
    def ask(ctx: click.Context, who: str, session_id: str | None, as_json: bool, question: tuple[str, ...]) -> None:
        """Ask a question about your team, e.g. coach ask --as ana@example.com "why is Sam's backlog goal off track?"."""
        from assistant.runtime import open_runtime

        runtime = open_runtime(settings_from(ctx))
        with runtime.sessions() as session:
            viewer = runtime.viewer(session, who)
        result = asyncio.run(_run(runtime, viewer, session_id, " ".join(question), as_json))
        if as_json:
            keys = ("answer", "citations", "tool_calls", "timings")
            data = result.to_dict()
            click.echo(json.dumps({k: data[k] for k in keys} | {"session_id": result.session_id}, ensure_ascii=False, indent=2))
            return
        click.echo()
        _print_sources(result.citations)
        for flag in result.flags:
            click.echo(click.style(f"Note: {flag['detail']}", fg="yellow"), err=True)
        if not session_id:
            click.echo(f"\nSession: {result.session_id} (continue with --session {result.session_id})")

"""``coach mcp``: Coach's tools and jobs over MCP on stdio, for a manager's desktop AI client."""
from __future__ import annotations

import click

from assistant.cli import settings_from


@click.command("mcp")
@click.pass_context
def mcp(ctx: click.Context) -> None:
    """Serve Coach over MCP on stdin/stdout for a desktop AI client (it starts this command).

    It acts as the person whose API token COACH_MCP_TOKEN holds, and only as them: their
    reporting chain, their conversations. Make a token with 'coach user token --email YOU'.
    Nothing but the protocol is written to stdout.

    \b
    Client config (e.g. claude_desktop_config.json):
      {"mcpServers": {"coach": {"command": "coach", "args": ["mcp"],
        "env": {"COACH_MCP_TOKEN": "coach_...", "COACH_DATA_DIR": "/path/to/.coach"}}}}
    """
    import anyio
    from mcp.server.stdio import stdio_server
    from mcp.shared.exceptions import MCPError

    from assistant.integrations.config import mcp_token
    from assistant.integrations.agent_host import Backend
    from assistant.integrations.mcp_server import build_server
    from assistant.integrations.mcp_tokens import token_identity
    from assistant.runtime import open_runtime
    from tools.errors import ToolError

    settings = settings_from(ctx)
    secret = mcp_token(settings)
    runtime = open_runtime(settings)
    identify = token_identity(runtime, secret)
    try:
        viewer = identify(None)  # a bad token fails here, in one line, before the client waits on us
    except MCPError as exc:
        raise ToolError(f"COACH_MCP_TOKEN: {exc.message}") from None
    click.echo(f"Coach MCP server on stdio, acting as {viewer.name}.", err=True)
    server = build_server(Backend(runtime, base_url=settings.public_url or ""), identify)

    async def serve() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    try:
        anyio.run(serve)
    finally:
        runtime.engine.dispose()


def register(cli: click.Group) -> None:
    """Add ``coach mcp``."""
    cli.add_command(mcp)

"""``coach team`` and ``coach goal``: quick views of the same facts the assistant reads.

Both run the agent's tools for the person given with ``--as``, so they see exactly that
person's reach; anything outside it fails like something that does not exist.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Callable, Iterator

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.cli import settings_from
from assistant.runtime import open_runtime
from tools.context import ToolContext
from tools.goals import explain_goal
from tools.people import team_overview
from tools.results import ToolResult

STATUS_STYLES = {"off_track": "bold red", "at_risk": "yellow", "on_track": "green", "unknown": "dim"}
AS_HELP = "Who is looking: a person id or email. Only people in their reach are shown."


@contextmanager
def _tool_context(ctx: click.Context, who: str) -> Iterator[ToolContext]:
    runtime = open_runtime(settings_from(ctx))
    try:
        with runtime.sessions() as session:
            viewer = runtime.viewer(session, who)
            yield runtime.tool_context(session, viewer, with_guidance=False)
    finally:
        runtime.engine.dispose()


def _run(ctx: click.Context, who: str, tool: Callable[..., ToolResult], **args) -> ToolResult:
    with _tool_context(ctx, who) as tool_ctx:
        return tool(tool_ctx, **args)


def _facts(console: Console, result: ToolResult) -> None:
    for fact in result.facts:
        line = Text("  ")
        line.append(f"[{fact.ref}] ", style="cyan")
        line.append(fact.text)  # stored text is shown as plain text, never as markup
        console.print(line)


@click.command()
@click.option("--as", "who", required=True, metavar="PERSON", help=AS_HELP)
@click.option("--manager", default="", metavar="NAME", help="A manager in your reach to look at instead of yourself.")
@click.option("--json", "as_json", is_flag=True, help="Print the tool result as JSON.")
@click.pass_context
def team(ctx: click.Context, who: str, manager: str, as_json: bool) -> None:
    """Show a manager's direct reports: goals at risk or off track, lapsed 1:1s, and who
    needs attention first.

    \b
    Example:
      coach team --as ana@example.com
      coach team --as ana@example.com --manager "Tom Baker"
    """
    result = _run(ctx, who, team_overview, manager=manager)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    console = Console(highlight=False)
    console.print(Text(result.summary, style="bold"))
    table = Table(show_lines=False)
    for column in ("Report", "Attention", "Off track", "At risk", "Goals", "Last 1:1"):
        table.add_column(column, justify="right" if column not in ("Report", "Last 1:1") else "left")
    for r in result.data["reports"]:
        statuses = [g["status"] for g in r["goals"]]
        c = r["cadence"]
        last = "none" if c["last_held"] is None else f"{c['last_held']} ({c['days_since']} days)"
        table.add_row(Text(r["name"]), str(r["score"]), str(statuses.count("off_track")),
                      str(statuses.count("at_risk")), str(len(statuses)),
                      Text(last + (" lapsed" if c["lapsed"] else ""), style="red" if c["lapsed"] else ""))
    console.print(table)
    needing = [(r["name"], g) for r in result.data["reports"] for g in r["goals"]
               if g["status"] in ("off_track", "at_risk")]
    if needing:
        console.print(Text("Goals needing attention:", style="bold"))
    for name, g in needing:
        line = Text("  ")
        line.append(g["status"].replace("_", " "), style=STATUS_STYLES[g["status"]])
        line.append(f"  {g['title']} ({name}{', due ' + g['due_date'] if g['due_date'] else ''})")
        if g["reasons"]:
            line.append(f": {g['reasons'][0]}")
        console.print(line)


@click.command()
@click.argument("title_words")
@click.option("--as", "who", required=True, metavar="PERSON", help=AS_HELP)
@click.option("--owner", default="", metavar="NAME", help="The goal owner's name or email, when several goals match.")
@click.option("--json", "as_json", is_flag=True, help="Print the tool result as JSON.")
@click.pass_context
def goal(ctx: click.Context, title_words: str, who: str, owner: str, as_json: bool) -> None:
    """Explain one goal found by TITLE_WORDS: its status and every reason, with the record
    each fact comes from (pace, KPI trends, blockers, updates, 1:1s, key results).

    \b
    Example:
      coach goal --as ana@example.com "ticket backlog"
    """
    result = _run(ctx, who, explain_goal, goal=title_words, person=owner)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    console = Console(highlight=False)
    status = result.data["goal"]["status"]
    heading = Text(status.replace("_", " ").upper() + "  ", style=STATUS_STYLES[status])
    heading.append(result.data["goal"]["title"], style="bold")
    console.print(heading)
    _facts(console, result)


def register(cli: click.Group) -> None:
    """Add ``team`` and ``goal`` to ``cli``."""
    cli.add_command(team)
    cli.add_command(goal)

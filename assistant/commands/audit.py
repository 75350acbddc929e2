"""``coach audit``: list the audit trail (every write: who, what, when, before and after)."""
from __future__ import annotations

import datetime as dt
import json
import sys

import click
from rich.console import Console
from rich.table import Table

from assistant.cli import settings_from
from assistant.runtime import open_runtime
from tools.store.audit import ACTIONS, Filters, as_text, changed_fields, list_events


def _when(value: str | None, end: bool = False) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-01 or 2026-12-01T09:30") from None
    return day + dt.timedelta(days=1) - dt.timedelta(microseconds=1) if end and len(value) == 10 else day


@click.command()
@click.option("--actor", default=None, metavar="PERSON_ID", help="Only writes by this person.")
@click.option("--subject", default=None, metavar="PERSON_ID", help="Only writes about this person's records.")
@click.option("--kind", default=None, help="Only this kind of record: checkin, goal, progress_update, kpi_value, "
                                           "feedback, action_item, bundle, api_token, personal_mark.")
@click.option("--record", "record_id", default=None, metavar="ID", help="Only this record.")
@click.option("--action", type=click.Choice(ACTIONS), default=None, help="Only this action.")
@click.option("--since", default=None, metavar="DATE", help="From this day or moment (UTC), e.g. 2026-12-01.")
@click.option("--until", default=None, metavar="DATE", help="Up to this day (inclusive) or moment (UTC).")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, with before and after.")
@click.pass_context
def audit(ctx: click.Context, actor, subject, kind, record_id, action, since, until, limit, as_json) -> None:
    """List audit events, newest first. The trail is append-only: nothing here can change it."""
    filters = Filters(actor_id=actor, subject_id=subject, kind=kind, record_id=record_id, action=action,
                      since=_when(since), until=_when(until, end=True))
    runtime = open_runtime(settings_from(ctx))
    try:
        with runtime.sessions() as session:
            events = list_events(session, filters, limit=limit)
    finally:
        runtime.engine.dispose()
    if as_json:
        for e in events:
            click.echo(json.dumps({"id": e.id, "at": e.at.isoformat(), "actor_id": e.actor_id, "channel": e.channel,
                                   "action": e.action, "kind": e.kind, "record_id": e.record_id,
                                   "subject_id": e.subject_id, "before": e.before, "after": e.after},
                                  ensure_ascii=False, sort_keys=True))
        return
    if not events:
        click.echo("No audit events match.")
        return
    table = Table("id", "at (UTC)", "who", "via", "action", "record", "about", "changed")
    for e in events:
        changed = changed_fields(e)
        table.add_row(str(e.id), e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor_id or "(system)", e.channel, e.action,
                      f"{e.kind} {e.record_id}", e.subject_id or "", ", ".join(changed)[:60] or as_text(e.after)[:60])
    Console(width=None if sys.stdout.isatty() else 200, markup=False, highlight=False).print(table)


def register(cli: click.Group) -> None:
    """Add ``audit`` to ``cli``."""
    cli.add_command(audit)

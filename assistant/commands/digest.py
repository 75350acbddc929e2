"""``coach digest``: send the weekly digest (from cron), preview it, and opt people out or in."""
from __future__ import annotations

import datetime as dt

import click

from assistant.cli import settings_from


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"use YYYY-MM-DD, not {value!r}", param_hint="--today") from None


@click.command("digest")
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The day the week ends (default: the data's today).")
@click.option("--only", metavar="PERSON", help="Only this manager (id or email).")
@click.option("--preview", is_flag=True, help="Print the plain-text digest instead of sending it (nothing is logged).")
@click.option("--opt-out", "opt_out", metavar="PERSON", help="Stop the digest for this person (id or email).")
@click.option("--opt-in", "opt_in", metavar="PERSON", help="Start the digest again for this person.")
@click.pass_context
def digest(ctx: click.Context, today: str | None, only: str | None, preview: bool, opt_out: str | None,
           opt_in: str | None) -> None:
    """Send the weekly digest to every manager: goals that turned at risk this week (with their
    reasons and links), lapsed and upcoming 1:1s, open action items due and overdue, and one
    coaching question per report.

    By email when COACH_SMTP_HOST is set, and as a Slack DM when COACH_SLACK_BOT_TOKEN is.
    Safe to run again: each person gets one digest per ISO week and channel. For cron, e.g.
    every Monday at 07:00:  0 7 * * 1  cd /srv/coach && coach digest
    """
    from assistant.runtime import open_runtime

    runtime = open_runtime(settings_from(ctx))
    try:
        if opt_out or opt_in:
            _opt(runtime, opt_out or opt_in, out=bool(opt_out))
        elif preview:
            _preview(runtime, _day(today), only)
        else:
            _send(runtime, _day(today), only)
    finally:
        runtime.engine.dispose()


def _opt(runtime, who: str, *, out: bool) -> None:
    from tools.store.db import transaction
    from tools.store.integrations import set_digest_opt_out

    with transaction(runtime.sessions) as session:
        viewer = runtime.viewer(session, who)
        set_digest_opt_out(session, viewer.person_id, out)
    click.echo(f"{viewer.name} will {'no longer ' if out else ''}get the weekly digest.")


def _preview(runtime, today: dt.date | None, only: str | None) -> None:
    from assistant.integrations.digest_render import render_text, subject
    from assistant.integrations.digest_send import managers
    from tools.access import Viewer
    from tools.context import ToolContext, data_today
    from tools.digest import manager_week

    base_url = runtime.settings.public_url or "http://127.0.0.1:8000"
    with runtime.sessions() as session:
        day = today or data_today(session)
        for person in managers(session, only):
            week = manager_week(ToolContext(session, Viewer(person.id, person.role, person.name), today=day))
            click.echo(f"To: {person.email}\nSubject: {subject(week)}\n\n{render_text(week, base_url)}")


def _send(runtime, today: dt.date | None, only: str | None) -> None:
    from assistant.integrations.digest_send import send_digests

    outcomes = send_digests(runtime, today=today, only=only)
    for o in outcomes:
        click.echo(f"{o.status:8} {o.channel:6} {o.email}  {o.detail}".rstrip())
    failed = [o for o in outcomes if o.status == "failed"]
    sent = sum(o.status == "sent" for o in outcomes)
    click.echo(f"{sent} sent, {len(failed)} failed.", err=True)
    if failed:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    """Add ``coach digest``."""
    cli.add_command(digest)

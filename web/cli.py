"""``coach serve`` (the web app under uvicorn) and ``coach user`` (passwords and API tokens)."""
from __future__ import annotations

import os
import secrets

import click

from assistant.cli import settings_from


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0 for all).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; they share users, sessions and conversations through the database.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Run the web app: dashboard, pages, JSON API (/api/docs) and the chat widget."""
    import uvicorn

    from assistant.runtime import open_runtime

    settings = settings_from(ctx)
    open_runtime(settings).engine.dispose()  # migrate once, before any worker starts
    click.echo(f"Coach on http://{host}:{port}/ (API docs at /api/docs); sign in with an account from "
               "'coach user add' or 'coach demo'.")
    if workers == 1:
        from web.app import create_app

        uvicorn.run(create_app(settings, upgrade=False), host=host, port=port, log_level="info")
        return
    os.environ["COACH_WEB_UPGRADE"] = "0"
    uvicorn.run("web.app:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info")


@click.group()
def user() -> None:
    """Manage web sign-in: passwords and API tokens for the chat widget."""


@user.command("add")
@click.option("--email", required=True, help="The person's email (they must exist, unless --name is given).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 8 characters (asked for when left out).")
@click.option("--name", default=None, help="Create the person with this name if no one has this email.")
@click.option("--role", type=click.Choice(["employee", "manager", "hr_admin"]), default="employee", show_default=True,
              help="Role of a person created with --name.")
@click.pass_context
def add_user(ctx: click.Context, email: str, password: str, name: str | None, role: str) -> None:
    """Let a person sign in to the web app with EMAIL and a password (or change their password)."""
    from sqlalchemy import func, select

    from assistant.runtime import open_runtime
    from tools.store.accounts import hash_password, set_password
    from tools.store.db import transaction
    from tools.store.models import Person

    runtime = open_runtime(settings_from(ctx))
    hashed = hash_password(password)  # a bad password fails before anything is written
    try:
        with transaction(runtime.sessions) as session:
            exists = session.scalar(select(Person.id).where(func.lower(Person.email) == email.strip().lower()))
            if exists is None and name:
                session.add(Person(id=f"p-{secrets.token_hex(4)}", name=name.strip(), email=email.strip(), role=role))
                session.flush()
            person = set_password(session, email, password, password_hash=hashed)
            label = f"{person.name} <{person.email}> ({person.role})"
    finally:
        runtime.engine.dispose()
    click.echo(f"{label} can now sign in at /signin.")


@user.command("token")
@click.option("--email", required=True, help="Whose token: it sees exactly what this person sees.")
@click.option("--name", default="chat widget", show_default=True, help="A label to recognise the token by.")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["chat", "read", "write", "mcp"]), default=["chat"],
              show_default=True, help="What the token may do: chat (the widget), read and write (the JSON API). Repeat for several.")
@click.option("--days", type=click.IntRange(1, 366), default=90, show_default=True, help="Days until it expires.")
@click.option("--origin", default=None, help="Accept it from this browser origin only, e.g. https://intranet.example.")
@click.pass_context
def make_token(ctx: click.Context, email: str, name: str, scopes: tuple[str, ...], days: int, origin: str | None) -> None:
    """Create an API token for the chat widget or scripts (printed once; stored only as a hash)."""
    from sqlalchemy import func, select

    from assistant.runtime import open_runtime
    from tools.access import ToolError
    from tools.store.accounts import create_api_token
    from tools.store.db import transaction
    from tools.store.models import Person

    settings = settings_from(ctx)
    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            pid = session.scalar(select(Person.id).where(func.lower(Person.email) == email.strip().lower()))
            if pid is None:
                raise ToolError(f"No person with email {email!r}.")
            secret, row = create_api_token(session, pid, name, scopes=list(scopes), days=days, origin=origin)
            expires = row.expires_at.strftime("%Y-%m-%d")
    finally:
        runtime.engine.dispose()
    click.echo(secret)
    origins = ", ".join(settings.allowed_origins) or "none (set COACH_ALLOWED_ORIGINS)"
    click.echo(f'Embed: <script src="https://YOUR-COACH-HOST/static/widget.js" data-token="{secret}" defer></script>',
               err=True)
    click.echo(f"Origins allowed to use it from a browser: {origin or origins}", err=True)
    click.echo(f"Scopes: {' '.join(scopes)}; expires {expires}.", err=True)


def register(cli: click.Group) -> None:
    """Add ``serve``, ``user`` and ``scim`` to ``cli``."""
    from web.scim.cli import scim

    cli.add_command(serve)
    cli.add_command(user)
    cli.add_command(scim)

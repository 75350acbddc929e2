"""``coach scim token``: tokens for the identity provider's provisioning client."""
from __future__ import annotations

import click

from assistant.cli import settings_from


@click.group()
def scim() -> None:
    """SCIM 2.0 provisioning from the company's directory (base URL: https://YOUR-COACH-HOST/scim/v2)."""


@scim.group("token")
def token() -> None:
    """Bearer tokens of provisioning clients (separate from people's API tokens)."""


def _runtime(ctx: click.Context):
    from assistant.runtime import open_runtime

    return open_runtime(settings_from(ctx))


@token.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. okta or entra.")
@click.pass_context
def create(ctx: click.Context, name: str) -> None:
    """Create a provisioning token (printed once; stored only as a hash)."""
    from tools.store.db import transaction
    from tools.store.identity import create_provisioning_token

    runtime = _runtime(ctx)
    try:
        with transaction(runtime.sessions) as session:
            secret, row = create_provisioning_token(session, name)
            token_id = row.id
    finally:
        runtime.engine.dispose()
    click.echo(secret)
    click.echo(f"Token {token_id} ({name}): give it to the provisioning client as its bearer token, with the "
               "SCIM base URL https://YOUR-COACH-HOST/scim/v2", err=True)


@token.command("list")
@click.pass_context
def list_tokens(ctx: click.Context) -> None:
    """The live provisioning tokens: id, name, created."""
    from tools.store.identity import list_provisioning_tokens

    runtime = _runtime(ctx)
    try:
        with runtime.sessions() as session:
            rows = [(t.id, t.name, t.created_at) for t in list_provisioning_tokens(session)]
    finally:
        runtime.engine.dispose()
    for token_id, name, created in rows:
        click.echo(f"{token_id}  {name}  created {created:%Y-%m-%d %H:%M}")
    if not rows:
        click.echo("No provisioning tokens.", err=True)


@token.command("revoke")
@click.argument("token_id")
@click.pass_context
def revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke the provisioning token TOKEN_ID (from 'coach scim token list')."""
    from tools.store.db import transaction
    from tools.store.identity import revoke_provisioning_token

    runtime = _runtime(ctx)
    try:
        with transaction(runtime.sessions) as session:
            done = revoke_provisioning_token(session, token_id)
    finally:
        runtime.engine.dispose()
    if not done:
        raise click.ClickException(f"No live provisioning token {token_id!r}.")
    click.echo(f"Revoked {token_id}.")

"""The ``coach`` command line. Subcommands come from the ``coach.commands`` entry points.

Each entry point names a ``register(cli: click.Group)`` function, so ``web`` and
``evals`` add ``serve`` and ``eval`` without ``assistant`` importing them.
"""
from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points

import click

from pydantic import ValidationError

from assistant.settings import Settings, describe_settings_error
from tools.access import ToolError


class CoachGroup(click.Group):
    """Turns the errors users can fix into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ToolError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            if exc.title != Settings.__name__:
                raise
            raise click.ClickException(describe_settings_error(exc)) from exc


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Coach: an AI coaching assistant for people managers.

    Settings come from COACH_* environment variables or a .env file; see README.md.
    """
    ctx.obj = ctx.obj or {}
    ctx.obj.setdefault("settings_factory", Settings)


def settings_from(ctx: click.Context) -> Settings:
    return ctx.find_root().obj["settings_factory"]()


def build_cli() -> click.Group:
    """The ``coach`` group with every registered subcommand (loaded once)."""
    if not cli.commands:
        for ep in sorted(entry_points(group="coach.commands"), key=lambda e: e.name):
            ep.load()(cli)
    return cli


def main() -> None:
    os.environ.setdefault("LANGSMITH_TRACING", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    build_cli()(prog_name="coach")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

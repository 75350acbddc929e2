"""``coach import`` and ``coach export``: performance data as a JSON bundle or a folder of CSV files."""
from __future__ import annotations

from pathlib import Path

import click

from assistant.cli import settings_from
from assistant.runtime import open_runtime
from tools.bundle import export_path, import_path
from tools.store.db import transaction


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, path: Path) -> None:
    """Import people, goals, check-ins, KPIs and feedback from PATH.

    PATH is a .json bundle or a folder of CSV files, in the format of
    docs/bundle-format.md. Records whose ids are already stored are updated in
    place. The import is all-or-nothing: if any row is wrong nothing is written,
    and the error names the file, the row (or JSON path), the field and the problem.
    """
    runtime = open_runtime(settings_from(ctx))
    try:
        with transaction(runtime.sessions) as session:
            report = import_path(session, path)
    finally:
        runtime.engine.dispose()
    click.echo(f"Imported {path}:")
    for line in report.lines():
        click.echo(f"  {line}")


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def export_command(ctx: click.Context, path: Path) -> None:
    """Export all performance data to PATH.

    A PATH ending in .json gets one bundle file; any other PATH is a folder that
    gets one CSV file per list (people.csv, goals.csv, ...). Existing files of
    those names are overwritten. Importing the export into an empty database and
    exporting again gives identical files.
    """
    runtime = open_runtime(settings_from(ctx))
    try:
        with runtime.sessions() as session:
            report = export_path(session, path)
    finally:
        runtime.engine.dispose()
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items() if n)
    click.echo(f"Exported to {path} ({report.format}): {counts or 'nothing stored yet'}")


def register(cli: click.Group) -> None:
    """Add ``import`` and ``export`` to ``cli``."""
    cli.add_command(import_command)
    cli.add_command(export_command)

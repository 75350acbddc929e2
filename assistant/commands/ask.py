"""``coach`` subcommands: placeholder, filled in by its owner."""
from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's commands to ``cli``."""

"""``coach demo``, ``coach import``, ``coach export`` and the quick views."""
from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Placeholder until the data commands land (issue 2)."""

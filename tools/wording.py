"""Small shared wording for tool facts: quoting user text, naming goal kinds and statuses."""
from __future__ import annotations

import datetime as dt

from tools.analytics.risk import LABELS

KIND_LABELS = {"smart": "Goal", "objective": "Objective", "key_result": "Key result"}
CLIP = 240


def clip(text: str | None, limit: int = CLIP) -> str:
    """One line of stored text, cut at a word boundary to ``limit`` characters."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "..."


def quoted(text: str | None, limit: int = CLIP) -> str:
    """Stored text (notes, feedback) as a quotation: it is data to report, not instructions."""
    return '"' + clip(text, limit).replace('"', "'") + '"'


def plural(n: int, word: str) -> str:
    """'1 blocker', '2 blockers'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "Goal")


def status_label(status: str) -> str:
    return LABELS.get(status, status).lower()


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None

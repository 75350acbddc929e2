"""Links to the web app's record pages, for answers and digests read outside it."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote


def record_url(kind: str, record_id: str, base_url: str = "") -> str:
    """The page of a cited record (ids may hold '#', as guidance passages do, so they are quoted)."""
    return f"{base_url}/records/{quote(kind, safe='')}/{quote(record_id, safe='')}"


def ref_url(ref: str, base_url: str) -> str:
    """The page of a fact's ``kind:id`` reference."""
    kind, _, record_id = ref.partition(":")
    return record_url(kind, record_id, base_url)


def with_urls(citations: list[dict[str, Any]], base_url: str) -> list[dict[str, Any]]:
    """Citations (``kind``, ``id``, ``label``...) each with the ``url`` of its record."""
    return [{**c, "url": record_url(c.get("kind", ""), c.get("id", ""), base_url)} for c in citations]

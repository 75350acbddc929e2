"""Slack's text both ways: what a user typed (mentions and link markup removed), and Coach's
answer as mrkdwn with its citations as links to the web app."""
from __future__ import annotations

import re
from typing import Any

from assistant.integrations.links import record_url

MARKER = re.compile(r"\[(\d+)\]")
_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<(?:mailto:)?([^|>]+)(?:\|([^>]+))?>")


def escape(text: str) -> str:
    """Text for mrkdwn: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def typed(text: str) -> str:
    """What the user typed: mentions of Coach dropped, ``<url|label>`` as its label, entities decoded."""
    text = _USER.sub("", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())


def working(label: str = "") -> str:
    return f"_Working on it{': ' + escape(label) if label else ''}…_"


def answer(text: str, citations: list[dict[str, Any]], base_url: str) -> str:
    """The answer with each ``[n]`` marker a link to its record, and the sources listed below."""
    urls = [record_url(c.get("kind", ""), c.get("id", ""), base_url) for c in citations]

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        return f"<{urls[n - 1]}|[{n}]>" if 0 < n <= len(urls) else match.group(0)

    body = MARKER.sub(link, escape(text))
    if not citations:
        return body
    sources = [f"<{url}|[{i}]> {escape(c.get('label', ''))}" for i, (url, c) in enumerate(zip(urls, citations), 1)]
    return body + "\n\n*Sources*\n" + "\n".join(sources)

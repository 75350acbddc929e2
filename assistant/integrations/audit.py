"""One audit record per call made through an integration (MCP tools and jobs, Slack questions).

Every integration calls :func:`audit_call` and nothing else. The record goes to the append-only
audit trail (:mod:`tools.store.audit`, ``coach audit``) as action ``call``, kind ``tool_call``,
the tool's name as the record and the arguments and outcome as ``after``; it is also one line
on the ``coach.audit`` logger.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy.orm import Session

from tools.access import Viewer
from tools.store.audit import record

log = logging.getLogger("coach.audit")
MAX_ARG_CHARS = 200  # pasted review text is long: the record keeps its start
KIND = "tool_call"


def _short(args: dict[str, Any]) -> dict[str, Any]:
    return {k: (v[:MAX_ARG_CHARS] + "…" if isinstance(v, str) and len(v) > MAX_ARG_CHARS else v)
            for k, v in args.items()}


def audit_call(session: Session, viewer: Viewer | None, *, channel: str, name: str,
               args: dict[str, Any], ok: bool, error: str | None = None) -> dict[str, Any]:
    """Record that ``viewer`` called ``name`` with ``args`` through ``channel`` (``mcp``, ``slack``) and
    whether it worked, in ``session`` (the caller commits); returns what was recorded."""
    outcome = {"args": _short(args), "ok": ok, "error": error}
    record(session, actor_id=viewer.person_id if viewer else None, action="call", kind=KIND, record_id=name,
           after=outcome, channel=channel)
    entry = {"actor_id": viewer.person_id if viewer else None, "channel": channel, "action": "call", "name": name,
             **outcome}
    log.info("%s", json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str))
    return entry

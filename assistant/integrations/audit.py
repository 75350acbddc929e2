"""One audit record per call made through an integration (MCP tools and jobs, Slack questions).

Every integration calls :func:`audit_call` and nothing else, so moving the records to the
append-only audit table (``tools/store/audit.py``, on its way to main) is a change here only.
Until then each call is one structured line on the ``coach.audit`` logger.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy.orm import Session

from tools.access import Viewer

log = logging.getLogger("coach.audit")
MAX_ARG_CHARS = 200  # pasted review text is long: the record keeps its start


def _short(args: dict[str, Any]) -> dict[str, Any]:
    return {k: (v[:MAX_ARG_CHARS] + "…" if isinstance(v, str) and len(v) > MAX_ARG_CHARS else v)
            for k, v in args.items()}


def audit_call(session: Session | None, viewer: Viewer | None, *, channel: str, name: str,
               args: dict[str, Any], ok: bool, error: str | None = None) -> dict[str, Any]:
    """Record that ``viewer`` called ``name`` with ``args`` through ``channel`` (``mcp``, ``slack``)
    and whether it worked; returns the record. ``session`` is where the audit table will be written."""
    record = {"actor_id": viewer.person_id if viewer else None, "channel": channel, "action": "call",
              "name": name, "args": _short(args), "ok": ok, "error": error}
    log.info("%s", json.dumps(record, ensure_ascii=False, sort_keys=True, default=str))
    return record

"""Read the whole store back into a bundle, in a fixed order with fixed number formatting.

Rows are sorted in Python by code point (not by the database's collation), so SQLite
and PostgreSQL export the same bytes.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.bundle.schema import ACTION_ITEMS, BUNDLE_LISTS, BY_NAME, CHECKINS, Entity


def plain(value: Any) -> Any:
    """A JSON value: ISO dates, whole floats as integers (``240``, not ``240.0``)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def export_data(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every list of the store as a bundle dict (see docs/bundle-format.md)."""
    data: dict[str, list[dict[str, Any]]] = {}
    links = {name: _links(session, BY_NAME[name]) for name in ("checkins", "kpis")}
    items = _action_items(session)
    for name in BUNDLE_LISTS:
        entity = BY_NAME[name]
        rows = _rows(session, entity)
        for row in rows:
            if entity.links is not None:
                row["goal_ids"] = links[name].get(row["id"], [])
            if entity is CHECKINS:
                row["action_items"] = items.get(row["id"], [])
        data[name] = [{f: row[f] for f in entity.fields} for row in rows]
    return data


def _rows(session: Session, entity: Entity) -> list[dict[str, Any]]:
    table = entity.table
    result = session.execute(select(*(table.c[c] for c in entity.columns)))
    rows = [{c: plain(v) for c, v in zip(entity.columns, record)} for record in result]
    rows.sort(key=lambda row: tuple(row[k] for k in entity.key))
    return rows


def _links(session: Session, entity: Entity) -> dict[str, list[str]]:
    owner, goal = entity.links.c.values()
    found: dict[str, list[str]] = defaultdict(list)
    for owner_id, goal_id in session.execute(select(owner, goal)):
        found[owner_id].append(goal_id)
    return {k: sorted(v) for k, v in found.items()}


def _action_items(session: Session) -> dict[str, list[dict[str, Any]]]:
    table = ACTION_ITEMS.table
    fields = ACTION_ITEMS.fields[1:]  # text, owner_id, due_date, done
    query = select(table.c.checkin_id, table.c.position, table.c.id, *(table.c[f] for f in fields))
    records = sorted(session.execute(query), key=lambda r: (r[0], r[1], r[2]))
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for checkin_id, _position, _id, *values in records:
        found[checkin_id].append({f: plain(v) for f, v in zip(fields, values)})
    return found


def dump_json(data: dict[str, list[dict[str, Any]]]) -> str:
    """The bundle as JSON text with one record per line, so large bundles stay readable."""
    parts = []
    for name, rows in data.items():
        body = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in rows)
        parts.append(f'  "{name}": [\n{body}\n  ]' if rows else f'  "{name}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"

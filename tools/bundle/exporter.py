"""Read the whole store back into a bundle, in a fixed order with fixed number formatting.

Rows are sorted in Python by code point (not by the database's collation), so SQLite
and PostgreSQL export the same bytes.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, Callable

from sqlalchemy import Date, Float, select
from sqlalchemy.orm import Session

from tools.bundle.schema import ACTION_ITEMS, BUNDLE_LISTS, BY_NAME, CHECKINS, Entity


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _number(value: float | None) -> float | int | None:
    """Whole floats as integers (``240``, not ``240.0``); others keep Python's shortest repr."""
    if value is not None and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _converters(table: Any, columns: tuple[str, ...]) -> list[Callable[[Any], Any] | None]:
    """How to turn each column's stored value into a JSON value (``None``: as it is)."""
    kinds = {Date: _iso, Float: _number}
    return [next((f for t, f in kinds.items() if isinstance(table.c[c].type, t)), None) for c in columns]


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
        data[name] = rows  # keys in field order: goal_ids and action_items are the last fields
    return data


def _rows(session: Session, entity: Entity) -> list[dict[str, Any]]:
    columns = entity.columns
    convert = _converters(entity.table, columns)
    rows = [
        {c: f(v) if f else v for c, f, v in zip(columns, convert, record)}
        for record in session.execute(select(*(entity.table.c[c] for c in columns))).all()
    ]
    key = entity.key
    rows.sort(key=(lambda row: row[key[0]]) if len(key) == 1 else (lambda row: tuple(row[k] for k in key)))
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
    convert = _converters(table, fields)
    query = select(table.c.checkin_id, table.c.position, table.c.id, *(table.c[f] for f in fields))
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for checkin_id, _position, _id, *values in sorted(session.execute(query).all(), key=lambda r: r[:3]):
        found[checkin_id].append({f: c(v) if c else v for f, c, v in zip(fields, convert, values)})
    return found


def dump_json(data: dict[str, list[dict[str, Any]]]) -> str:
    """The bundle as JSON text with one record per line, so large bundles stay readable."""
    parts = []
    for name, rows in data.items():
        body = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in rows)
        parts.append(f'  "{name}": [\n{body}\n  ]' if rows else f'  "{name}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"

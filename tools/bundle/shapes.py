"""Stage one of an import: every row has the right fields, types and values.

Rows are validated a whole list at a time (one pydantic call per list) and come out as
plain dicts holding exactly the table's columns, defaults filled in.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import String

from tools.bundle.errors import Locator, Problems, describe
from tools.bundle.schema import ACTION_ITEMS, ENTITIES, ActionItemRow, Entity
from tools.bundle.source import Block


@dataclass
class Rows:
    """Valid rows of one list, ready to write; ``links`` holds each row's ``goal_ids``."""

    entity: Entity
    rows: list[dict[str, Any]]
    where: Locator
    links: list[list[str]] | None = None


@cache
def _adapter(shape: type) -> TypeAdapter:
    return TypeAdapter(list[shape])


def check_shapes(blocks: dict[str, Block]) -> dict[str, Rows]:
    """Validate every block; raise :class:`BundleError` listing the first problems."""
    problems = Problems()
    valid: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITIES:
        block = blocks.get(entity.name)
        if block is None:
            continue
        shape = ActionItemRow if block.parents is not None else entity.shape
        try:
            valid[entity.name] = _adapter(shape).validate_python(block.rows)
        except ValidationError as exc:
            fields = entity.fields[1:] if block.parents is not None else entity.fields
            for error in exc.errors(include_url=False):
                index, *loc = error["loc"]
                problems.add(block.where.at(index, loc), describe(error, csv=block.where.csv, fields=fields))
    problems.raise_if_any()
    out = {name: _normalise(blocks[name], rows) for name, rows in valid.items()}
    if ACTION_ITEMS.name in out:
        _place_action_items(out[ACTION_ITEMS.name], blocks[ACTION_ITEMS.name], out.get("checkins"))
    return out


def _normalise(block: Block, valid: list[dict[str, Any]]) -> Rows:
    entity = block.entity
    blank = dict.fromkeys(entity.columns)
    extra = [f for f in entity.fields if f not in blank]  # goal_ids, action_items: stored elsewhere
    defaults = [(k, v) for k, v in entity.defaults.items() if k in blank]
    table = entity.table.c
    optional_text = [c for c in blank if table[c].nullable and isinstance(table[c].type, String)]
    links = [raw.get("goal_ids") or [] for raw in valid] if entity.links is not None else None
    rows = []
    for raw in valid:
        row = blank.copy()
        row.update(raw)
        for k in extra:
            row.pop(k, None)
        for k, default in defaults:
            if row[k] is None:
                row[k] = default
        for k in optional_text:  # CSV cannot tell "" from null: store null for both
            if row[k] == "":
                row[k] = None
        rows.append(row)
    return Rows(entity, rows, block.where, links)


def _place_action_items(items: Rows, block: Block, checkins: Rows | None) -> None:
    """Give each action item its check-in id (JSON) and its position within the check-in."""
    if block.parents is not None and checkins is not None:
        for row, parent in zip(items.rows, block.parents):
            row["checkin_id"] = checkins.rows[parent]["id"]
    seen: dict[str, int] = {}
    for row in items.rows:
        row["position"] = seen.get(row["checkin_id"], 0)
        seen[row["checkin_id"]] = row["position"] + 1

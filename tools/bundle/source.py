"""Raw rows as read from a source (a JSON bundle here, CSV in :mod:`tools.bundle.csvio`)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.bundle.errors import BundleError, JsonList, JsonNested, Locator, Problem, Problems
from tools.bundle.schema import ACTION_ITEMS, BUNDLE_LISTS, BY_NAME, Entity


@dataclass
class Block:
    """The unvalidated rows of one list and where each came from.

    ``parents`` is set for action items nested in a JSON bundle: the index of each
    item's check-in in the ``checkins`` block.
    """

    entity: Entity
    rows: list[Any]
    where: Locator
    parents: list[int] | None = None


def read_json(path: Path) -> Any:
    """Parse a bundle file; syntax errors name the line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise BundleError(Problem(path.name, "is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        where = f"{path.name}: line {exc.lineno}, column {exc.colno}"
        raise BundleError(Problem(where, f"is not valid JSON ({exc.msg})")) from None


def blocks_from_data(data: Any, source: str) -> dict[str, Block]:
    """Split a parsed bundle into blocks; action items come out of their check-ins."""
    if not isinstance(data, dict):
        raise BundleError(Problem(f"{source}: $", f"must be an object with lists such as {', '.join(BUNDLE_LISTS)}"))
    problems = Problems()
    blocks: dict[str, Block] = {}
    for name, rows in data.items():
        if name == ACTION_ITEMS.name:
            problems.add(f"{source}: $.{name}", "goes inside each check-in ($.checkins[i].action_items)")
        elif name not in BUNDLE_LISTS:
            problems.add(f"{source}: $.{name}", f"is not a known list (known: {', '.join(BUNDLE_LISTS)})")
        elif not isinstance(rows, list):
            problems.add(f"{source}: $.{name}", "must be a list")
        else:
            blocks[name] = Block(BY_NAME[name], rows, JsonList(source, name))
    problems.raise_if_any()
    if "checkins" in blocks:
        blocks[ACTION_ITEMS.name] = _nested_action_items(blocks["checkins"].rows, source)
    return blocks


def _nested_action_items(checkins: list[Any], source: str) -> Block:
    items: list[Any] = []
    parents: list[int] = []
    paths: list[tuple[int, int]] = []
    for ci, checkin in enumerate(checkins):
        nested = checkin.get("action_items") if isinstance(checkin, dict) else None
        if isinstance(nested, list):  # anything else is reported by the check-in's own shape
            for j, item in enumerate(nested):
                items.append(item)
                parents.append(ci)
                paths.append((ci, j))
    return Block(ACTION_ITEMS, items, JsonNested(source, paths), parents)

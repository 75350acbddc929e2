"""A bundle as a folder of CSV files, one per list (``action_items.csv`` flat, with ``checkin_id``).

Reading turns cells into JSON-like values (empty cell: null; numbers, ``true``/``false``
and JSON arrays where the field expects them) and leaves a cell it cannot read as text,
so the row validation reports it with its row and column.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable

from tools.bundle.errors import BundleError, CsvRows, Problem, Problems
from tools.bundle.schema import BY_NAME, ENTITIES, Entity
from tools.bundle.source import Block

FILES = tuple(e.file for e in ENTITIES)


def read_folder(folder: Path) -> dict[str, Block]:
    """Read every known ``*.csv`` file in ``folder``; an unknown CSV file is an error."""
    problems = Problems()
    blocks: dict[str, Block] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        entity = BY_NAME.get(path.stem)
        if entity is None or path.name != entity.file:
            problems.add(path.name, f"is not a bundle file (known: {', '.join(FILES)})")
            continue
        block = _read_file(path, entity, problems)
        if block is not None:
            blocks[entity.name] = block
    if not blocks and not problems.total:
        problems.add(f"{folder.name}/", f"holds none of the bundle files {', '.join(FILES)}")
    problems.raise_if_any()
    return blocks


def _read_file(path: Path, entity: Entity, problems: Problems) -> Block | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            records = list(csv.reader(fh))
    except UnicodeDecodeError:
        problems.add(path.name, "is not UTF-8 text")
        return None
    except csv.Error as exc:
        problems.add(path.name, f"is not valid CSV ({exc})")
        return None
    if not records:
        return Block(entity, [], CsvRows(path.name, []))
    header = records[0]
    if not _header_ok(path.name, header, entity, problems):
        return None
    readers = [_cell_reader(entity, column) for column in header]
    rows: list[dict[str, Any]] = []
    rownos: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        if not record:
            continue  # a blank line
        if len(record) != len(header):
            problems.add(f"{path.name}: row {number}", f"has {len(record)} cells but the header has {len(header)}")
            continue
        rows.append({c: read(v) for c, read, v in zip(header, readers, record)})
        rownos.append(number)
    return Block(entity, rows, CsvRows(path.name, rownos))


def _header_ok(file: str, header: list[str], entity: Entity, problems: Problems) -> bool:
    before = problems.total
    fields = _csv_fields(entity)
    seen: set[str] = set()
    for column in header:
        where = f"{file}: row 1, column {column}"
        if column in seen:
            problems.add(where, "appears twice in the header")
        elif column not in fields:
            hint = " (action items go in action_items.csv)" if column == "action_items" else ""
            problems.add(where, f"is not a known column{hint}; known: {', '.join(fields)}")
        seen.add(column)
    for column in fields:
        if column in entity.required and column not in seen:
            problems.add(f"{file}: row 1", f"lacks the required column {column}")
    return problems.total == before


def _csv_fields(entity: Entity) -> tuple[str, ...]:
    """A file's columns: the list's fields, less nested action items (they have their own file)."""
    return tuple(f for f in entity.fields if f != "action_items")


def _cell_reader(entity: Entity, column: str) -> Callable[[str], Any]:
    if column in entity.numbers:
        return _number
    if column in entity.flags:
        return _flag
    if column in entity.lists:
        return _json_list
    return _text


#: First characters that make a spreadsheet read a cell as a formula (CSV injection), and the
#: apostrophe that marks a neutralised cell. Export puts an apostrophe before such text; import
#: takes one leading apostrophe off, so a round trip keeps the text as it was.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _text(cell: str) -> str | None:
    if cell.startswith("'"):
        cell = cell[1:]
    return cell if cell != "" else None


def _number(cell: str) -> Any:
    if cell == "":
        return None
    try:
        return float(cell)
    except ValueError:
        return cell


def _flag(cell: str) -> Any:
    return {"": None, "true": True, "false": False}.get(cell.lower(), cell)


def _json_list(cell: str) -> Any:
    if cell == "":
        return None
    try:
        value = json.loads(cell)
    except ValueError:
        return cell
    return value if isinstance(value, list) else cell


def write_folder(folder: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    """Write an exported bundle as CSV files (all of them, header only when empty)."""
    if folder.exists() and not folder.is_dir():
        raise BundleError(Problem(str(folder), "exists and is not a folder; name a folder, or a .json file"))
    folder.mkdir(parents=True, exist_ok=True)
    for entity in ENTITIES:
        rows = _flat_action_items(data) if entity.name == "action_items" else data.get(entity.name, [])
        columns = _csv_fields(entity)
        with (folder / entity.file).open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(columns)
            out.writerows([_cell(row[c]) for c in columns] for row in rows)


def _flat_action_items(data: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [
        {"checkin_id": checkin["id"], **item}
        for checkin in data.get("checkins", [])
        for item in checkin["action_items"]
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)

"""Import and export of performance data: a JSON bundle or a folder of CSV files.

An import checks everything before it writes anything: on a :class:`BundleError`
the session holds no change. On success the rows are written through the session's
connection; the caller commits (for example with :func:`tools.store.db.transaction`).

An import is an **admin action**: whoever runs it (``coach import``, shell access to the
server) writes records for anyone, so it is not checked against the write policy's
authorship rules (who may write whose 1:1s). It is checked for the same record rules
(:mod:`tools.rules`) and link rules (:mod:`tools.policy`) as every other write, and it
appends one audit event with its counts.
"""
from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Literal, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from tools.bundle import csvio, exporter
from tools.bundle.errors import BundleError, Problem
from tools.bundle.existing import load_existing
from tools.bundle.schema import ENTITIES
from tools.bundle.shapes import check_shapes
from tools.bundle.source import Block, blocks_from_data, read_json
from tools.bundle.validate import Plan, check_records
from tools.bundle.writer import write
from tools.store import audit


@dataclass
class ImportReport:
    """How many records of each list were created and updated (action items are always new)."""

    source: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        """One line per list: ``goals: 30 created, 2 updated``."""
        return [f"{name}: {n} created, {self.updated[name]} updated" for name, n in self.created.items()]


@dataclass
class ExportReport:
    path: Path
    format: Literal["json", "csv"]
    counts: dict[str, int]


P = ParamSpec("P")
T = TypeVar("T")


def _gc_paused(func: Callable[P, T]) -> Callable[P, T]:
    """Pause the cyclic garbage collector while ``func`` runs.

    A large bundle is millions of small dicts and tuples, none of them in a cycle; the
    collector would walk the whole heap again and again (measured: 40% of the CPU time
    of a 10,000-person import).
    """

    @functools.wraps(func)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_gc_paused
def import_path(session: Session, path: str | Path, *, actor_id: str | None = None,
                channel: str = "cli") -> ImportReport:
    """Import a ``.json`` bundle file or a folder of CSV files (an admin action; see the module doc)."""
    path = Path(path)
    if path.is_dir():
        return _import(session, csvio.read_folder(path), path.name, actor_id, channel)
    if path.is_file() and path.suffix.lower() == ".json":
        return _import(session, blocks_from_data(read_json(path), path.name), path.name, actor_id, channel)
    reason = "does not exist" if not path.exists() else "is neither a .json bundle nor a folder of CSV files"
    raise BundleError(Problem(str(path), reason))


@_gc_paused
def import_data(session: Session, data: dict[str, Any], source: str = "bundle", *, actor_id: str | None = None,
                channel: str = "import") -> ImportReport:
    """Import a parsed bundle; ``source`` names it in error locations (``bundle: $.goals[3]``)."""
    return _import(session, blocks_from_data(data, source), source, actor_id, channel)


def _import(session: Session, blocks: dict[str, Block], source: str, actor_id: str | None,
            channel: str) -> ImportReport:
    session.flush()  # pending ORM changes take part in the checks
    rows = check_shapes(blocks)
    plan = check_records(rows, load_existing(session, rows))
    write(session.connection(), plan)
    session.expire_all()  # loaded objects must not shadow the new rows
    report = _report(plan, source)
    audit.record(session, actor_id=actor_id, action="import", kind="bundle", record_id=source[:64],
                 after={"created": report.created, "updated": report.updated}, channel=channel)
    session.flush()
    return report


def _report(plan: Plan, source: str) -> ImportReport:
    report = ImportReport(source)
    for entity in ENTITIES:
        block = plan.rows.get(entity.name)
        if block is None:
            continue
        stored = plan.existing.stored(entity.name)
        if entity.name == "action_items" or not stored:
            again = 0
        else:
            again = sum(1 for key in map(itemgetter(*entity.key), block.rows) if key in stored)
        report.created[entity.name] = len(block.rows) - again
        report.updated[entity.name] = again
    return report


export_data = _gc_paused(exporter.export_data)


@_gc_paused
def export_path(session: Session, path: str | Path) -> ExportReport:
    """Write the store to ``path``: a ``.json`` bundle, or else a folder of CSV files."""
    path = Path(path)
    data = exporter.export_data(session)
    if path.suffix.lower() == ".json":
        if path.is_dir():
            raise BundleError(Problem(str(path), "is a folder; a .json export needs a file name"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(exporter.dump_json(data), encoding="utf-8")
        return ExportReport(path, "json", _counts(data))
    csvio.write_folder(path, data)
    return ExportReport(path, "csv", _counts(data))


def _counts(data: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    counts = {name: len(rows) for name, rows in data.items()}
    counts["action_items"] = sum(len(checkin["action_items"]) for checkin in data["checkins"])
    return {entity.name: counts[entity.name] for entity in ENTITIES}

"""Put the demo org (or a scale org) into a database: import, pin 'today', describe it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, delete
from sqlalchemy.orm import Session

from tools.bundle import ImportReport, import_data
from tools.demo.org import dumps, generate_demo
from tools.demo.scale import generate_scale
from tools.store.audit import record
from tools.store.models import Meta

DEMO_SEED, SCALE_SEED = 7, 1
MANIFEST_NAME = "demo-manifest.json"


@dataclass
class SeedResult:
    kind: str  # "demo" or "scale"
    seed: int
    today: dt.date
    report: ImportReport
    manifest: dict[str, Any]

    def write_manifest(self, data_dir: Path) -> Path:
        path = Path(data_dir) / MANIFEST_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(self.manifest), encoding="utf-8")
        return path


def clear_database(session: Session) -> None:
    """Delete every row of every table (children first); the schema, its version and the append-only
    audit trail stay (the reset itself is recorded there)."""
    tables = MetaData()
    tables.reflect(bind=session.connection())
    for table in reversed(tables.sorted_tables):
        if table.name not in ("alembic_version", "audit_events"):
            session.execute(delete(table))
    record(session, actor_id=None, action="delete", kind="database", record_id="all", channel="cli",
           after={"reset": "every record deleted by coach demo --reset"})


def seed_database(session: Session, *, seed: int | None = None, employees: int | None = None,
                  reset: bool = False) -> SeedResult:
    """Import the demo org, or with ``employees`` a scale org of that many people, and pin 'today'.

    Importing the same org again updates every record in place, so the data ends up the same.
    The caller commits (see :func:`tools.store.db.transaction`).
    """
    if reset:
        clear_database(session)
    if employees is None:
        seed = DEMO_SEED if seed is None else seed
        org = generate_demo(seed)
        bundle, today, manifest = org.bundle, org.today, {"kind": "demo", **org.manifest}
    else:
        seed = SCALE_SEED if seed is None else seed
        bundle = generate_scale(employees, seed)
        today, manifest = bundle.today, scale_manifest(bundle, seed)
    report = import_data(session, bundle, f"{manifest['kind']} org")
    session.merge(Meta(key="today", value=today.isoformat()))
    return SeedResult(manifest["kind"], seed, today, report, manifest)


def scale_manifest(bundle, seed: int) -> dict[str, Any]:
    """What a benchmark needs to know about a scale org: who to sign in as, and the sizes."""
    people = bundle["people"]
    by_id = {p["id"]: p for p in people}
    focus = by_id[bundle.focus_manager_id]
    reports = sum(1 for p in people if p["manager_id"] == focus["id"])

    def who(p):
        return {"id": p["id"], "name": p["name"], "email": p["email"]}

    return {
        "kind": "scale", "seed": seed, "today": bundle.today.isoformat(), "employees": len(people),
        "head": who(people[0]), "hr_admin": who(next(p for p in people if p["role"] == "hr_admin")),
        "focus_manager": who(focus) | {"reports": reports},
        "counts": {name: len(rows) for name, rows in bundle.items()},
    }

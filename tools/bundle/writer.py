"""Write a checked :class:`~tools.bundle.validate.Plan` with bulk Core statements.

Each list is one ``executemany`` of ``INSERT ... ON CONFLICT DO UPDATE`` (SQLite and
PostgreSQL share that syntax). The goal links of imported check-ins and KPIs, and the
action items of imported check-ins, replace whatever was stored for them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Executable, Table, bindparam, delete, func, insert, update
from sqlalchemy.dialects import postgresql, sqlite

from tools.bundle.schema import ACTION_ITEMS, CHECKINS, ENTITIES, META, PEOPLE, Entity
from tools.bundle.validate import Plan

CHUNK = 500  # ids per DELETE ... IN (...), well under SQLite's limit on bound parameters


def write(conn: Connection, plan: Plan) -> None:
    """Apply ``plan`` on ``conn`` (inside the caller's transaction)."""
    if plan.email_moves:
        _free_emails(conn, plan.email_moves)
    for entity in ENTITIES:
        block = plan.rows.get(entity.name)
        if block is None or entity is ACTION_ITEMS:
            continue
        _upsert(conn, entity, block.rows)
        if entity.links is None:
            continue
        owner = entity.links.c.keys()[0]  # checkin_id or kpi_id
        ids = [row["id"] for row in block.rows]
        stored = plan.existing.stored(entity.name)
        links = [{owner: i, "goal_id": g} for i, goals in zip(ids, block.links or []) for g in goals]
        _replace(conn, entity.links, owner, stored, ids, links)
        if entity is CHECKINS:
            items = plan.rows.get(ACTION_ITEMS.name)
            _replace(conn, ACTION_ITEMS.table, "checkin_id", stored, ids, items.rows if items else [])


def _upsert(conn: Connection, entity: Entity, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(entity.table)
    changes: dict[str, Any] = {c: stmt.excluded[c] for c in rows[0] if c not in entity.key}
    if entity is META:
        changes["updated_at"] = func.now()
    _many(conn, stmt.on_conflict_do_update(index_elements=list(entity.key), set_=changes), rows)


def _replace(conn: Connection, table: Table, owner: str, stored: Any, owners: list[str],
             rows: list[dict[str, Any]]) -> None:
    """Delete ``table`` rows of the ``owners`` that were stored before, then insert ``rows``."""
    again = [o for o in owners if o in stored]
    for start in range(0, len(again), CHUNK):
        conn.execute(delete(table).where(table.c[owner].in_(again[start:start + CHUNK])))
    if rows:
        _many(conn, insert(table), rows)


def _free_emails(conn: Connection, person_ids: list[str]) -> None:
    """Park emails another person takes over, so the unique index holds at every row."""
    people = PEOPLE.table
    _many(
        conn,
        update(people).where(people.c.id == bindparam("pid")).values(email=bindparam("parked")),
        [{"pid": pid, "parked": f"{pid}@moving.invalid"} for pid in person_ids],
    )


def _many(conn: Connection, stmt: Executable, rows: list[dict[str, Any]]) -> None:
    """``executemany`` of ``stmt`` straight on the driver, with the dialect's own bind conversions.

    SQLAlchemy's per-row parameter handling costs about a third of a large import; here
    the statement is compiled once and each row becomes a tuple (or dict) the driver takes.
    """
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=list(rows[0]), for_executemany=True)
    names = compiled.positiontup or list(compiled.binds)
    convert = [(n, compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names]
    if compiled.positiontup is not None:
        params: list[Any] = [tuple(f(row[n]) if f else row[n] for n, f in convert) for row in rows]
    else:
        params = [{n: f(row[n]) if f else row[n] for n, f in convert} for row in rows]
    conn.exec_driver_sql(compiled.string, params)

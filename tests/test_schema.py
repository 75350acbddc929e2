from sqlalchemy import inspect

from tools.store.db import make_engine, migrate


def test_migrations_create_every_table_and_are_idempotent(any_db_url):
    engine = make_engine(any_db_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {"people", "goals", "progress_updates", "checkins", "action_items", "kpis",
            "kpi_values", "feedback", "checkin_goals", "kpi_goals", "alembic_version"} <= tables
    engine.dispose()


def test_sqlite_uses_wal(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

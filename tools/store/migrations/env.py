"""Alembic environment: the engine comes from ``config.attributes['engine']``."""
from alembic import context

from tools.store import Base  # every table, registered

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

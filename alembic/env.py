"""Alembic's entry point: iwfdb passes its own connection; plain `alembic` falls back to iwfdb's config."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from iwfdb.db import locate, side_of
from iwfdb.db.migrate import include_object
from iwfdb.models import Base

config = context.config
if config.config_file_name is not None:  # plain `alembic ...` from the repo root: show its progress
    fileConfig(config.config_file_name)


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    location = locate()  # --db is iwfdb's; plain alembic takes $IWFDB_DB, else ./iwfdb.sqlite
    engine = side_of(location).migration_engine(location)
    with engine.connect() as new_connection:
        run_migrations(new_connection)
    engine.dispose()

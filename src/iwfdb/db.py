"""The SQLAlchemy side of the archive: declarative base with a naming convention, and the engine.

Every connection gets the PRAGMAs of iwfdb.database (WAL, foreign keys, busy timeout), and every
transaction begins IMMEDIATE, so that a second writer waits for the first instead of failing with
"database is locked" halfway through, and a reader never sees half a statement.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from iwfdb.database import configure

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(path: Path) -> Engine:
    """An engine on the archive file whose transactions begin IMMEDIATE (see the module docstring)."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, say when transactions begin, so that they can begin IMMEDIATE.
        dbapi_connection.isolation_level = None
        configure(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine

"""Opening the archive for writing, migrated to the newest schema first, with SQLite's failures told plainly.

Light on purpose: `iwfdb load` works on a plain sqlite3 connection, and SQLAlchemy and Alembic are
imported only when the schema needs a migration (a new or an older archive).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from iwfdb import database, migrate
from iwfdb.errors import DatabaseError

_HINTS = {
    "file is not a database": " (this file is not an SQLite archive; choose another with --db)",
    "attempt to write a readonly database": " (the file or its folder is read-only)",
    "unable to open database file": " (does its folder exist, and may iwfdb write there?)",
    "database or disk is full": " (free some space and load again: what was committed is kept)",
}


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's failures (not a database, read-only, disk full, locked) into a DatabaseError naming the file.

    They come from sqlite3 itself or wrapped by SQLAlchemy (which keeps sqlite3's error as `.orig`).
    """
    try:
        yield
    except Exception as error:
        original = getattr(error, "orig", error)
        if not isinstance(original, sqlite3.DatabaseError):
            raise
        reason = str(original)
        raise DatabaseError(f"{path}: {reason}{_HINTS.get(reason, '')}") from None


def stored_revision(connection: sqlite3.Connection) -> str | None:
    """The schema revision a database is at, read without Alembic (None for a new, empty file)."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def open_archive(path: Path) -> sqlite3.Connection:
    """A connection for writing to the archive at `path`, created or migrated to the newest schema if need be."""
    with database_errors(path):
        connection = database.connect(path)
        try:
            if stored_revision(connection) != migrate.HEAD_REVISION:
                _upgrade(path)
        except BaseException:
            connection.close()
            raise
    return connection


def _upgrade(path: Path) -> None:
    from iwfdb.db import make_engine  # SQLAlchemy and Alembic: only when there is a migration to run

    engine = make_engine(path)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()

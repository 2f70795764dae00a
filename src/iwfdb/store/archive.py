"""The archive as a whole, through SQLAlchemy: its schema revision, upgrading it, and checking that it is sound."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exc, text
from sqlalchemy.engine import Connection, Engine

from iwfdb import migrate
from iwfdb.db import make_engine
from iwfdb.errors import DatabaseError
from iwfdb.store.opening import database_errors, stored_revision

FTS_TABLES = ("statements_fts", "quotes_fts")


def open_existing(path: Path) -> Engine:
    """An engine on an archive that must already exist (for commands that only look at it)."""
    if not path.is_file():
        raise DatabaseError(f"{path}: no archive here yet (`iwfdb load` creates one, or choose another with --db)")
    return make_engine(path)


def describe_revision(path: Path) -> tuple[str | None, str]:
    """The archive's schema revision and the newest this iwfdb knows; DatabaseError for a newer archive."""
    engine = open_existing(path)
    try:
        with database_errors(path), engine.connect() as connection:
            current = stored_revision(connection.connection.driver_connection)
    finally:
        engine.dispose()
    head = migrate.HEAD_REVISION
    if current not in (None, head) and not migrate.is_known_revision(current):
        raise DatabaseError(f"{path}: schema revision {current} is unknown to this iwfdb (its newest is {head}): "
                            "the archive was written by a newer iwfdb; upgrade iwfdb to use it")  # fmt: skip
    return current, head


def upgrade_archive(path: Path) -> tuple[str | None, str]:
    """Apply pending migrations; the revisions before and after."""
    engine = make_engine(path)
    try:
        with database_errors(path):
            with engine.connect() as connection:
                before = stored_revision(connection.connection.driver_connection)
            if before != migrate.HEAD_REVISION:
                migrate.upgrade(engine)
        return before, migrate.HEAD_REVISION
    finally:
        engine.dispose()


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of `iwfdb db check`: its name, whether it passed, and what it found."""

    name: str
    ok: bool
    detail: str


def check_archive(path: Path) -> list[CheckResult]:
    """SQLite's integrity check, the foreign-key check and both FTS5 integrity checks; none writes anything."""
    engine = open_existing(path)
    checks = [("integrity", _integrity), ("foreign keys", _foreign_keys), ("schema", _schema)]
    checks += [(f"full-text index {table}", _fts_checker(table)) for table in FTS_TABLES]
    results = []
    try:
        with engine.connect() as connection:
            for name, run in checks:
                try:
                    ok, detail = run(connection)
                except exc.DBAPIError as error:
                    ok, detail = False, str(error.orig)
                connection.rollback()
                results.append(CheckResult(name, ok, detail))
    except exc.DBAPIError as error:
        results.append(CheckResult("open", False, str(error.orig)))
    finally:
        engine.dispose()
    return results


def _integrity(connection: Connection) -> tuple[bool, str]:
    rows = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    return rows == ["ok"], "; ".join(rows[:10])


def _foreign_keys(connection: Connection) -> tuple[bool, str]:
    rows = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
    problems = [f"{table} row {rowid} points to a missing {parent}" for table, rowid, parent, _ in rows[:10]]
    return not rows, "; ".join(problems) or "ok"


def _schema(connection: Connection) -> tuple[bool, str]:
    """An older or newer revision is not damage; a file without iwfdb's schema is not an archive."""
    current = stored_revision(connection.connection.driver_connection)
    if current is None:
        return False, "no iwfdb schema in this file (`iwfdb db upgrade` would create one)"
    if current == migrate.HEAD_REVISION:
        return True, f"revision {current}, the newest"
    return True, f"revision {current}; this iwfdb's newest is {migrate.HEAD_REVISION} (see `iwfdb db upgrade`)"


def _fts_checker(table: str):
    def check(connection: Connection) -> tuple[bool, str]:
        # rank = 1 also compares the index with the content table, which is how external-content FTS breaks.
        try:
            connection.execute(text(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"))
        except exc.OperationalError as error:
            if "readonly" not in str(error.orig):
                raise
            return _fts_row_counts_agree(connection, table)
        return True, "ok"

    return check


def _fts_row_counts_agree(connection: Connection, table: str) -> tuple[bool, str]:
    """The check a read-only archive allows (FTS5's own check is an INSERT): one index entry per row."""
    content = table.removesuffix("_fts")
    rows = connection.exec_driver_sql(f"SELECT count(*) FROM {content}").scalar()
    indexed = connection.exec_driver_sql(f"SELECT count(*) FROM {table}_docsize").scalar()
    detail = f"read-only archive: {indexed} index entries for {rows} rows (FTS5's own check needs write access)"
    return rows == indexed, detail

"""The one door to the archive: every connection, for reading, writing or migrating, on SQLite or PostgreSQL.

`open_archive(location, purpose)` connects, reads the schema revision once and checks it against what the
purpose needs, with the one set of messages for an archive that is missing, foreign, older, newer or
read-only. What differs between the engines is behind one seam, `Archive.side`: the module
`iwfdb.db.sqlite` or `iwfdb.db.postgres`, which hold every piece of engine-specific SQL (the migrations
aside), as `iwfdb.db.engine.Engine` declares. Everything above speaks portable SQL with `?` and `:name`
parameters through `Archive.execute`.

Light to import: a SQLite read never imports SQLAlchemy, Alembic or a PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

from iwfdb.db import migrate
from iwfdb.db.engine import Connection, Engine, side_of
from iwfdb.db.location import Location, locate
from iwfdb.db.portable import in_chunks, placeholders
from iwfdb.errors import DatabaseError

__all__ = [
    "Archive",
    "CheckResult",
    "Location",
    "Purpose",
    "check_archive",
    "describe_revision",
    "in_chunks",
    "locate",
    "open_archive",
    "placeholders",
    "side_of",
    "upgrade_archive",
]


class Purpose(Enum):
    """What a connection is for, which decides how it opens and which schema revisions it accepts."""

    READ = "read"  # read-only; the schema must be this iwfdb's
    WRITE = "write"  # created or migrated to this iwfdb's schema first
    INSPECT = "inspect"  # read-only; any revision this iwfdb knows (db current, db check)


class Archive:
    """An open archive: one DBAPI connection and the side of the seam that speaks its engine."""

    def __init__(
        self, location: Location, side: Engine, connection: Connection, revisions: tuple[str | None, str | None]
    ):
        self.location = location
        self.side = side
        self.connection = connection
        self.revision_found, self.revision = revisions  # before and after a migration (WRITE migrates)
        self.savepoints = 0  # how deep savepoints are nested now: each depth has its own name

    def execute(self, sql: str, params=()):
        """Run portable SQL (`?` or `:name` parameters); returns the cursor."""
        return self.connection.execute(self.side.sql(sql), params)

    def cursor(self):
        return self.connection.cursor()

    def begin_write(self) -> None:
        self.side.begin_write(self.connection)

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def in_transaction(self) -> bool:
        return self.side.in_transaction(self.connection)

    def rollback(self) -> None:
        if self.in_transaction():
            self.connection.execute("ROLLBACK")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: kept if the block ends well, undone (and the error raised) if not.

        Each depth has its own name, so that savepoints nest. When the engine has ended the whole transaction
        already (a trigger's RAISE(ROLLBACK), a full disk, an I/O error on SQLite), there is nothing to roll
        back to: the error that ended it is raised as it is, never hidden behind `no such savepoint`.
        """
        self.savepoints += 1
        name = f"iwfdb_savepoint_{self.savepoints}"
        try:
            self.connection.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self.in_transaction():
                    self.connection.execute(f"ROLLBACK TO {name}")
                    self.connection.execute(f"RELEASE {name}")
                raise
            self.connection.execute(f"RELEASE {name}")
        finally:
            self.savepoints -= 1

    @contextmanager
    def errors_explained(self) -> Iterator[None]:
        with errors_explained(self.location, self.side):
            yield

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of `iwfdb db check`: its name, whether it passed (None: a writer kept it from running within
    its time limit, which says the archive is busy, not damaged), and what it found."""

    name: str
    ok: bool | None
    detail: str


def open_archive(location: Location, purpose: Purpose = Purpose.READ) -> Archive:
    """A connection to the archive for `purpose`, its schema checked (and for WRITE, made or migrated) first."""
    side = side_of(location)
    if purpose is not Purpose.WRITE and not side.exists(location):
        raise DatabaseError(location.absent())
    with errors_explained(location, side):
        connection = side.connect(location, purpose.value)
        try:
            tables = side.table_names(connection)  # read once: a first load elsewhere may commit the schema meanwhile
            stored = stored_revision(connection, tables)
            revision = _checked_revision(location, tables, purpose, stored)
        except BaseException:
            connection.close()
            raise
    return Archive(location, side, connection, (stored, revision))


def _checked_revision(location: Location, tables: set[str], purpose: Purpose, stored: str | None):
    """The revision the archive is at for `purpose`: for WRITE, migrated to the newest first (the migration
    itself finds out again, once it has the archive to itself, whether another did it meanwhile)."""
    if stored == migrate.HEAD_REVISION:
        return stored
    if stored is not None and not migrate.is_known(stored):
        raise DatabaseError(
            f"{location}: its schema is at revision {stored}, which this iwfdb does not know (its "
            f"newest is {migrate.HEAD_REVISION}): the archive was written by a newer iwfdb; "
            "upgrade iwfdb (pip install -U iwfdb) to use it"
        )
    if stored is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"{location} holds tables but no iwfdb schema: it is not an iwfdb archive; choose another with --db"
        )
    if purpose is Purpose.WRITE:
        migrate.upgrade(location)
        return migrate.HEAD_REVISION
    if purpose is Purpose.READ:
        if stored is None:
            raise DatabaseError(f"{location} is an empty archive (no schema yet); run `iwfdb load FOLDER` to fill it")
        raise DatabaseError(
            f"{location}: its schema is at revision {stored}, older than this iwfdb's "
            f"{migrate.HEAD_REVISION}; run `iwfdb db upgrade` first"
        )
    return stored


def stored_revision(connection, tables: set[str]) -> str | None:
    """The schema revision the archive is at, read without Alembic; None for a new, empty archive. The migration
    that makes alembic_version gives it its row in the same transaction: a table seen has its row."""
    if "alembic_version" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


@contextmanager
def errors_explained(location: Location, side: Engine) -> Iterator[None]:
    """The engine's failures (not a database, read-only, disk full, refused) as a DatabaseError naming the archive."""
    try:
        yield
    except DatabaseError:
        raise
    except Exception as error:
        message = side.explain_error(location, error)
        if message is None:
            raise
        raise DatabaseError(message) from None


def upgrade_archive(location: Location) -> tuple[str | None, str]:
    """Create the archive or apply pending migrations (`iwfdb db upgrade`): the revisions before and after."""
    with open_archive(location, Purpose.WRITE) as archive:
        return archive.revision_found, migrate.HEAD_REVISION  # where WRITE brings every archive


def describe_revision(location: Location) -> tuple[str | None, str]:
    """The archive's schema revision and the newest this iwfdb knows (`iwfdb db current`)."""
    with open_archive(location, Purpose.INSPECT) as archive:
        return archive.revision, migrate.HEAD_REVISION


def check_archive(location: Location) -> list[CheckResult]:
    """Is the archive sound? The engine's own checks, and the schema revision; nothing is written.

    An archive that cannot be opened (not a database, from a newer iwfdb) fails the first check, `open`.
    """
    try:
        archive = open_archive(location, Purpose.INSPECT)
    except DatabaseError as error:
        return [CheckResult("open", False, str(error))]
    with archive, archive.errors_explained():
        results = [
            CheckResult(name, ok, detail) for name, ok, detail in archive.side.integrity_checks(archive.connection)
        ]
    return [*results, _schema_result(archive.revision)]


def _schema_result(revision: str | None) -> CheckResult:
    """An older revision is not damage, and an empty new archive (a first load stopped early) is sound."""
    if revision is None:
        return CheckResult("schema", True, "none yet: an empty archive (`iwfdb load` or `iwfdb db upgrade` makes it)")
    if revision == migrate.HEAD_REVISION:
        return CheckResult("schema", True, f"revision {revision}, the newest")
    return CheckResult(
        "schema", True, f"revision {revision}; this iwfdb's newest is {migrate.HEAD_REVISION} (see `iwfdb db upgrade`)"
    )

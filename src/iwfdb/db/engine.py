"""The seam between the archive and its engine: what `iwfdb.db.sqlite` and `iwfdb.db.postgres` each provide.

Everything above `iwfdb.db` speaks portable SQL through `Archive.execute`; what the engines cannot share (how
to connect and lock, their full-text search, how rows go in fast, their own checks) is reached as
`archive.side.NAME`, and `Engine` declares every such NAME. A test keeps both modules matching it, member
for member and signature for signature, and keeps code from reaching anything else through `side`.

Connections and cursors are the drivers' own (sqlite3's or psycopg's), which share no declared type.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, cast

from iwfdb.db.location import Location
from iwfdb.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine as SqlAlchemyEngine

Connection = Any  # a DBAPI connection in autocommit mode: sqlite3.Connection or psycopg.Connection
Cursor = Any  # one of its cursors
CheckRow = tuple[str, "bool | None", str]  # (check's name, passed or None if a writer kept it from running, detail)


class Engine(Protocol):
    """What an engine's module provides; each member's docstring says why it differs between the engines."""

    NAME: str  # "sqlite" or "postgresql": the engines' names differ, and tests and messages name them
    SEARCH_SYNTAX: str  # how a raw search query is written (FTS5 or tsquery), for the message that refuses one

    @property
    def Error(self) -> type[Exception]:  # noqa: N802 - named as the DBAPI names it
        """The driver's base error class: each driver has its own."""

    @property
    def IntegrityError(self) -> type[Exception]:  # noqa: N802 - named as the DBAPI names it
        """The driver's error for a row that breaks a constraint (a unique key, a trigger's RAISE)."""

    # Connections and transactions

    def connect(self, location: Location, purpose: str) -> Connection:
        """A connection in autocommit mode for `purpose` (read, write, inspect): each driver opens its own way."""

    def exists(self, location: Location) -> bool:
        """Whether the archive is there without creating it: a file is looked at, a server cannot be."""

    def sql(self, text: str) -> str:
        """Portable SQL (`?`, `:name`) in the driver's parameter style."""

    def limit_clause(self, limit: int | None, offset: int) -> tuple[str, tuple]:
        """LIMIT and OFFSET with their parameters: the engines spell "no limit" differently."""

    def begin_write(self, connection: Connection) -> None:
        """BEGIN, taking the archive's one write lock (SQLite's IMMEDIATE, PostgreSQL's advisory lock)."""

    def relax_durability(self, connection: Connection) -> None:
        """Commits that do not wait for the disk (a cold load): each engine has its own setting."""

    def restore_durability(self, connection: Connection) -> None:
        """Commits that wait for the disk again, and what was written meanwhile flushed."""

    def in_transaction(self, connection: Connection) -> bool:
        """Whether a transaction is open (or failed and not yet rolled back): each driver tells it its way."""

    def write_generation(self, connection: Connection) -> int:
        """A number that changes when another writer commits: how each engine counts commits differs."""

    def count_write(self, connection: Connection) -> int:
        """Count this write transaction before its COMMIT; the generation it leaves the archive at."""

    def table_names(self, connection: Connection) -> set[str]:
        """The archive's tables, from the engine's own catalogue."""

    def explain_error(self, location: Location, error: BaseException) -> str | None:
        """A user's message for the driver's error (not a database, read-only, no server), None if not its own."""

    def migration_engine(self, location: Location) -> SqlAlchemyEngine:
        """An SQLAlchemy engine for Alembic whose connections are opened as `connect` opens them."""

    # Writing rows

    def insert_rows(self, cursor: Cursor, table: str, columns: Sequence[str], rows: list[dict]) -> None:
        """Rows, each with exactly `columns`, written at once (executemany on SQLite, COPY on PostgreSQL)."""

    def after_explicit_ids(self, cursor: Cursor, tables: Iterable[str]) -> None:
        """After rows inserted with ids given in Python: PostgreSQL's sequences move past them, SQLite needs nothing."""

    # Full-text search

    def pause_full_text(self, cursor: Cursor) -> None:
        """Stop indexing row by row, for a batch the writer indexes itself (SQLite's FTS5 triggers)."""

    def resume_full_text(self, cursor: Cursor) -> None:
        """Index row by row again after pause_full_text."""

    def defer_full_text(self, cursor: Cursor) -> None:
        """Leave the index to be rebuilt at the end of a cold load (SQLite); PostgreSQL's columns follow rows."""

    def searching(self, connection: Connection) -> AbstractContextManager[None]:
        """Around a search: what the planner needs to use the full-text index (PostgreSQL: no table scan)."""

    def full_text_pending(self, connection: Connection) -> bool:
        """Whether the index waits for a rebuild (a cold load running, or stopped before it built it)."""

    def rebuild_full_text(self, connection: Connection) -> None:
        """Build the whole index from the tables (SQLite's FTS5 tables; nothing for PostgreSQL)."""

    def refresh_statistics(self, connection: Connection) -> None:
        """Refresh the planner's statistics after a load rewrote much: PostgreSQL needs them, SQLite not."""

    def indexed_texts(self, cursor: Cursor, statement_ids: Sequence[int]) -> list[tuple]:
        """What the index holds for these statements, to take out before their rows change (FTS5's delete)."""

    def index_full_text(
        self, cursor: Cursor, replaced: list[tuple], statements: list[dict], quotes: list[dict]
    ) -> None:
        """Index a batch the writer wrote with the index paused: old texts out, new ones in."""

    def search_terms(self, words: str, raw: bool) -> str:
        """A user's words as the engine's query language (FTS5's phrases, tsquery's quoted words)."""

    def any_of_terms(self, words: list[str]) -> str:
        """A query for texts holding any of these words, in the engine's query language."""

    def matching_ids(self, table: str) -> str:
        """A subquery of the ids of `table` whose text matches the bound search terms."""

    def statement_hits(self) -> str:
        """(id, score, snippet) of the best statements for :query, best first; each engine ranks its own way."""

    def quote_hits(self) -> str:
        """(id, score, snippet) of the best quotes for :query, best first."""

    def is_search_syntax_error(self, error: BaseException) -> bool:
        """Whether the driver's error says a raw search query is malformed (the user's fault, not iwfdb's)."""

    # Checks and the user's own SQL

    def integrity_checks(self, connection: Connection) -> list[CheckRow]:
        """The engine's own checks of the archive (`iwfdb db check`); none writes."""

    def run_untrusted(
        self, location: Location, text: str, params: dict, timeout: float
    ) -> tuple[list[str], Iterator[tuple]]:
        """(columns, rows) of a user's statement that may only read: each engine has its own read-only boundary."""


def side_of(location: Location) -> Engine:
    """The engine's side of the seam; PostgreSQL's is imported only for a PostgreSQL archive."""
    if location.is_sqlite:
        return cast(Engine, importlib.import_module("iwfdb.db.sqlite"))
    try:
        return cast(Engine, importlib.import_module("iwfdb.db.postgres"))
    except ModuleNotFoundError as error:
        if error.name != "psycopg":
            raise
        raise DatabaseError(f'{location}: a PostgreSQL archive needs psycopg: pip install "iwfdb[postgres]"') from None


if TYPE_CHECKING:  # the type checker holds both engines' modules to the declaration
    from iwfdb.db import postgres, sqlite

    _SQLITE: Engine = sqlite
    _POSTGRES: Engine = postgres

"""The SQLite side of the seam: every piece of SQL that only SQLite speaks, and how iwfdb connects to it.

Stdlib only: a read command on a SQLite archive must start as fast as `sqlite-utils query` (importing
SQLAlchemy alone would triple its time), so the whole read and write path runs on `sqlite3` itself.

- Connections: WAL (readers never wait for a load), foreign keys on, a busy timeout so that a second writer
  waits for the first, and write transactions that begin IMMEDIATE, so that a writer takes the lock before
  it reads what it will write upon. Read connections open the file `mode=ro` with `query_only`.
- Full-text search: FTS5 external-content tables `statements_fts` and `quotes_fts`, kept in step by
  triggers; a bulk writer sets the triggers aside (a row in `fts_paused`) and indexes its batch itself,
  with one executemany per table (three times faster than the triggers).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from iwfdb.db.location import Location
from iwfdb.db.portable import in_chunks, placeholders

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine as SqlAlchemyEngine

NAME = "sqlite"
SEARCH_SYNTAX = "FTS5"
BUSY_TIMEOUT_MS = 60_000
READ_BUSY_TIMEOUT_MS = 5_000
DURABLE = "PRAGMA synchronous=NORMAL"  # a commit survives a crash of the process; a checkpoint, of the machine
WRITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    DURABLE,
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
    # A load looks up natural keys between its writes: a 16 MB page cache keeps the indexes at hand
    # (the default 2 MB made each look-up cost about 50 microseconds), and checkpointing the WAL every
    # 10,000 pages rather than 1,000 moves the pages to the database file in fewer, larger steps.
    "PRAGMA cache_size=-16384",
    "PRAGMA wal_autocheckpoint=10000",
)
FTS_TABLES = {"statements": ("title", "summary", "body"), "quotes": ("text",)}
# bm25 weights of statements_fts(title, summary, body): a word in the title says most about a statement.
STATEMENT_WEIGHTS = "bm25(10.0, 4.0, 1.0)"
_WORD_CHARACTER = re.compile(r"\w")
_HINTS = {
    "file is not a database": " (this file is not an SQLite archive; choose another with --db)",
    "attempt to write a readonly database": " (the file or its folder is read-only)",
    "unable to open database file": " (does its folder exist, and may iwfdb write there?)",
    "database or disk is full": " (free some space and load again: what was committed is kept)",
}

Error = sqlite3.Error
IntegrityError = sqlite3.IntegrityError


# Connections and transactions


def connect(location: Location, purpose: str) -> sqlite3.Connection:
    """A connection in autocommit mode (the caller says BEGIN and COMMIT) for `purpose`:

    `write` creates the file if need be, with the archive's PRAGMAs; `read` opens it `mode=ro` with
    `query_only`; `inspect` opens it as it is, unchanged, so that `db check` may run FTS5's own checks
    (an INSERT that writes nothing, rolled back all the same).
    """
    if purpose == "write":
        connection = sqlite3.connect(location.file, isolation_level=None, check_same_thread=False)
        for pragma in WRITE_PRAGMAS:
            connection.execute(pragma)
        return connection
    mode = "ro" if purpose == "read" else "rw"
    connection = sqlite3.connect(location.sqlite_uri(mode), uri=True, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")
    if purpose == "read":
        connection.execute("PRAGMA query_only=ON")
    return connection


def exists(location: Location) -> bool:
    return location.file.is_file()


def sql(text: str) -> str:
    """The portable SQL of iwfdb (`?` and `:name` parameters) is SQLite's own."""
    return text


def limit_clause(limit: int | None, offset: int) -> tuple[str, tuple]:
    """`LIMIT ? OFFSET ?` and its parameters; SQLite reads a negative limit as none."""
    return "LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset)


def begin_write(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")


def relax_durability(connection: sqlite3.Connection) -> None:
    """Commits that do not wait for the disk (nor do checkpoints): a cold load's commits then cost half."""
    connection.execute("PRAGMA synchronous=OFF")


def restore_durability(connection: sqlite3.Connection) -> None:
    """Commits that survive a crash of the process again, and what was written without waiting on the disk
    now: a checkpoint syncs the WAL, then the database file (it would otherwise fall to the next writer's)."""
    connection.execute(DURABLE)
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")


def in_transaction(connection: sqlite3.Connection) -> bool:
    return connection.in_transaction


def write_generation(connection: sqlite3.Connection) -> int:
    """A number that changes when another connection commits (PRAGMA data_version): caches stay true until then."""
    return connection.execute("PRAGMA data_version").fetchone()[0]


def count_write(connection: sqlite3.Connection) -> int:
    """SQLite counts commits by itself; a connection's own commits do not move what it sees of data_version."""
    return write_generation(connection)


def table_names(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def explain_error(location: Location, error: BaseException) -> str | None:
    """A user's message for a driver error ('not a database', read-only, disk full...), None if not SQLite's."""
    original = getattr(error, "orig", error)  # SQLAlchemy wraps the driver's error
    if not isinstance(original, sqlite3.DatabaseError):
        return None
    reason = str(original)
    return f"{location}: {reason}{_HINTS.get(reason, '')}"


def migration_engine(location: Location) -> SqlAlchemyEngine:
    """An SQLAlchemy engine for Alembic whose connections are iwfdb's own (a path is never parsed as a URL)."""
    from sqlalchemy import create_engine, event

    engine = create_engine("sqlite://", creator=lambda: connect(location, "write"))

    @event.listens_for(engine, "begin")
    def _begin(connection):  # the whole migration in one IMMEDIATE transaction, DDL included
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


# Writing rows


def insert_rows(cursor: sqlite3.Cursor, table: str, columns: Sequence[str], rows: list[dict]) -> None:
    """Rows (dicts of these columns) with one executemany: the DBAPI takes the dicts as they are."""
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})", rows
    )


def after_explicit_ids(cursor: sqlite3.Cursor, tables: Iterable[str]) -> None:
    """Nothing to do: an INTEGER PRIMARY KEY takes the largest id + 1 by itself."""


def table_columns(connection: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """A table's columns, and those of its primary key in the key's order."""
    info = connection.execute(f"PRAGMA table_info({table})").fetchall()
    return [row[1] for row in info], [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]


def begin_copy(connection: sqlite3.Connection) -> None:
    """A write that fills a new archive with another's rows: its foreign keys checked when it commits (a table
    may name rows of one copied after it), its full-text index built once at the end (rebuild_full_text)."""
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("PRAGMA defer_foreign_keys = ON")
    defer_full_text(connection.cursor())


def replace_contents(source: Location, target: Location) -> None:
    """Make the archive at `target` a copy of the one at `source`, in place, by SQLite's online backup: one write
    transaction, which readers of `target` (in WAL mode) never wait for; they see the new rows from their next
    read on. Replacing the file instead would leave every open connection on the old one."""
    built, served = sqlite3.connect(source.file), sqlite3.connect(target.file, isolation_level=None)
    try:
        served.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        built.backup(served)
        served.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        built.close()
        served.close()


# Full-text search: writing


# The rows of fts_paused: a load indexing its batch itself (gone before it commits), and a cold load's
# promise to build the whole index when it ends (committed: an interrupted one leaves it for the next load).
INDEXING_BATCH, REBUILD_PENDING = "iwfdb load", "rebuild pending"
REBUILD_HASH_BYTES, FTS5_DEFAULT_HASH_BYTES = 8 << 20, 1 << 20


def pause_full_text(cursor: sqlite3.Cursor) -> None:
    """Set the triggers aside for this transaction: the writer indexes its batch itself (see fts_paused)."""
    cursor.execute("INSERT OR IGNORE INTO fts_paused (writer) VALUES (?)", (INDEXING_BATCH,))


def resume_full_text(cursor: sqlite3.Cursor) -> None:
    cursor.execute("DELETE FROM fts_paused WHERE writer = ?", (INDEXING_BATCH,))


def defer_full_text(cursor: sqlite3.Cursor) -> None:
    """Leave the index alone until rebuild_full_text(): a cold load builds it once, at its end, in a third of
    the time indexing batch by batch takes (measured: 0.6 s against 1.4 s for 10,000 files). The triggers stand
    aside meanwhile, for every writer: the rebuild indexes all rows."""
    cursor.execute("INSERT OR IGNORE INTO fts_paused (writer) VALUES (?)", (REBUILD_PENDING,))


@contextmanager
def searching(connection: sqlite3.Connection) -> Iterator[None]:
    """Nothing to set: SQLite's full-text search always goes through its FTS5 index."""
    yield


def full_text_pending(connection: sqlite3.Connection) -> bool:
    """Whether the index waits for a rebuild (a cold load is running, or was stopped before it built it)."""
    return connection.execute("SELECT 1 FROM fts_paused WHERE writer = ?", (REBUILD_PENDING,)).fetchone() is not None


def rebuild_full_text(connection: sqlite3.Connection) -> None:
    """Build both indexes from their tables, in one transaction, and keep them in step from then on.

    FTS5 gathers terms in memory and writes a segment each time they fill `hashsize` bytes; with 8 MiB
    rather than its 1 MiB a rebuild writes and merges fewer segments: 100,000 statements index in 40%
    less time, for 11 MB more memory while it runs. The setting goes back to FTS5's default after. Then the
    segments are merged into one (`optimize`, 2 s for 100,000 statements): left as they are, the next write
    merges them instead (measured: a re-load of 1% changed files took 6.5 s rather than 4.4 s)."""
    connection.execute("BEGIN IMMEDIATE")
    for table in FTS_TABLES:
        _set_fts_hashsize(connection, table, REBUILD_HASH_BYTES)
        connection.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
        _set_fts_hashsize(connection, table, FTS5_DEFAULT_HASH_BYTES)
        connection.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('optimize')")
    connection.execute("DELETE FROM fts_paused WHERE writer = ?", (REBUILD_PENDING,))
    connection.execute("COMMIT")


def _set_fts_hashsize(connection: sqlite3.Connection, table: str, size: int) -> None:
    connection.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('hashsize', ?)", (size,))


def refresh_statistics(connection: sqlite3.Connection) -> None:
    """Nothing to do: SQLite plans iwfdb's queries from their indexes alone, and an archive without
    sqlite_stat1 keeps the plans its tests and benchmark measure."""


def indexed_texts(cursor: sqlite3.Cursor, statement_ids: Sequence[int]) -> list[tuple]:
    """What the index holds for these statements, to take it out before their rows change."""
    texts: list[tuple] = []
    for chunk in in_chunks(statement_ids):
        texts += cursor.execute(
            f"SELECT id, title, summary, body FROM statements WHERE id IN ({placeholders(chunk)})", chunk
        ).fetchall()
    return texts


def index_full_text(cursor: sqlite3.Cursor, replaced: list[tuple], statements: list[dict], quotes: list[dict]) -> None:
    """Index a batch: old texts of replaced statements out, new statements and quotes in. Each in rowid order:
    FTS5 writes the terms it holds out to a new segment (and merges segments) whenever a row comes whose rowid
    is not above the previous one's, and a re-load's statements come in the order of their files (a 1% changed
    re-load of 100,000 files: 255 ms of inserts, 85 ms sorted)."""
    cursor.executemany(
        "INSERT INTO statements_fts (statements_fts, rowid, title, summary, body) VALUES ('delete', ?, ?, ?, ?)",
        sorted(replaced),
    )
    cursor.executemany(
        "INSERT INTO statements_fts (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
        sorted((row["id"], row["title"], row["summary"], row["body"]) for row in statements),
    )
    cursor.executemany(
        "INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)", sorted((row["id"], row["text"]) for row in quotes)
    )


# Full-text search: reading


def search_terms(words: str, raw: bool) -> str:
    """The user's words as an FTS5 query: each token a quoted phrase (quotes, `*`, `NEAR`, `OR` are data),
    or with `raw` FTS5 query syntax as given. Tokens without a letter or digit would be empty phrases."""
    if raw:
        return words
    tokens = [token for token in words.split() if _WORD_CHARACTER.search(token)]
    return " ".join('"' + token.replace('"', '""') + '"' for token in tokens)


def any_of_terms(words: list[str]) -> str:
    """An FTS5 query for documents holding any of these words."""
    return " OR ".join('"' + word.replace('"', '""') + '"' for word in words)


def matching_ids(table: str) -> str:
    """A subquery of the ids of `table` whose text matches the bound search terms."""
    return f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?"


def statement_hits() -> str:
    """(id, score, snippet) of the best statements for :query, best first: bm25, lower is better."""
    return f"""SELECT rowid AS id, rank AS score, snippet(statements_fts, -1, :start, :end, '…', :words) AS snippet
               FROM statements_fts WHERE statements_fts MATCH :query AND rank MATCH '{STATEMENT_WEIGHTS}'
               ORDER BY rank LIMIT :limit"""


def quote_hits() -> str:
    return """SELECT rowid AS id, rank AS score, snippet(quotes_fts, 0, :start, :end, '…', :words) AS snippet
              FROM quotes_fts WHERE quotes_fts MATCH :query ORDER BY rank LIMIT :limit"""


def is_search_syntax_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError)


# Checking


def integrity_checks(connection: sqlite3.Connection) -> list[tuple[str, bool | None, str]]:
    """SQLite's integrity check, the foreign-key check and FTS5's own checks: (name, ok, detail); none writes.
    `ok` is None for a check a load kept from running (the archive busy, not damaged)."""
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    results = [("integrity", rows == ["ok"], "; ".join(rows[:10]))]
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    problems = [f"{table} row {rowid} points to a missing {parent}" for table, rowid, parent, _ in broken[:10]]
    results.append(("foreign keys", not broken, "; ".join(problems) or "ok"))
    return results + _full_text_checks(connection)


def _full_text_checks(connection: sqlite3.Connection) -> list[tuple[str, bool | None, str]]:
    """FTS5's own checks, in a transaction that holds the write lock they need (their INSERT writes nothing, and
    is rolled back all the same). BEGIN IMMEDIATE waits for a load's write transaction to end, within the busy
    timeout: a read transaction that asked for the lock later would be refused at once ('database is locked').
    Without the lock (a read-only file, or a load that kept it past the timeout), a check that only reads."""
    present = table_names(connection)
    lacking = _write_lock(connection)
    try:
        if "fts_paused" in present and full_text_pending(connection):
            return [
                (
                    "full-text indexes",
                    True,
                    "not built yet: a load that would build them was stopped early; the "
                    "next `iwfdb load` builds them (searches miss statements until then)",
                )
            ]
        tables = [table for table in FTS_TABLES if f"{table}_fts" in present]
        return [
            (
                f"full-text index {table}_fts",
                *(
                    _full_text_counts_agree(connection, table, lacking)
                    if lacking
                    else _full_text_check(connection, table)
                ),
            )
            for table in tables
        ]
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


ARCHIVE_BUSY, ARCHIVE_READ_ONLY = "busy", "read-only"


def _write_lock(connection: sqlite3.Connection) -> str | None:
    """Begin a transaction, with the write lock if it can be had within the busy timeout: None if so, else
    ARCHIVE_BUSY (then it only reads, but every check in it sees the same committed archive). A read-only file
    grants the lock and refuses the write itself."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        return None
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
            raise
    connection.execute("BEGIN")
    return ARCHIVE_BUSY


def _full_text_check(connection: sqlite3.Connection, table: str) -> tuple[bool | None, str]:
    # rank = 1 also compares the index with the content table, which is how external-content FTS breaks.
    try:
        connection.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
            return _full_text_counts_agree(connection, table, ARCHIVE_READ_ONLY)
        return False, str(error)
    return True, "ok"


def _full_text_counts_agree(connection: sqlite3.Connection, table: str, lacking: str) -> tuple[bool | None, str]:
    """The check that needs no write lock (FTS5's own is an INSERT): one index entry per row."""
    rows, indexed = connection.execute(
        f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM {table}_fts_docsize)"
    ).fetchone()
    if lacking == ARCHIVE_READ_ONLY:
        return rows == indexed, (
            f"read-only archive: {indexed} index entries for {rows} rows (FTS5's own check needs write access)"
        )
    if rows != indexed:
        return False, f"{indexed} index entries for {rows} rows"
    return None, (
        f"the archive is busy: a load kept the write lock FTS5's own check needs past "
        f"{READ_BUSY_TIMEOUT_MS / 1000:g} s; {indexed} index entries for {rows} rows, as there should be"
    )


# `iwfdb sql`: the user's own statement

# PRAGMAs that take an argument but only describe the schema.
READING_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "collation_list",
        "function_list",
        "module_list",
        "pragma_list",
        "database_list",
    }
)
# SQL functions no untrusted statement may call: fts3_tokenizer() gives the address of code in memory (with two
# arguments, it would run code at one), load_extension() loads a library; the others are the sqlite3 shell's
# file functions, refused should a build ever carry them.
UNSAFE_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"})
_WRITE_ERRORS = ("readonly database", "attempt to write")


def run_untrusted(location: Location, text: str, params: dict, timeout: float) -> tuple[list[str], Iterator[tuple]]:
    """(column names, rows as they come) of one statement that may only read, within `timeout` seconds.

    Read-only is the connection's doing, not a keyword check: a connection of its own opens the file
    `mode=ro` with `query_only`, which refuses INSERT, UPDATE, DELETE, DROP, CREATE and VACUUM. Two things
    would still get through, so an authorizer refuses them before they run: ATTACH (which would create the
    attached file; VACUUM INTO starts with one) and a PRAGMA that sets a value (`PRAGMA query_only=OFF`).
    It runs in a thread (iwfdb.db.untrusted): the limit holds even inside one long function call.
    """
    from iwfdb.db.untrusted import Statement, columns_and_rows

    connection = connect(location, "read")
    refused: list[str] = []
    connection.set_authorizer(_authorizer(refused))
    statement = Statement(
        execute=lambda: connection.execute(text, params),
        interrupt=connection.interrupt,
        close=connection.close,
        explain=lambda error: _untrusted_error(error, refused, timeout),
        error_type=sqlite3.Error,
        timeout=timeout,
    )
    return columns_and_rows(statement)


def is_unsafe_function(action: int, name: str | None) -> bool:
    """Whether an authorizer's request is a call of one of UNSAFE_FUNCTIONS (for `sqlite3.set_authorizer`)."""
    return action == sqlite3.SQLITE_FUNCTION and (name or "").lower() in UNSAFE_FUNCTIONS


def _authorizer(refused: list[str]):
    def authorize(action: int, arg1, arg2, _database, _trigger) -> int:
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            refused.append("iwfdb sql is read-only: ATTACH and DETACH are not allowed; nothing was changed")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1.lower() not in READING_PRAGMAS:
            refused.append(f"iwfdb sql is read-only: setting PRAGMA {arg1} is not allowed; nothing was changed")
            return sqlite3.SQLITE_DENY
        if is_unsafe_function(action, arg2):
            refused.append(f"iwfdb sql does not call {arg2.lower()}(): it reveals memory addresses or loads code")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def _untrusted_error(error: sqlite3.Error, refused: list[str], timeout: float) -> BaseException:
    from iwfdb.db.untrusted import stopped_after
    from iwfdb.errors import IwfdbError, UsageError

    message = str(error)
    if refused:
        return IwfdbError(refused[0])
    if any(text in message for text in _WRITE_ERRORS):
        return IwfdbError("iwfdb sql is read-only: this statement would change the archive; nothing was changed")
    if message == "interrupted":
        return stopped_after(timeout)
    if isinstance(error, sqlite3.ProgrammingError) and "one statement" in message:
        return IwfdbError("iwfdb sql runs one statement at a time; leave out the `;` and what follows")
    if isinstance(error, sqlite3.ProgrammingError) and "binding" in message:
        return UsageError(f"{message.rstrip('.')}; give it with --param NAME VALUE")
    return IwfdbError(f"SQL error: {message}")

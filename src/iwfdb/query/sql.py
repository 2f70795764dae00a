"""`iwfdb sql`: the user's own SELECT, on a connection that cannot write and cannot run past its time.

Read-only is the connection's doing, not a keyword check: the file is opened `mode=ro` with
`query_only`, which refuses INSERT, UPDATE, DELETE, DROP, CREATE and VACUUM. Two things would still
get through, so an authorizer refuses them before they run: ATTACH (which would create the attached
file; VACUUM INTO starts with one) and a PRAGMA that sets a value (`PRAGMA query_only=OFF` would undo
the rest).

Rows stream: run_sql() gives the column names, then the rows a batch at a time as they are read, so a
result of millions of rows takes the memory of a few batches. The statement runs in a thread of its own,
on a connection of its own to the same file, and the time limit counts the seconds SQLite works, not
the time rows wait for a slow reader. At the limit the caller stops waiting and SQLite is interrupted:
it stops at its next instruction, or, inside one long function call that has none (`instr()` over a
string of many megabytes), when that call returns; the thread then closes its connection.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from iwfdb.config import DEFAULT_SQL_TIMEOUT
from iwfdb.errors import IwfdbError, UsageError
from iwfdb.query.connection import open_archive

DEFAULT_TIMEOUT = DEFAULT_SQL_TIMEOUT
# Rows a fetch: the hand-over between threads costs a few microseconds, nothing at this size.
FETCH_ROWS = 1_000
BATCHES_AHEAD = 4  # batches read before the reader takes them: the memory a stream holds
_POLL = 0.1  # how often a thread waiting on the other looks whether it should give up

# PRAGMAs that take an argument but only describe the schema.
READING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "collation_list",
    "function_list", "module_list", "pragma_list", "database_list",
})

_WRITE_ERRORS = ("readonly database", "attempt to write")


def run_sql(
    connection: sqlite3.Connection, sql: str, params: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], Iterator[dict]]:
    """The column names and a stream of rows (dicts keyed by column) of one read-only SQL statement.

    An error in the statement is raised here, before any row; one met while reading (the time limit)
    is raised by the stream. Read the stream to its end or close() it.
    """
    if timeout <= 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
    statement = _Statement(_file_of(connection), sql, params or {}, timeout)
    try:
        columns = statement.take()
    except BaseException:
        statement.stop()
        raise
    return columns, _Rows(statement, columns)


class _Budget:
    """The seconds of SQLite work a statement may use; time spent waiting for the reader is not counted."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent = 0.0
        self.since: float | None = None
        self.lock = threading.Lock()

    @contextmanager
    def working(self):
        with self.lock:
            self.since = time.monotonic()
        try:
            yield
        finally:
            with self.lock:
                self.spent += time.monotonic() - self.since
                self.since = None

    def left(self) -> float:
        with self.lock:
            working = time.monotonic() - self.since if self.since is not None else 0.0
            return self.seconds - self.spent - working


class _Statement:
    """One statement read by a thread into a short queue: columns first, then batches, then the end."""

    def __init__(self, database: Path, sql: str, params: dict[str, str], timeout: float):
        self.sql, self.params, self.timeout = sql, params, timeout
        self.connection = open_archive(database)
        self.budget = _Budget(timeout)
        self.results: queue.Queue = queue.Queue(maxsize=BATCHES_AHEAD)
        self.stopped = threading.Event()
        self.closing = threading.Lock()  # interrupt() must never meet a connection being closed
        threading.Thread(target=self._read, name="iwfdb sql", daemon=True).start()

    def take(self):
        """What the thread read next: the columns, a batch of rows, or None at the end."""
        while True:
            left = self.budget.left()
            if left <= 0:
                self.stop()
                raise _stopped_after(self.timeout)
            try:
                kind, value = self.results.get(timeout=min(left, _POLL))
            except queue.Empty:
                continue
            if kind == "error":
                raise value
            return value

    def stop(self) -> None:
        """Stop reading: the thread leaves at its next step and closes its connection."""
        self.stopped.set()
        with self.closing:
            if self.connection is not None:
                self.connection.interrupt()

    def _read(self) -> None:
        refused: list[str] = []
        self.connection.set_authorizer(_authorizer(refused))
        try:
            with self.budget.working():
                cursor = self.connection.execute(self.sql, self.params)
            self._give("columns", _unique([d[0] for d in cursor.description or ()]))
            while not self.stopped.is_set():
                with self.budget.working():
                    batch = cursor.fetchmany(FETCH_ROWS)
                self._give("rows", batch or None)
                if not batch:
                    break
        except sqlite3.Error as error:
            self._give("error", _explain(error, refused, self.timeout))
        except Exception as error:  # a bug: raised where the caller is, with its traceback, not lost here
            self._give("error", error)
        finally:
            with self.closing:
                self.connection.close()
                self.connection = None

    def _give(self, kind: str, value) -> None:
        while not self.stopped.is_set():
            try:
                self.results.put((kind, value), timeout=_POLL)
                return
            except queue.Full:
                continue


class _Rows:
    """The rows of a statement as they are read; closing it (or dropping it) stops the reading."""

    def __init__(self, statement: _Statement, columns: list[str]):
        self.statement = statement
        self.columns = columns
        self.batch: Iterator[tuple] = iter(())
        self.done = False

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> dict:
        while not self.done:
            row = next(self.batch, None)
            if row is not None:
                return dict(zip(self.columns, row))
            try:
                batch = self.statement.take()
            except BaseException:
                self.close()
                raise
            if batch is None:
                self.close()
            else:
                self.batch = iter(batch)
        raise StopIteration

    def close(self) -> None:
        if not self.done:
            self.done = True
            self.statement.stop()

    __del__ = close


def _file_of(connection: sqlite3.Connection) -> Path:
    """The archive file a connection reads (the statement gets a connection of its own to it)."""
    for _number, name, file in connection.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file)
    raise IwfdbError("iwfdb sql reads an archive file, not an in-memory database")


def _authorizer(refused: list[str]):
    def authorize(action: int, arg1, arg2, _database, _trigger) -> int:
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            refused.append("ATTACH and DETACH are")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1.lower() not in READING_PRAGMAS:
            refused.append(f"setting PRAGMA {arg1} is")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def _explain(error: sqlite3.Error, refused: list[str], timeout: float) -> IwfdbError:
    message = str(error)
    if refused:
        return IwfdbError(f"iwfdb sql is read-only: {refused[0]} not allowed; nothing was changed")
    if any(text in message for text in _WRITE_ERRORS):
        return IwfdbError("iwfdb sql is read-only: this statement would change the archive; nothing was changed")
    if message == "interrupted":
        return _stopped_after(timeout)
    if isinstance(error, sqlite3.ProgrammingError) and "one statement" in message:
        return IwfdbError("iwfdb sql runs one statement at a time; leave out the `;` and what follows")
    if isinstance(error, sqlite3.ProgrammingError) and "binding" in message:
        return UsageError(f"{message.rstrip('.')}; give it with --param NAME VALUE")
    return IwfdbError(f"SQL error: {message}")


def _stopped_after(timeout: float) -> IwfdbError:
    return IwfdbError(f"the query was stopped after {timeout:g} s; give it longer with --timeout SECONDS")


def _unique(columns: list[str]) -> list[str]:
    """Column names as keys: a repeated name gets `_2`, `_3`... so that no value is lost in a dict."""
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique

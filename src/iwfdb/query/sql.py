"""`iwfdb sql`: the user's own SELECT, on a connection that cannot write and cannot run forever.

Read-only is the connection's doing, not a keyword check: the file is opened `mode=ro` with
`query_only`, which refuses INSERT, UPDATE, DELETE, DROP, CREATE and VACUUM. Two things would still
get through, so an authorizer refuses them before they run: ATTACH (which would create the attached
file; VACUUM INTO starts with one) and a PRAGMA that sets a value (`PRAGMA query_only=OFF` would undo
the rest). The time limit is a progress handler that interrupts the query at its deadline.
"""

from __future__ import annotations

import sqlite3
import time

from iwfdb.config import DEFAULT_SQL_TIMEOUT
from iwfdb.errors import IwfdbError, UsageError

DEFAULT_TIMEOUT = DEFAULT_SQL_TIMEOUT
# How many SQLite VM instructions run between two looks at the clock: about a millisecond of work.
PROGRESS_STEPS = 10_000

# PRAGMAs that take an argument but only describe the schema.
READING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "collation_list",
    "function_list", "module_list", "pragma_list", "database_list",
})

_WRITE_ERRORS = ("readonly database", "attempt to write")


def run_sql(
    archive, sql: str, params: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], list[dict]]:
    """The column names and rows (dicts keyed by column) of one read-only SQL statement."""
    connection = archive.connection
    if hasattr(archive.side, "run_untrusted"):
        if timeout <= 0:
            raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
        columns, found = archive.side.run_untrusted(connection, sql, params or {}, timeout)
        columns = _unique(columns)
        return columns, [dict(zip(columns, row)) for row in found]
    if timeout <= 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
    refused: list[str] = []
    connection.set_authorizer(_authorizer(refused))
    deadline = time.monotonic() + timeout
    connection.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
    try:
        cursor = connection.execute(sql, params or {})
        columns = _unique([d[0] for d in cursor.description or ()])
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    except sqlite3.Error as error:
        raise _explain(error, refused, timeout) from None
    finally:
        connection.set_progress_handler(None, 0)
        connection.set_authorizer(None)
    return columns, rows


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
        return IwfdbError(f"the query was stopped after {timeout:g} s; give it longer with --timeout SECONDS")
    if isinstance(error, sqlite3.ProgrammingError) and "one statement" in message:
        return IwfdbError("iwfdb sql runs one statement at a time; leave out the `;` and what follows")
    if isinstance(error, sqlite3.ProgrammingError) and "binding" in message:
        return UsageError(f"{message.rstrip('.')}; give it with --param NAME VALUE")
    return IwfdbError(f"SQL error: {message}")


def _unique(columns: list[str]) -> list[str]:
    """Column names as keys: a repeated name gets `_2`, `_3`... so that no value is lost in a dict."""
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique

"""`iwfdb sql`: the user's own statement, which may only read and may not run past its time limit.

How each engine keeps to that is its side's business (iwfdb.db.sqlite and iwfdb.db.postgres,
`run_untrusted`); here the rows stream as dicts keyed by unique column names.
"""

from __future__ import annotations

from collections.abc import Iterator

from iwfdb.config import DEFAULT_SQL_TIMEOUT
from iwfdb.db import Archive
from iwfdb.errors import UsageError

DEFAULT_TIMEOUT = DEFAULT_SQL_TIMEOUT


def run_sql(
    archive: Archive, sql: str, params: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], Iterator[dict]]:
    """The column names and a stream of rows (dicts keyed by column) of one read-only SQL statement.

    An error in the statement is raised here, before any row; one met while reading (the time limit)
    is raised by the stream. Read the stream to its end or close() it.
    """
    if timeout <= 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
    columns, rows = archive.side.run_untrusted(archive.location, sql, params or {}, timeout)
    columns = _unique(columns)
    return columns, _as_dicts(columns, rows)


def _as_dicts(columns: list[str], rows) -> Iterator[dict]:
    try:
        for row in rows:
            yield dict(zip(columns, row))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _unique(columns: list[str]) -> list[str]:
    """Column names as keys: a repeated name gets `_2`, `_3`... so that no value is lost in a dict."""
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique

"""Read-only connections to the archive, and the helpers every query shares.

The read path uses the stdlib `sqlite3` module, not SQLAlchemy: importing SQLAlchemy alone costs about
0.3 s here, three times what a whole `sqlite-utils query` process takes. A read connection opens the
file read-only by URI and also sets `query_only`, so that neither a bug nor `iwfdb sql` can change it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

from iwfdb.errors import DatabaseError, UsageError
from iwfdb.migrate import HEAD_REVISION

BUSY_TIMEOUT_MS = 5_000

_WORD_CHARACTER = re.compile(r"\w")


def open_archive(path: Path) -> sqlite3.Connection:
    """A read-only connection to the archive at `path`, refused unless its schema is this iwfdb's."""
    if not path.is_file():
        raise DatabaseError(f"no archive at {path}; run `iwfdb load FOLDER` first")
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only=ON")
        check_revision(connection, path)
    except sqlite3.DatabaseError as error:
        hint = " (this file is not an SQLite archive; choose another with --db)" if "not a database" in str(error) else ""
        raise DatabaseError(f"cannot read {path}: {error}{hint}") from None
    connection.row_factory = sqlite3.Row
    return connection


def check_revision(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse an archive whose schema is older or newer than the one this iwfdb reads."""
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        row = None
    stored = row[0] if row else None
    if stored == HEAD_REVISION:
        return
    if stored is None:
        raise DatabaseError(f"{path} is not an iwfdb archive (it has no schema revision); "
                            "run `iwfdb load FOLDER` to make one")
    if stored.isdigit() and HEAD_REVISION.isdigit() and int(stored) < int(HEAD_REVISION):
        raise DatabaseError(f"the archive's schema is at revision {stored}, older than this iwfdb's "
                            f"{HEAD_REVISION}; run `iwfdb db upgrade` first")
    raise DatabaseError(f"the archive's schema is at revision {stored}, which this iwfdb does not know: "
                        "it was written by a newer iwfdb; upgrade iwfdb (pip install -U iwfdb) to read it")


def fts_phrases(words: str) -> str:
    """The user's words as an FTS5 query that treats every character as data.

    Each whitespace-separated token becomes a double-quoted phrase (inner quotes doubled), so that stray
    quotes, hyphens, `NEAR`, `AND` or `*` are searched for, not obeyed. Tokens without a letter or digit
    would be empty phrases and are dropped.
    """
    tokens = [token for token in words.split() if _WORD_CHARACTER.search(token)]
    if not tokens:
        raise UsageError(f"nothing to search for in {words!r}: give at least one word")
    return " ".join('"' + token.replace('"', '""') + '"' for token in tokens)


class Where:
    """A WHERE clause built from conditions, each with its bound parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list = []

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def __str__(self) -> str:
        return "WHERE " + " AND ".join(self.conditions) if self.conditions else ""


def placeholders(values: list | tuple) -> str:
    """`?, ?, ?` for an IN list of bound parameters."""
    return ", ".join("?" * len(values))


def sql_limit(limit: int | None) -> int:
    """The value of `LIMIT ?`: SQLite reads a negative limit as none."""
    return -1 if limit is None else limit


def rows_as_dicts(cursor: sqlite3.Cursor) -> list[dict]:
    """Plain dicts keyed by column name, in column order."""
    return [dict(row) for row in cursor.fetchall()]

"""Opening the archive file with sqlite3: the settings every connection that writes gets. Stdlib only.

WAL lets readers read while a load writes; foreign keys are enforced; a busy timeout makes a second
writer wait for the first instead of failing with "database is locked". Transactions are begun by the
caller, IMMEDIATE, so that a writer takes the lock before it reads what it will write upon.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 60_000

CONNECTION_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
    # A load looks up natural keys between its writes: a 16 MB page cache keeps the indexes at hand
    # (the default 2 MB made each look-up cost about 50 microseconds), and checkpointing the WAL every
    # 10,000 pages rather than 1,000 moves the pages to the database file in fewer, larger steps.
    "PRAGMA cache_size=-16384",
    "PRAGMA wal_autocheckpoint=10000",
)


def configure(connection: sqlite3.Connection) -> None:
    """Apply the archive's PRAGMAs to a new connection (sqlite3's own, or the one beneath SQLAlchemy)."""
    for pragma in CONNECTION_PRAGMAS:
        connection.execute(pragma)


def connect(path: Path) -> sqlite3.Connection:
    """A connection for writing, in autocommit mode: the caller says BEGIN IMMEDIATE and COMMIT."""
    connection = sqlite3.connect(path, isolation_level=None)
    configure(connection)
    return connection

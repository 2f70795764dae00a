"""The archives a benchmark run loads and reads: a SQLite file in the work folder, and with --db a
database of its own on a PostgreSQL server, made empty before each cold load and dropped when the run ends.

Everything the benchmark reads of an archive (row counts, the statement `show` displays) goes through the
project's own door, `iwfdb.db`, in portable SQL, so that the same code counts on both engines. Only making
and dropping a PostgreSQL database needs the server's admin URL and psycopg itself.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from iwfdb.db import Archive, Purpose, locate, open_archive

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DATABASE_PREFIX = "iwfdb_bench_"
COUNTED_TABLES = ("sources", "statements", "quotes", "people", "organisations", "contacts", "contact_phones", "links",
                  "sections", "revisions", "parse_warnings")  # fmt: skip


class BenchArchive(ABC):
    """An archive the benchmark owns: `db` is what `iwfdb --db` is given."""

    backend: str
    db: str

    @abstractmethod
    def make_empty(self) -> None:
        """No archive at all, before a cold load (the load makes the schema with the migrations)."""

    def dispose(self) -> None:
        """What the run made and no one keeps: nothing for a file (the work folder decides)."""

    def open(self) -> Archive:
        return open_archive(locate(self.db), Purpose.READ)

    def count_rows(self) -> dict[str, int]:
        with self.open() as archive:
            return {table: archive.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}

    def __str__(self) -> str:
        return str(locate(self.db))


class SqliteArchive(BenchArchive):
    backend = SQLITE

    def __init__(self, path: Path):
        self.path = path
        self.db = str(path)

    def make_empty(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class PostgresArchive(BenchArchive):
    """A database named iwfdb_bench_<pid> on the server of `admin_url` (a role that may create databases)."""

    backend = POSTGRESQL

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = f"{DATABASE_PREFIX}{os.getpid()}"
        self.db = urlunsplit(urlsplit(admin_url)._replace(path=f"/{self.name}"))

    def make_empty(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')

    def dispose(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def unanalyzed_tables(self) -> list[str]:
        """Tables the planner has no fresh statistics for: never analyzed, or changed by more than a fifth since
        (autovacuum analyzes a table about a minute after a load; until then a plan may scan what an index finds).
        """
        with self.open() as opened:
            rows = opened.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 100 AND (coalesce(last_analyze, "
                "last_autoanalyze) IS NULL OR n_mod_since_analyze > n_live_tup / 5) ORDER BY relname").fetchall()
        return [name for (name,) in rows]

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)


def server_settings(admin_url: str) -> dict[str, str]:
    """The server's version and durability settings (a test server without fsync writes faster than a real
    one), which also proves that the admin URL reaches it; psycopg's error if not."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        return {name: admin.execute(f"SHOW {name}").fetchone()[0].split()[0]
                for name in ("server_version", "fsync", "synchronous_commit")}  # fmt: skip


def pick_statement(archive: BenchArchive) -> tuple[int, str]:
    """(id, slug) of a full statement with quotes from the middle of the archive, for `show`."""
    with archive.open() as opened:
        wanted = "FROM statements WHERE NOT card_only AND id IN (SELECT statement_id FROM quotes)"
        middle = opened.execute(f"SELECT count(*) {wanted}").fetchone()[0] // 2
        row = opened.execute(f"SELECT id, slug {wanted} ORDER BY id LIMIT 1 OFFSET ?", (middle,)).fetchone()
        row = row or opened.execute("SELECT id, slug FROM statements ORDER BY id LIMIT 1").fetchone()
    if row is None:
        raise RuntimeError(f"{archive} holds no statement to show")
    return row[0], row[1]


def statement_id(archive: BenchArchive, slug: str) -> int:
    """The id the statement with this slug has in `archive` (the engines may number a load differently)."""
    with archive.open() as opened:
        row = opened.execute("SELECT id FROM statements WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        raise RuntimeError(f"{archive} holds no statement {slug!r}, which the SQLite archive of this run holds")
    return row[0]

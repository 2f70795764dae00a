"""Archives for the read-side tests, built by the real `iwfdb load` from fixture files.

tests/fixtures/archive_read holds five statements (2017 seed, 2019 news, 2021, 2023, one undated) with
quotes by Susie Hargreaves (printed three ways), Tom Tugendhat and Dan Sexton, contacts with phones, and
related cards that become card-only statements. Read commands cannot write, so one archive per test
session serves every read test.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from iwfdb.cli import app

TESTS = Path(__file__).resolve().parent
READ_FIXTURES = TESTS / "fixtures" / "archive_read"
SEEDS = TESTS.parent / "seeds"


def run(db: Path, *arguments: str, env: dict[str, str] | None = None):
    """`iwfdb --db DB ARGUMENTS...` in-process; result.stdout and result.stderr are kept apart."""
    return CliRunner().invoke(app, ["--db", str(db), *arguments], env=env)


def build_archive(folder: Path, db: Path) -> Path:
    """An archive of every statement file in `folder`, loaded by `iwfdb load`."""
    result = run(db, "load", str(folder))
    assert result.exit_code == 0, result.output
    return db


def snapshot(db: Path) -> tuple[str, dict[str, int]]:
    """The archive's content hash and row counts: to show that a command changed nothing."""
    with sqlite3.connect(db) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
        counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        dump = "\n".join(connection.iterdump())
    connection.close()
    return hashlib.sha256(dump.encode()).hexdigest(), counts

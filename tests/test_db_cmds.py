"""`iwfdb db path | upgrade | current | check` on new, sound and damaged archives."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import SEED, iwfdb
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.db.migrate import HEAD_REVISION


def invoke(*arguments, env=None):
    return CliRunner().invoke(app, [str(a) for a in arguments], env=env)


@pytest.fixture
def loaded(sqlite_db) -> Path:
    result = iwfdb(sqlite_db, "load", SEED)
    assert result.exit_code == 0, result.output
    return sqlite_db.path


def test_db_path_follows_option_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("--db", "x.sqlite", "db", "path").stdout.strip() == str(tmp_path / "x.sqlite")
    assert invoke("db", "path", env={"IWFDB_DB": str(tmp_path / "env.sqlite")}).stdout.strip() == str(tmp_path / "env.sqlite")
    assert invoke("db", "path", env={"IWFDB_DB": ""}).stdout.strip() == str(tmp_path / "iwfdb.sqlite")


def test_db_upgrade_creates_then_says_it_is_current(tmp_path):
    database = tmp_path / "new.sqlite"
    first = invoke("--db", database, "db", "upgrade")
    assert first.exit_code == 0, first.output
    assert f"upgraded from revision none (new archive) to {HEAD_REVISION}" in first.stdout
    assert f"already at revision {HEAD_REVISION}" in invoke("--db", database, "db", "upgrade").stdout
    assert invoke("--db", database, "db", "current").stdout.strip() == f"{HEAD_REVISION} (newest)"


def test_db_current_and_check_refuse_a_missing_archive_without_creating_it(tmp_path):
    for command in ("current", "check"):
        result = invoke("--db", tmp_path / "none.sqlite", "db", command)
        assert result.exit_code == 1
        assert "no archive at" in result.stdout + result.stderr and "run `iwfdb load FOLDER`" in result.output
    assert not (tmp_path / "none.sqlite").exists()


def test_db_check_says_a_sound_archive_is_sound(db):
    assert iwfdb(db, "load", SEED).exit_code == 0
    result = iwfdb(db, "db", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("the archive is sound")
    assert "FAILED" not in result.stdout and f"schema: ok (revision {HEAD_REVISION}, the newest)" in result.stdout


def damage(database: Path, *statements: str) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize(
    ("statements", "failed_check"),
    [
        (["DELETE FROM statements_fts_data WHERE id > 1"], "full-text index statements_fts: FAILED"),
        (["DROP TRIGGER quotes_fts_after_update", "UPDATE quotes SET text = 'changed behind the index'"],
         "full-text index quotes_fts: FAILED"),
        (["INSERT INTO quotes (statement_id, position, attribution, text, line) VALUES (999, 0, '', 'orphan', 1)"],
         "foreign keys: FAILED"),
    ],
)  # fmt: skip
def test_db_check_finds_damage(loaded, statements, failed_check):
    damage(loaded, *statements)
    result = invoke("--db", loaded, "db", "check")
    assert result.exit_code == 1
    assert failed_check in result.stdout
    assert "the archive is NOT sound" in result.stderr


def test_db_check_finds_corrupted_bytes_without_a_traceback(loaded):
    with sqlite3.connect(loaded) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(loaded.read_bytes())
    for page in range(2, pages):  # leave the header page, scribble over every other page's start
        data[page * page_size : page * page_size + 64] = b"\xa5" * 64
    loaded.write_bytes(bytes(data))
    result = invoke("--db", loaded, "db", "check")
    assert result.exit_code == 1
    assert "NOT sound" in result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_db_check_says_an_empty_file_is_an_empty_archive_not_a_damaged_one(tmp_path):
    """What a first load killed during its migration leaves (the schema is made in one transaction)."""
    database = tmp_path / "empty.sqlite"
    sqlite3.connect(database).close()
    result = invoke("--db", database, "db", "check")
    assert result.exit_code == 0, result.output
    assert "schema: ok (none yet: an empty archive" in result.stdout


def test_db_check_finds_an_id_sequence_behind_its_ids_on_postgresql(archives, tmp_path):
    import psycopg

    database = archives.new("postgresql", tmp_path)
    assert iwfdb(database, "load", SEED).exit_code == 0
    with psycopg.connect(database.url, autocommit=True) as owner:
        owner.execute("SELECT setval('statements_id_seq', 1)")
    result = iwfdb(database, "db", "check")
    assert result.exit_code == 1
    assert "id sequences: FAILED (statements: behind its largest id)" in result.stdout


def test_db_check_by_a_role_that_may_only_read_says_what_it_could_not_check(archives, tmp_path):
    from pg_databases import reading_role

    database = archives.new("postgresql", tmp_path)
    assert iwfdb(database, "load", SEED).exit_code == 0
    result = iwfdb(reading_role(os.environ["IWFDB_TEST_POSTGRES"], database), "db", "check")
    assert result.exit_code == 0, result.output
    assert "id sequences: ok (not checked: this role may not read the id sequences" in result.stdout


@contextmanager
def writing(db, seconds: float | None = None):
    """Another connection in the middle of a write transaction (as a load between two of its statements), for
    the block, or until `seconds` have passed."""
    from iwfdb.db import Purpose, open_archive

    with open_archive(db, Purpose.WRITE) as archive:
        archive.begin_write()
        archive.execute("UPDATE statements SET title = title")
        timer = threading.Timer(seconds, archive.rollback) if seconds is not None else None
        if timer:
            timer.start()
        try:
            yield
        finally:
            if timer:
                timer.join()
            archive.rollback()


def test_db_check_of_an_archive_being_written_waits_for_its_turn(db):
    assert iwfdb(db, "load", SEED).exit_code == 0
    with writing(db, seconds=1):
        result = iwfdb(db, "db", "check")
    assert result.exit_code == 0, result.output
    assert "FAILED" not in result.stdout and result.stdout.strip().endswith("the archive is sound")


def test_db_check_of_an_archive_busy_past_the_time_limit_says_it_is_busy_not_damaged(sqlite_db, monkeypatch):
    """On SQLite FTS5's own check needs the write lock; on PostgreSQL no check waits for a writer."""
    assert iwfdb(sqlite_db, "load", SEED).exit_code == 0
    monkeypatch.setattr("iwfdb.db.sqlite.READ_BUSY_TIMEOUT_MS", 300)
    with writing(sqlite_db):
        started = time.monotonic()
        result = iwfdb(sqlite_db, "db", "check")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and "NOT sound" not in result.output and "FAILED" not in result.output
    assert "full-text index statements_fts: busy (" in result.stdout
    assert "the archive is busy" in result.stderr and "run `iwfdb db check` again" in result.stderr

"""Faults: a load killed mid-way, a full disk, and archives iwfdb must not write (read-only, not SQLite, newer).

Each fault ends in a clear `error: ...` and an exit status, never a traceback, and leaves what was archived
whole: `iwfdb db check` passes, every full statement has its file and all its quotes, and the next load
finishes the job.

A full disk is simulated with SQLite's own limit on the size of a database (`PRAGMA max_page_count`, set on
every connection of the loader's engine): SQLite then fails exactly as on a full disk (SQLITE_FULL). A
read-only file is made with `chattr +i` when the tests run as root (root ignores file permissions), with
`chmod 444` otherwise.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest
from helpers import (SEED, assert_whole, content, full_statements_by_file, iwfdb, iwfdb_process, rows,
                     statement_file, statement_folder)  # fmt: skip

FILES = 1200  # more than one batch of the loader, so that a kill can fall between two commits


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return statement_folder(tmp_path_factory.mktemp("many"), FILES)


def test_a_killed_load_leaves_whole_statements_and_the_next_load_finishes(archives, backend, many, tmp_path):
    db = archives.new(backend, tmp_path)
    process = iwfdb_process(db, "load", "--quiet", many, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _committed(db) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        _kill_group(process)
    assert process.returncode == -signal.SIGKILL, "the load ended before it could be killed"
    committed = assert_whole(db)
    assert 0 < committed < FILES, committed

    again = iwfdb(db, "load", "--json", many)
    assert again.exit_code == 0, again.output
    assert assert_whole(db) == FILES

    whole = archives.new(backend, tmp_path)
    assert iwfdb(whole, "load", "--quiet", many).exit_code == 0
    assert content(db) == content(whole)


def _committed(db) -> int:
    return rows(db, "SELECT count(*) FROM sources")[0][0]


def _kill_group(process: subprocess.Popen) -> None:
    """Also end the parsing processes the killed load may have started (they are ours)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=30)


def test_a_full_disk_is_a_clear_error_and_damages_nothing(sqlite_db, tmp_path, monkeypatch):
    db = sqlite_db
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(SEED, first)
    assert iwfdb(db, "load", first).exit_code == 0
    before = content(db)
    ((pages,),) = rows(db, "PRAGMA page_count")
    _limit_database_size(monkeypatch, pages + 30)
    more = tmp_path / "more"
    more.mkdir()
    for number in range(200):
        (more / f"{number:04d}.txt").write_text(statement_file(f"Full disk {number}", number, 2, "word " * 400))

    result = iwfdb(db, "load", more)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "database or disk is full (free some space and load again: what was committed is kept)" in result.stderr
    monkeypatch.undo()
    after = content(db)
    assert all(set(rows_before) <= set(after[table]) for table, rows_before in before.items())
    assert_whole_statements(db)


def _limit_database_size(monkeypatch, pages: int) -> None:
    """Every connection the loader opens may grow the database to `pages` pages, no more."""
    import iwfdb.db.sqlite

    monkeypatch.setattr(iwfdb.db.sqlite, "WRITE_PRAGMAS",
                        (*iwfdb.db.sqlite.WRITE_PRAGMAS, f"PRAGMA max_page_count = {pages}"))  # fmt: skip


def assert_whole_statements(db):
    check = iwfdb(db, "db", "check")
    assert check.exit_code == 0, check.output
    for _, quotes in full_statements_by_file(db):
        assert quotes in (0, 1, 2)
    orphans = rows(db, "SELECT count(*) FROM statements s LEFT JOIN sources src ON src.id = s.source_id "
                       "WHERE NOT s.card_only AND src.outcome NOT IN ('loaded', 'updated')")  # fmt: skip
    assert orphans == [(0,)]


# Archives iwfdb must not write: each command says why, exits 1, and leaves the file's bytes as they were.


def _not_sqlite(db):
    db.path.write_bytes(b"Statement - this is a text file, not an archive\n" * 100)


def _newer(db):
    with sqlite3.connect(db.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.close()


BAD_ARCHIVES = {
    "not sqlite": (_not_sqlite, "file is not a database"),
    "newer schema": (_newer, "newer iwfdb"),
}
COMMANDS = [["load", SEED], ["db", "upgrade"], ["db", "current"], ["query"], ["search", "industry"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(map(str, c)))
@pytest.mark.parametrize("kind", sorted(BAD_ARCHIVES))
def test_an_archive_iwfdb_cannot_use_is_refused_untouched(sqlite_db, kind, command):
    db = sqlite_db
    assert iwfdb(db, "load", SEED).exit_code == 0
    spoil, message = BAD_ARCHIVES[kind]
    spoil(db)
    before = _files(db)
    result = iwfdb(db, *command)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert _files(db) == before


def test_db_check_says_a_file_that_is_not_sqlite_is_not_sound(sqlite_db):
    db = sqlite_db
    _not_sqlite(db)
    before = _files(db)
    result = iwfdb(db, "db", "check")
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "file is not a database" in result.stdout and "the archive is NOT sound" in result.stderr
    assert _files(db) == before


def _files(db) -> tuple[str, bytes]:
    """The SHA-256 of the archive's file, and what its write-ahead log holds (an empty log is no change)."""
    wal = db.path.with_name(db.path.name + "-wal")
    return hashlib.sha256(db.path.read_bytes()).hexdigest(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture
def read_only(sqlite_db):
    """The archive, loaded, then made read-only for whoever runs the tests (root included)."""
    db = sqlite_db
    assert iwfdb(db, "load", SEED).exit_code == 0
    if os.geteuid() != 0:
        db.path.chmod(0o444)
        yield db
        db.path.chmod(0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", db.path], capture_output=True).returncode:
        pytest.skip("running as root without chattr +i: no way to make a file read-only for root")
    try:
        yield db
    finally:
        subprocess.run(["chattr", "-i", db.path], check=True)


def test_a_read_only_archive_is_refused_for_writing_and_still_read(read_only, tmp_path):
    before = _files(read_only)
    page = tmp_path / "page.txt"
    page.write_text(statement_file("Read-only archive", 3, 1))
    result = iwfdb(read_only, "load", page)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "attempt to write a readonly database (the file or its folder is read-only)" in result.stderr
    assert _files(read_only) == before
    query = iwfdb(read_only, "query", "--format", "json")
    assert query.exit_code == 0 and "industry" in query.stdout


def test_db_check_finds_a_read_only_archive_sound(read_only):
    check = iwfdb(read_only, "db", "check")
    assert check.exit_code == 0, check.output
    assert "read-only archive" in check.output

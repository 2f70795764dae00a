"""The one door to the archive (iwfdb.db): where an archive is, and the archives it refuses, with what to do."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from contextlib import closing

import pytest
from helpers import SEEDS, iwfdb, rows

from iwfdb.db import Purpose, locate, open_archive
from iwfdb.errors import DatabaseError, UsageError


def test_a_path_is_a_sqlite_archive_and_a_url_names_postgresql(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert locate("a.sqlite").path == tmp_path / "a.sqlite"
    assert locate("sqlite:///b.sqlite").path == tmp_path / "b.sqlite"
    assert locate("sqlite:////tmp/c.sqlite").path.as_posix() == "/tmp/c.sqlite"
    for given in ("postgresql://me@db.example/iwf", "postgres://me@db.example/iwf",
                  "postgresql+psycopg://me@db.example/iwf"):  # fmt: skip
        location = locate(given)
        assert (location.engine, location.url) == ("postgresql", "postgresql://me@db.example/iwf")
    with pytest.raises(UsageError, match="SQLite .* or PostgreSQL .*not in mysql"):
        locate("mysql://me@db.example/iwf")


def test_the_environment_names_the_archive_when_db_does_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IWFDB_DB", "postgresql://team@127.0.0.1/iwf")
    assert locate(None).url == "postgresql://team@127.0.0.1/iwf"
    assert locate("mine.sqlite").path == tmp_path / "mine.sqlite"
    monkeypatch.delenv("IWFDB_DB")
    assert locate(None).path == tmp_path / "iwfdb.sqlite"


@pytest.mark.parametrize(("given", "printed"), [
    ("postgresql://team:s3cret@db.example:5433/iwf", "postgresql://team:***@db.example:5433/iwf"),
    ("postgresql://team@db.example/iwf?sslmode=require&password=s3cret",
     "postgresql://team@db.example/iwf?sslmode=require&password=***"),
    ("postgresql:///iwf?Password=s3cret&host=/var/run/postgresql", "postgresql:///iwf?Password=***&host=/var/run/postgresql"),
    ("postgresql://team@db.example/iwf", "postgresql://team@db.example/iwf"),
])  # fmt: skip
def test_a_password_is_never_printed(given, printed):
    assert str(locate(given)) == printed


@pytest.mark.parametrize("name", ["iwf%20archive.sqlite", "what?.sqlite", "number#1.sqlite", "caf\udce9.sqlite"])
def test_an_archive_path_with_url_characters_or_bytes_that_are_not_utf8_is_that_very_file(tmp_path, name):
    archive = locate(os.path.join(tmp_path, name))
    result = iwfdb(archive, "load", SEEDS)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(os.fsencode(tmp_path))) == [os.fsencode(name)]
    assert rows(archive, "SELECT count(*) FROM statements") == [(4,)]
    query = iwfdb(archive, "query", "--year", "2017", "--format", "json")
    assert query.exit_code == 0 and "industry" in query.stdout


def test_a_missing_archive_says_how_to_make_one(tmp_path):
    with pytest.raises(DatabaseError, match=r"no archive at .*nothing\.sqlite; run `iwfdb load FOLDER` first"):
        open_archive(locate(str(tmp_path / "nothing.sqlite")))


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not the droids\n" * 100)
    with pytest.raises(DatabaseError, match="notes.sqlite: file is not a database .*not an SQLite archive"):
        open_archive(locate(str(path)))


@pytest.mark.parametrize("purpose", [Purpose.READ, Purpose.WRITE])
def test_a_database_of_something_else_is_not_an_archive_and_is_left_alone(tmp_path, purpose):
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseError, match="holds tables but no iwfdb schema: it is not an iwfdb archive"):
        open_archive(locate(str(path)), purpose)
    with closing(sqlite3.connect(path)) as other:
        assert [name for (name,) in other.execute("SELECT name FROM sqlite_master")] == ["t"]


def test_an_empty_archive_is_filled_by_a_load_not_read(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    with pytest.raises(DatabaseError, match="empty archive .*run `iwfdb load FOLDER`"):
        open_archive(locate(str(path)))


def _copy_at_revision(db, tmp_path, revision: str):
    copy = tmp_path / f"at-{revision}.sqlite"
    shutil.copyfile(db.path, copy)
    with closing(sqlite3.connect(copy)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.commit()
    return locate(str(copy))


def test_an_older_schema_asks_for_db_upgrade(sqlite_db, tmp_path):
    with pytest.raises(DatabaseError, match=r"older than this iwfdb's .*run `iwfdb db upgrade`"):
        open_archive(_copy_at_revision(sqlite_db, tmp_path, "0001"))


@pytest.mark.parametrize("purpose", list(Purpose))
def test_a_newer_schema_asks_to_upgrade_iwfdb(sqlite_db, tmp_path, purpose):
    with pytest.raises(DatabaseError, match="written by a newer iwfdb; upgrade iwfdb"):
        open_archive(_copy_at_revision(sqlite_db, tmp_path, "9999"), purpose)


def test_a_read_connection_cannot_write(db):
    with open_archive(db, Purpose.READ) as archive:
        with pytest.raises(archive.side.Error, match="read-only|readonly"):
            archive.execute("DELETE FROM statements")


def test_a_writer_whose_commits_did_not_wait_for_the_disk_puts_them_in_the_database_file_when_it_is_durable_again(
    sqlite_db,
):
    with open_archive(sqlite_db, Purpose.WRITE) as archive:
        archive.side.relax_durability(archive.connection)
        archive.begin_write()
        archive.execute("INSERT INTO people (name_key, name, kind) VALUES ('jane doe', 'Jane Doe', 'person')")
        archive.commit()
        archive.side.restore_durability(archive.connection)
        # immutable=1 reads the database file alone, not the WAL: the commit is there, not only in the log
        with closing(sqlite3.connect(f"file:{sqlite_db.path}?immutable=1", uri=True)) as file_only:
            assert file_only.execute("SELECT name FROM people").fetchall() == [("Jane Doe",)]


def test_a_postgresql_url_without_psycopg_installed_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "iwfdb.db.postgres", raising=False)
    result = iwfdb(locate("postgresql://analyst:secret@127.0.0.1:1/iwf"), "query")
    assert result.exit_code == 1
    assert result.stderr == ('error: postgresql://analyst:***@127.0.0.1:1/iwf: a PostgreSQL archive needs psycopg: '
                             'pip install "iwfdb[postgres]"\n')  # fmt: skip

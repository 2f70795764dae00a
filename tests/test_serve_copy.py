"""`iwfdb serve --db postgresql://...`: the page reads a SQLite copy of the archive, made through iwfdb's door (the
same schema and full-text index as any SQLite archive), brought up to date when the archive changes, swapped in
without stopping the readers of the old one, and said in the page; a URL's password is never shown.

These tests need the PostgreSQL server of $IWFDB_TEST_POSTGRES (skipped without it, failed in CI)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from browse_helpers import Browser, ServeProcess
from conftest import postgres_server
from helpers import FIXTURES, READ_FIXTURES, iwfdb, rows, table_names

from iwfdb.db import migrate
from iwfdb.datasette.metadata import DATABASE
from iwfdb.db import check_archive, locate
from iwfdb.db.copy import CopyKeeper, about_path, make_copy, read_about, refresh_copy
from iwfdb.errors import DatabaseError, UsageError

COMPARED = ("statements", "quotes", "quote_speakers", "people", "organisations", "contacts", "contact_phones", "links",
            "sections", "sources", "parse_warnings", "revisions")  # fmt: skip


@pytest.fixture
def archive(archives, tmp_path):
    """A PostgreSQL archive of the read fixtures."""
    location = archives.new("postgresql", tmp_path)
    assert iwfdb(location, "load", READ_FIXTURES).exit_code == 0
    return location


def everything(db, table: str, copy: Path) -> list[tuple]:
    """The rows of a table, in the columns of the copy (PostgreSQL has its search vectors besides)."""
    columns = ", ".join(row[1] for row in rows(copy, f"SELECT * FROM pragma_table_info('{table}')"))
    return rows(db, f"SELECT {columns} FROM {table} ORDER BY 1, 2")


def test_the_copy_holds_every_row_with_the_schema_and_index_of_any_sqlite_archive(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    about = make_copy(archive, copy)
    for table in COMPARED:
        assert everything(copy, table, copy) == everything(archive, table, copy), table
    assert set(table_names(copy)) >= {"statements_fts", "quotes_fts", "fts_paused"}
    assert rows(copy, "SELECT version_num FROM alembic_version") == [(migrate.HEAD_REVISION,)]
    assert all(result.ok for result in check_archive(locate(str(copy)))), check_archive(locate(str(copy)))
    found = [[(hit["match"], hit["statement_id"]) for hit in json.loads(iwfdb(db, "search", "hash", "--format",
             "json").stdout)] for db in (archive, copy)]  # fmt: skip
    assert sorted(found[0]) == sorted(found[1]) != []  # ranks and snippets are each engine's own
    assert read_about(copy) == about and about.source == str(archive) and about.made_at == about.checked_at


def test_a_copy_is_made_again_only_when_the_archive_changed(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    first = refresh_copy(archive, copy)
    made = []
    time.sleep(1.1)  # a second later: the check's time differs from the making's
    unchanged = refresh_copy(archive, copy, on_making=lambda: made.append(True))
    assert not made and (unchanged.made_at, unchanged.generation) == (first.made_at, first.generation)
    assert unchanged.checked_at > first.checked_at
    assert iwfdb(archive, "load", FIXTURES / "speakers").exit_code == 0
    changed = refresh_copy(archive, copy, on_making=lambda: made.append(True))
    assert made and changed.generation > first.generation
    assert everything(copy, "statements", copy) == everything(archive, "statements", copy)


def test_a_copy_gone_or_of_an_older_schema_is_made_again_though_the_archive_did_not_change(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    refresh_copy(archive, copy)
    migrate.downgrade(locate(str(copy)), "0004")
    made = []
    refresh_copy(archive, copy, on_making=lambda: made.append("older"))
    assert rows(copy, "SELECT version_num FROM alembic_version") == [(migrate.HEAD_REVISION,)]
    copy.unlink()
    refresh_copy(archive, copy, on_making=lambda: made.append("gone"))
    assert made == ["older", "gone"] and rows(copy, "SELECT count(*) FROM statements")[0][0] > 0


def test_the_keeper_tells_a_failure_and_goes_on(archive, tmp_path):
    told = []
    keeper = CopyKeeper(locate("postgresql://nobody@127.0.0.1:1/none"), tmp_path / "copy.sqlite", 0.05, told.append)
    keeper.start()
    deadline = time.monotonic() + 30
    while len(told) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    keeper.stop()
    assert len(told) >= 2 and all(message.startswith("cannot use the archive at postgresql://") for message in told)


def test_a_reader_of_the_served_copy_goes_on_reading_while_it_is_replaced(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    make_copy(archive, copy)
    before = rows(copy, "SELECT count(*) FROM statements")[0][0]
    reader = sqlite3.connect(f"file:{copy}?mode=ro", uri=True, isolation_level=None)
    reader.execute("PRAGMA busy_timeout = 0")  # a reader made to wait would fail at once
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM statements").fetchone()[0] == before  # a read under way
    assert iwfdb(archive, "load", FIXTURES / "speakers").exit_code == 0
    started = time.monotonic()
    make_copy(archive, copy)
    assert time.monotonic() - started < 30
    assert reader.execute("SELECT count(*) FROM statements").fetchone()[0] == before  # its snapshot, unbroken
    reader.execute("COMMIT")
    after = reader.execute("SELECT count(*) FROM statements").fetchone()[0]
    reader.close()
    assert after == rows(archive, "SELECT count(*) FROM statements")[0][0] > before


def test_a_file_that_is_not_a_copy_of_this_archive_is_never_overwritten(archive, tmp_path):
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my notes\n")
    with pytest.raises(UsageError, match="notes.sqlite exists and is not a copy of postgresql://"):
        refresh_copy(archive, notes)
    assert notes.read_text() == "my notes\n"
    other = tmp_path / "other.sqlite"
    make_copy(archive, other)
    about_path(other).write_text(about_path(other).read_text().replace(archive.url.rsplit("/", 1)[1], "another"))
    with pytest.raises(UsageError, match="is not a copy of"):
        refresh_copy(archive, other)


def test_the_page_says_what_it_is_a_copy_of_and_when_without_the_password(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    with_password = locate(archive.url.replace("postgres@", "postgres:hunter2@"))
    about = make_copy(with_password, copy)
    browser = Browser(copy)
    try:
        home = browser.page("/")
        statement = browser.page(f"/{DATABASE}/statements/1")
    finally:
        browser.close()
    note = f"A copy of {str(with_password)} made at {about.made_at}, last found up to date at {about.checked_at}."
    assert ":***@" in note and note in home and note in statement
    assert "hunter2" not in home + about_path(copy).read_text()


def test_serve_on_postgresql_answers_from_its_copy_and_sees_a_load_within_its_refresh(archive, tmp_path):
    copy = tmp_path / "copy.sqlite"
    with ServeProcess(archive.url, "--copy", str(copy), "--refresh", "1") as server:
        assert [line.split(" in ")[0] for line in server.said_before][:1] == [f"Making a SQLite copy of {archive}"]
        assert f"Serving {archive} at" in server.first_line
        assert "A copy of postgresql://" in server.get("/")
        assert "Experts reply to the campaign" not in server.get(f"/{DATABASE}/statements.json?_shape=array")
        assert iwfdb(archive, "load", FIXTURES / "speakers").exit_code == 0
        deadline = time.monotonic() + 30
        while "Experts reply to the campaign" not in server.get(f"/{DATABASE}/statements.json?_shape=array"):
            assert time.monotonic() < deadline, "the copy was not brought up to date within 30 s"
            time.sleep(0.5)
        status, said = server.interrupt()
    assert status == 130 and "Traceback" not in said


def test_serve_on_postgresql_through_a_role_that_may_only_read(archive, tmp_path):
    from pg_databases import login_role, reading_role

    with pytest.raises(DatabaseError, match="permission denied for sequence iwfdb_write_count .the role needs more"):
        refresh_copy(reading_role(postgres_server(), archive), tmp_path / "refused.sqlite")

    reader = login_role(postgres_server(), archive, "copier", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
                        "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")  # fmt: skip
    copy = tmp_path / "copy.sqlite"
    make_copy(reader, copy)
    assert everything(copy, "quotes", copy) == everything(archive, "quotes", copy)


def test_a_cache_folder_that_cannot_be_made_is_an_error_that_says_to_choose_the_copy(archive, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be\n")
    result = iwfdb(archive, "serve", "--port", "0", env={"XDG_CACHE_HOME": str(blocked)})
    assert result.exit_code == 2, result.output
    assert f"error: cannot make the folder {blocked}/iwfdb/copies for the archive's copy" in result.stderr
    assert "choose where to keep it with --copy FILE" in result.stderr


def test_the_default_copy_is_one_file_per_archive_in_the_cache_folder(tmp_path, monkeypatch):
    from iwfdb.cli.serve_cmd import default_copy_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    one = default_copy_path(locate("postgresql://team:secret@db.example/iwfdb"))
    assert one.parent == tmp_path / "iwfdb" / "copies" and one.parent.is_dir() and "secret" not in str(one)
    assert one == default_copy_path(locate("postgresql://team:other@db.example/iwfdb"))  # the password names nothing
    assert one != default_copy_path(locate("postgresql://team@db.example/another"))

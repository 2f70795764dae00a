"""Migration 0003: full-text indexes that Datasette and sqlite-utils detect, kept in step as before, reached from
an archive of the previous release with no loss; views with an integer year and JSON lists."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from browse_helpers import require
from helpers import READ_FIXTURES, build_archive, iwfdb as run

from iwfdb.db import migrate
from iwfdb.db import locate

sqlite_utils = require("sqlite_utils", 'pip install -e ".[test]"')

SEARCHES = {"statements_fts": ["hash", "industry", "encryption", "online safety", "quokka"],
            "quotes_fts": ["complacent", "tech companies", "children"]}  # fmt: skip


def schema(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def found(database: Path) -> dict[tuple[str, str], list[int]]:
    """What each test search finds, index by index: rowids in order."""
    with sqlite3.connect(database) as connection:
        return {(index, words): [row[0] for row in connection.execute(
                    f"SELECT rowid FROM {index} WHERE {index} MATCH ? ORDER BY rowid", (words,))]
                for index, words_list in SEARCHES.items() for words in words_list}  # fmt: skip


def move_to(database: Path, revision: str, downgrade: bool = False) -> None:
    (migrate.downgrade if downgrade else migrate.upgrade)(locate(str(database)), revision)


@pytest.fixture
def archive(tmp_path) -> Path:
    return build_archive(READ_FIXTURES, tmp_path / "a.sqlite")


@pytest.fixture
def release_archive(tmp_path) -> Path:
    """An archive in the shape the previous release (revision 0002) writes, with the read fixtures in it."""
    database = build_archive(READ_FIXTURES, tmp_path / "release.sqlite")
    move_to(database, "0002", downgrade=True)
    return database


def test_sqlite_utils_and_datasette_detect_both_indexes(archive):
    from datasette.utils import detect_fts

    database = sqlite_utils.Database(archive)
    assert database["statements"].detect_fts() == "statements_fts"
    assert database["quotes"].detect_fts() == "quotes_fts"
    with sqlite3.connect(archive) as connection:
        assert detect_fts(connection, "statements") == "statements_fts"
        assert detect_fts(connection, "quotes") == "quotes_fts"
    assert [row["title"] for row in database["statements"].search("encryption")] == [
        "Our position on end-to-end encryption"]


def test_the_previous_release_shape_is_not_detected(release_archive):
    assert sqlite_utils.Database(release_archive)["statements"].detect_fts() is None


def test_an_archive_of_the_previous_release_upgrades_with_no_loss(release_archive, tmp_path):
    before = found(release_archive)
    assert before[("statements_fts", "hash")] and before[("quotes_fts", "complacent")]
    result = run(release_archive, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert found(release_archive) == before
    with sqlite3.connect(release_archive) as connection:
        for index in SEARCHES:
            connection.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
    assert run(release_archive, "db", "check").exit_code == 0


def test_downgrading_restores_the_previous_shape_word_for_word(tmp_path, release_archive):
    fresh = tmp_path / "fresh.sqlite"
    move_to(fresh, "0002")
    assert schema(release_archive) == schema(fresh)


def test_loads_after_the_upgrade_keep_both_indexes_in_step(release_archive, tmp_path):
    move_to(release_archive, "head")
    changed = tmp_path / "changed"
    changed.mkdir()
    for fixture in READ_FIXTURES.glob("*.txt"):
        text = fixture.read_text().replace("complacent", "unwavering").replace("encryption", "cryptography")
        (changed / fixture.name).write_text(text)
    result = run(release_archive, "load", str(changed))
    assert result.exit_code == 0, result.output
    database = sqlite_utils.Database(release_archive)
    assert [row["title"] for row in database["statements"].search("cryptography")] == [
        "Our position on end-to-end cryptography"]
    assert list(database["quotes"].search("complacent")) == []
    assert len(list(database["quotes"].search("unwavering"))) == 1
    assert run(release_archive, "db", "check").exit_code == 0


def test_a_writer_other_than_iwfdb_keeps_the_indexes_in_step(archive):
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE statements SET title = 'A statement about quokkas' WHERE id = 1")
        connection.execute("DELETE FROM quotes WHERE text LIKE 'We are never complacent%'")
    database = sqlite_utils.Database(archive)
    assert [row["id"] for row in database["statements"].search("quokkas")] == [1]
    assert list(database["quotes"].search("complacent")) == []
    assert run(archive, "db", "check").exit_code == 0  # the deleted quote's speakers went with it (a trigger)


def test_year_is_an_integer_in_the_views(archive):
    with sqlite3.connect(archive) as connection:
        assert connection.execute("SELECT count(*) FROM statement_overview WHERE year = 2024").fetchone() == (3,)
        assert connection.execute("SELECT count(*) FROM quote_details WHERE year = 2023").fetchone() == (3,)
        assert connection.execute("SELECT DISTINCT typeof(year) FROM statement_overview ORDER BY 1").fetchall() == [
            ("integer",), ("null",)]


def test_contact_phones_are_a_json_list_in_printed_order(archive):
    with sqlite3.connect(archive) as connection:
        # Positions, not ids, give the order: swap the first contact's two numbers.
        for old, new in ((0, 9), (1, 0), (9, 1)):
            connection.execute("UPDATE contact_phones SET position = ? WHERE contact_id = 1 AND position = ?",
                               (new, old))  # fmt: skip
        phones = dict(connection.execute("SELECT id, phones FROM contact_details"))
    assert json.loads(phones[1]) == ["+447929553679", "+441223203030"]
    assert json.loads(phones[2]) == ["+441223203030", "+447929553679"]


def test_a_number_without_e164_is_listed_as_printed(archive):
    with sqlite3.connect(archive) as connection:
        connection.execute(
            "UPDATE contact_phones SET e164 = NULL, raw = 'ext. 12' WHERE contact_id = 2 AND position = 0")
        (phones,) = connection.execute("SELECT phones FROM contact_details WHERE id = 2").fetchone()
    assert json.loads(phones) == ["ext. 12", "+447929553679"]


@pytest.mark.parametrize("stored, listed", [
    ("", []),
    ("@IWFhotline", ["@IWFhotline"]),
    ("@IWFhotline  linkedin.com/company/iwf\n@x", ["@IWFhotline", "linkedin.com/company/iwf", "@x"]),
    ('@say"hi"\\ @ünï', ['@say"hi"\\', "@ünï"]),
])  # fmt: skip
def test_contact_handles_are_a_json_list(archive, stored, listed):
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE contacts SET handles = ? WHERE id = 1", (stored,))
        (handles,) = connection.execute("SELECT handles FROM contact_details WHERE id = 1").fetchone()
    assert json.loads(handles) == listed

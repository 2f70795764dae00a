"""The read API (iwfdb.query) on an archive loaded from tests/fixtures/archive_read by `iwfdb load`."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest
from read_archive import READ_FIXTURES, build_archive, snapshot

from iwfdb import query
from iwfdb.errors import DatabaseError, IwfdbError, NotFoundError, UsageError
from iwfdb.query.connection import fts_phrases
from iwfdb.query.dates import day_after_period, iso_day

SEED_SLUG = "2017-03-07-iwfs-work-with-industry-and-social-networks"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_archive(READ_FIXTURES, tmp_path_factory.mktemp("read") / "archive.sqlite")


@pytest.fixture
def conn(db):
    with closing(query.open_archive(db)) as connection:
        yield connection


def titles(rows):
    return [row["title"] for row in rows]


def statements(conn, **wanted):
    return query.list_statements(conn, query.StatementFilter(**wanted))


# Opening the archive


def test_a_missing_archive_says_how_to_make_one(tmp_path):
    with pytest.raises(DatabaseError, match=r"no archive at .*nothing\.sqlite; run `iwfdb load FOLDER` first"):
        query.open_archive(tmp_path / "nothing.sqlite")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not the droids\n" * 100)
    with pytest.raises(DatabaseError, match="cannot read .*not a database"):
        query.open_archive(path)


def test_an_sqlite_file_without_a_schema_revision_is_not_an_archive(tmp_path):
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseError, match="not an iwfdb archive"):
        query.open_archive(path)


def _copy_with_revision(db, tmp_path, revision):
    copy = tmp_path / f"at-{revision}.sqlite"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        target.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        target.commit()
    return copy


def test_an_older_schema_asks_for_db_upgrade(db, tmp_path):
    with pytest.raises(DatabaseError, match=r"older than .*run `iwfdb db upgrade`"):
        query.open_archive(_copy_with_revision(db, tmp_path, "0000"))


def test_a_newer_schema_asks_to_upgrade_iwfdb(db, tmp_path):
    with pytest.raises(DatabaseError, match="newer iwfdb; upgrade iwfdb"):
        query.open_archive(_copy_with_revision(db, tmp_path, "9999"))


def test_the_connection_cannot_write(conn):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM statements")


# list_statements


def test_newest_first_with_undated_last(conn):
    rows = statements(conn)
    dates = [row["published"] for row in rows]
    assert dates == ["2024-12-16", "2024-10-15", "2024-09-25", "2023-04-10", "2021-05-12", "2019-11-14",
                     "2017-03-07", None]


def test_oldest_first(conn):
    dates = [row["published"] for row in statements(conn, oldest_first=True)]
    assert dates[:2] == ["2017-03-07", "2019-11-14"] and dates[-1] is None


def test_year_2024_is_the_three_card_only_statements(conn):
    rows = statements(conn, years=(2024,))
    assert len(rows) == 3
    assert all(row["card_only"] and row["quotes"] is None and row["source_path"] is None for row in rows)


def test_year_2017_is_the_full_statement_with_its_quote(conn):
    (row,) = statements(conn, years=(2017,))
    assert (row["slug"], row["card_only"], row["quotes"], row["contacts"]) == (SEED_SLUG, False, 1, 1)
    assert row["source_path"].endswith("2017_industry.txt")


def test_several_years(conn):
    assert [row["published"][:4] for row in statements(conn, years=(2019, 2023))] == ["2023", "2019"]


def test_from_and_to_take_whole_periods(conn):
    assert [r["published"] for r in statements(conn, date_from="2021", date_to="2023")] == ["2023-04-10", "2021-05-12"]
    assert [r["published"] for r in statements(conn, date_from="2023-04-10", date_to="2023-04")] == ["2023-04-10"]
    assert statements(conn, date_from="2023-04-11", date_to="2023-12-31") == []


def test_period_bounds():
    assert iso_day("2024", "--from") == "2024-01-01"
    assert day_after_period("2024", "--to") == "2025-01-01"
    assert day_after_period("2024-12", "--to") == "2025-01-01"
    assert day_after_period("2024-02-29", "--to") == "2024-03-01"
    with pytest.raises(UsageError, match="--from 'last week' is not a date"):
        iso_day("last week", "--from")


def test_kind_ignores_case(conn):
    assert titles(statements(conn, kind="news")) == ["The Image Hash List passes one million hashes"]


@pytest.mark.parametrize("spelling", ["Susie Hargreaves", "susie hargreaves obe", "Ms Hargreaves", "HARGREAVES",
                                      "Ms Susie Hargreaves, OBE"])
def test_any_spelling_of_a_speaker(conn, spelling):
    assert [row["published"] for row in statements(conn, speaker=spelling)] == ["2023-04-10", "2021-05-12",
                                                                                "2017-03-07"]


def test_an_unknown_speaker_is_not_found_with_a_suggestion(conn):
    with pytest.raises(NotFoundError, match="nobody called 'Susie Hargreeves'.*did you mean 'Susie Hargreaves'"):
        statements(conn, speaker="Susie Hargreeves")


def test_contact_filter(conn):
    assert [row["published"] for row in statements(conn, contact="emma hardy")] == ["2023-04-10", "2017-03-07"]


def test_text_filter_searches_statements_and_quotes(conn):
    assert titles(statements(conn, text="hashes")) == ["The Image Hash List passes one million hashes"]
    # "account" is only in a quote of the 2023 statement
    assert [r["published"] for r in statements(conn, text="account")] == ["2023-04-10"]


def test_full_only_and_limit(conn):
    assert not any(row["card_only"] for row in statements(conn, full_only=True))
    assert len(statements(conn, full_only=True)) == 5
    assert [row["published"] for row in statements(conn, limit=2)] == ["2024-12-16", "2024-10-15"]


@pytest.mark.parametrize("hostile", [
    "x'; DROP TABLE statements; --", "Statement' OR '1'='1", "\" OR 1=1 /*", "news -- comment", "%", "_",
])
def test_hostile_filter_values_are_data(conn, db, hostile):
    before = snapshot(db)
    assert statements(conn, kind=hostile) == []
    assert statements(conn, text=hostile + " x") == []
    with pytest.raises(NotFoundError):
        statements(conn, speaker=hostile)
    assert snapshot(db) == before


# show


def test_get_statement_by_id_slug_and_slug_start(conn):
    by_slug = query.get_statement(conn, SEED_SLUG)
    assert query.get_statement(conn, str(by_slug["id"])) == by_slug
    assert query.get_statement(conn, "2017-03-07-iwfs") == by_slug
    assert by_slug["title"] == "IWF's work with industry and social networks"
    assert [q["speaker"] for q in by_slug["quotes"]] == ["Susie Hargreaves"]
    (contact,) = by_slug["contacts"]
    assert contact["email"] is None and contact["email_hidden"] is True
    assert [phone["e164"] for phone in contact["phones"]] == ["+441223203030", "+447929553679"]
    targets = [link["target_title"] for link in by_slug["links"] if link["target"] == "statement"]
    assert "Why Our Work with the Adult Sector is Vital" in targets
    assert by_slug["source"]["path"].endswith("2017_industry.txt") and by_slug["source"]["role"] == "text"


def test_a_card_only_statement_says_who_named_it(conn):
    card = query.get_statement(conn, "2024-09-25-why-our-work-with-the-adult-sector-is-vital")
    assert card["card_only"] is True and card["body"] is None and card["quotes"] == []
    assert sorted(s["published"] for s in card["cited_by"]) == ["2017-03-07", "2023-04-10"]


@pytest.mark.parametrize("ref, suggestion", [
    ("2017-03-08-iwfs-work-with-industry-and-social-networks", SEED_SLUG),
    ("iwf's work with industry and social network", SEED_SLUG),
    ("iwfs-work", SEED_SLUG),  # part of a slug, without its date
    ("999", None),
])
def test_unknown_statements_are_not_found_with_suggestions(conn, ref, suggestion):
    with pytest.raises(NotFoundError, match=re.escape(f"no statement {ref!r}")) as caught:
        query.get_statement(conn, ref)
    expected = f"did you mean {suggestion}" if suggestion else "list statements with `iwfdb query`"
    assert expected in str(caught.value)


def test_an_ambiguous_slug_start_is_not_found(conn):
    with pytest.raises(NotFoundError, match=r"'2024-' begins several slugs \(2024-09-25-why-our-work.*\); give more of one"):
        query.get_statement(conn, "2024-")


# search


def test_fts_phrases_quote_every_token():
    assert fts_phrases('hash "list') == '"hash" """list"'
    assert fts_phrases("NEAR(a b) OR c*") == '"NEAR(a" "b)" "OR" "c*"'
    assert fts_phrases("e-mail - * ;") == '"e-mail"'
    with pytest.raises(UsageError, match="nothing to search for"):
        fts_phrases(' " * - ')


def test_search_ranks_statements_and_quotes_with_snippets(conn):
    hits = query.search(conn, "hash")
    assert hits[0]["title"] == "The Image Hash List passes one million hashes"
    assert hits[0]["match"] == "statement" and "[hash]" in hits[0]["snippet"].lower()
    assert [hit["score"] for hit in hits] == sorted(hit["score"] for hit in hits)
    quote_hits = query.search(conn, "account")
    assert [(h["match"], h["speaker"]) for h in quote_hits] == [("quote", "Tom Tugendhat"), ("statement", None)]


def test_search_words_must_all_match(conn):
    assert query.search(conn, "hash zebra") == []


@pytest.mark.parametrize("hostile", ['"', "self-generated", "NEAR(", "*", "hash AND OR NOT", "--", "a:b", "'; DROP",
                                     "NEAR-instantly", "^hash", "{title}: x"])
def test_search_input_is_data_by_default(conn, hostile):
    try:
        query.search(conn, hostile)
    except UsageError as error:  # input with no word at all
        assert "nothing to search for" in str(error)


def test_search_hyphenated_words_as_written(conn):
    hits = query.search(conn, "self-generated")
    assert hits and "“[self-generated]”" in hits[0]["snippet"]


def test_raw_search_passes_fts5_syntax(conn):
    slugs = {hit["slug"] for hit in query.search(conn, "hash* OR minister", raw=True)}
    assert "2019-11-14-the-image-hash-list-passes-one-million-hashes" in slugs
    hits = query.search(conn, "account OR hashes", raw=True)
    assert {(hit["match"], hit["published"]) for hit in hits} == {
        ("statement", "2019-11-14"), ("statement", "2023-04-10"), ("quote", "2023-04-10")}


@pytest.mark.parametrize("bad", ['"unclosed', "NEAR(", "a AND", "title:"])
def test_raw_search_syntax_errors_are_clear(conn, bad):
    with pytest.raises(IwfdbError, match="not a valid FTS5 query.*leave out --raw"):
        query.search(conn, bad, raw=True)


# quotes, contacts, people, stats


def test_quotes_by_any_spelling_and_year(conn):
    rows = query.list_quotes(conn, query.QuoteFilter(speaker="Ms Hargreaves", years=(2023,)))
    assert [row["text"][:25] for row in rows] == ["This is the worst year on", "We will not stop until ev"]
    assert {row["speaker"] for row in rows} == {"Susie Hargreaves"}


def test_quotes_text_and_order(conn):
    assert [r["speaker"] for r in query.list_quotes(conn, query.QuoteFilter(text="hold them"))] == ["Tom Tugendhat"]
    oldest = query.list_quotes(conn, query.QuoteFilter(oldest_first=True, limit=1))
    assert oldest[0]["published"] == "2017-03-07"


def test_contacts_with_phones(conn):
    rows = query.list_contacts(conn)
    assert [row["name"] for row in rows] == ["Emma Hardy", "Press Office", "Emma Hardy"]
    assert rows[1]["phones"] == ["+441223203030", "+447929553679"]
    assert [row["published"] for row in query.list_contacts(conn, name="Hardy")] == ["2023-04-10", "2017-03-07"]


def test_people_counts_and_roles(conn):
    people = {row["name"]: row for row in query.list_people(conn)}
    susie = people["Susie Hargreaves"]
    assert (susie["quotes"], susie["contacts"], susie["roles"]) == (4, 0, ["IWF CEO"])
    assert (susie["first_seen"], susie["last_seen"]) == ("2017-03-07", "2023-04-10")
    assert people["Emma Hardy"]["contacts"] == 2
    assert next(iter(people)) == "Susie Hargreaves"  # most appearances first


def test_stats(conn):
    rows = query.get_stats(conn)
    counts = {row["name"]: row["value"] for row in rows if row["group"] == "counts"}
    assert counts == {"statements": 8, "full_statements": 5, "card_only_statements": 3, "quotes": 6, "people": 5,
                      "contacts": 3, "links": counts["links"], "source_files": 5}
    per_year = [(row["name"], row["value"]) for row in rows if row["group"] == "per_year"]
    assert per_year == [("2017", 1), ("2019", 1), ("2021", 1), ("2023", 1), ("2024", 3), ("undated", 1)]
    top = [(row["name"], row["value"]) for row in rows if row["group"] == "top_speakers"]
    assert top[0] == ("Susie Hargreaves", 4)

"""The read API (iwfdb.query) on the archive of tests/fixtures/archive_read, on each backend."""

from __future__ import annotations

import re

import pytest
from helpers import snapshot

from iwfdb import query, records
from iwfdb.db import Purpose, open_archive
from iwfdb.errors import IwfdbError, NotFoundError, UsageError
from iwfdb.query.dates import day_after_period, iso_day

SEED_SLUG = "2017-03-07-iwfs-work-with-industry-and-social-networks"


@pytest.fixture
def conn(read_db):
    with open_archive(read_db, Purpose.READ) as archive:
        yield archive


def titles(rows):
    return [row.title for row in rows]


def statements(conn, **wanted):
    return query.list_statements(conn, query.StatementFilter(**wanted)).items


def get_statement(conn, ref):
    return query.find_statement(conn, ref).statement


# list_statements


def test_newest_first_with_undated_last(conn):
    rows = statements(conn)
    dates = [row.published for row in rows]
    assert dates == ["2024-12-16", "2024-10-15", "2024-09-25", "2023-04-10", "2021-05-12", "2019-11-14",
                     "2017-03-07", None]


def test_oldest_first(conn):
    dates = [row.published for row in statements(conn, oldest_first=True)]
    assert dates[:2] == ["2017-03-07", "2019-11-14"] and dates[-1] is None


def test_year_2024_is_the_three_card_only_statements(conn):
    rows = statements(conn, years=(2024,))
    assert len(rows) == 3
    assert all(row.card_only and row.quotes is None and row.source_path is None for row in rows)


def test_year_2017_is_the_full_statement_with_its_quote(conn):
    (row,) = statements(conn, years=(2017,))
    assert (row.slug, row.card_only, row.quotes, row.contacts) == (SEED_SLUG, False, 1, 1)
    assert row.source_path.endswith("2017_industry.txt")


def test_several_years(conn):
    assert [row.published[:4] for row in statements(conn, years=(2019, 2023))] == ["2023", "2019"]


def test_from_and_to_take_whole_periods(conn):
    assert [r.published for r in statements(conn, date_from="2021", date_to="2023")] == ["2023-04-10", "2021-05-12"]
    assert [r.published for r in statements(conn, date_from="2023-04-10", date_to="2023-04")] == ["2023-04-10"]
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
    assert [row.published for row in statements(conn, speaker=spelling)] == ["2023-04-10", "2021-05-12",
                                                                                "2017-03-07"]


def test_an_unknown_speaker_is_not_found_with_a_suggestion(conn):
    with pytest.raises(NotFoundError, match="nobody called 'Susie Hargreeves'.*did you mean 'Susie Hargreaves'"):
        statements(conn, speaker="Susie Hargreeves")


def test_contact_filter(conn):
    assert [row.published for row in statements(conn, contact="emma hardy")] == ["2023-04-10", "2017-03-07"]


def test_text_filter_searches_statements_and_quotes(conn):
    assert titles(statements(conn, text="hashes")) == ["The Image Hash List passes one million hashes"]
    # "account" is only in a quote of the 2023 statement
    assert [r.published for r in statements(conn, text="account")] == ["2023-04-10"]


def test_full_only_and_limit(conn):
    assert not any(row.card_only for row in statements(conn, full_only=True))
    assert len(statements(conn, full_only=True)) == 5
    assert [row.published for row in statements(conn, limit=2)] == ["2024-12-16", "2024-10-15"]


@pytest.mark.parametrize("hostile", [
    "x'; DROP TABLE statements; --", "Statement' OR '1'='1", "\" OR 1=1 /*", "news -- comment", "%", "_",
])
def test_hostile_filter_values_are_data(conn, read_db, hostile):
    before = snapshot(read_db)
    assert statements(conn, kind=hostile) == []
    assert statements(conn, text=hostile + " x") == []
    with pytest.raises(NotFoundError):
        statements(conn, speaker=hostile)
    assert snapshot(read_db) == before


# show


def test_get_statement_by_id_slug_and_slug_start(conn):
    by_slug = get_statement(conn, SEED_SLUG)
    assert get_statement(conn, str(by_slug.id)) == by_slug
    assert get_statement(conn, "2017-03-07-iwfs") == by_slug
    assert by_slug.title == "IWF's work with industry and social networks"
    assert [q.speaker for q in by_slug.quotes] == ["Susie Hargreaves"]
    (contact,) = by_slug.contacts
    assert contact.email is None and contact.email_hidden is True
    assert [phone.e164 for phone in contact.phones] == ["+441223203030", "+447929553679"]
    targets = [link.target_title for link in by_slug.links if link.target == "statement"]
    assert "Why Our Work with the Adult Sector is Vital" in targets
    assert by_slug.source.path.endswith("2017_industry.txt") and by_slug.source.role == "text"


def test_a_card_only_statement_says_who_named_it(conn):
    card = get_statement(conn, "2024-09-25-why-our-work-with-the-adult-sector-is-vital")
    assert card.card_only is True and card.body is None and card.quotes == ()
    assert sorted(s.published for s in card.cited_by) == ["2017-03-07", "2023-04-10"]


@pytest.mark.parametrize("ref, suggestion", [
    ("2017-03-08-iwfs-work-with-industry-and-social-networks", SEED_SLUG),
    ("iwf's work with industry and social network", SEED_SLUG),
    ("iwfs-work", SEED_SLUG),  # part of a slug, without its date
    ("999", None),
])
def test_unknown_statements_are_not_found_with_suggestions(conn, ref, suggestion):
    with pytest.raises(NotFoundError, match=re.escape(f"no statement {ref!r}")) as caught:
        get_statement(conn, ref)
    expected = f"did you mean {suggestion}" if suggestion else "list statements with `iwfdb query`"
    assert expected in str(caught.value)


def test_an_ambiguous_slug_start_is_not_found(conn):
    with pytest.raises(NotFoundError, match=r"'2024-' begins several slugs \(2024-09-25-why-our-work.*\); give more of one"):
        get_statement(conn, "2024-")


# search


def search(conn, words, **options):
    return query.search(conn, words, **options).items


def list_quotes(conn, wanted):
    return query.list_quotes(conn, wanted).items


def list_contacts(conn, **options):
    return query.list_contacts(conn, **options).items


def list_people(conn, **options):
    return query.list_people(conn, **options).items


def test_the_words_of_a_search_are_data(conn):
    if conn.side.NAME == "sqlite":
        assert conn.side.search_terms('hash "list', raw=False) == '"hash" """list"'
        assert conn.side.search_terms("NEAR(a b) OR c*", raw=False) == '"NEAR(a" "b)" "OR" "c*"'
        assert conn.side.search_terms("e-mail - * ;", raw=False) == '"e-mail"'
    with pytest.raises(UsageError, match="nothing to search for"):
        search(conn, ' " * - ')


def test_search_ranks_statements_and_quotes_with_snippets(conn):
    hits = search(conn, "hash")
    assert hits[0].title == "The Image Hash List passes one million hashes"
    assert hits[0].match == "statement" and "[hash]" in hits[0].snippet.lower()
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits)
    quote_hits = search(conn, "account")
    assert [(h.match, h.speaker) for h in quote_hits] == [("quote", "Tom Tugendhat"), ("statement", None)]


def test_search_words_must_all_match(conn):
    assert search(conn, "hash zebra") == []


def test_a_nul_in_the_words_of_a_search_separates_them(conn):
    assert [hit.title for hit in search(conn, "hash\x00list")] == [hit.title for hit in search(conn, "hash list")] != []
    assert titles(statements(conn, text="\x00hash\x00")) == titles(statements(conn, text="hash")) != []
    with pytest.raises(UsageError, match="nothing to search for"):
        search(conn, "\x00")


@pytest.mark.parametrize("hostile", ['"', "self-generated", "NEAR(", "*", "hash AND OR NOT", "--", "a:b", "'; DROP",
                                     "NEAR-instantly", "^hash", "{title}: x"])
def test_search_input_is_data_by_default(conn, hostile):
    try:
        search(conn, hostile)
    except UsageError as error:  # input with no word at all
        assert "nothing to search for" in str(error)


def test_search_hyphenated_words_as_written(conn):
    hits = search(conn, "self-generated")
    assert hits and re.search(r"“\[self(-|\]-\[)generated\]”", hits[0].snippet), hits  # FTS5 marks the phrase


# The engine's own query syntax, with --raw: FTS5's on SQLite, to_tsquery's on PostgreSQL.
RAW = {"sqlite": {"prefix or": "hash* OR minister", "or": "account OR hashes"},
       "postgresql": {"prefix or": "hash:* | minister", "or": "account | hashes"}}  # fmt: skip
BAD_RAW = {"sqlite": ['"unclosed', "NEAR(", "a AND", "title:"], "postgresql": ["a &", "(unclosed", "!", "a <-> "]}


def test_raw_search_passes_the_engines_syntax(conn):
    syntax = RAW[conn.side.NAME]
    slugs = {hit.slug for hit in search(conn, syntax["prefix or"], raw=True)}
    assert "2019-11-14-the-image-hash-list-passes-one-million-hashes" in slugs
    hits = search(conn, syntax["or"], raw=True)
    assert {(hit.match, hit.published) for hit in hits} == {
        ("statement", "2019-11-14"), ("statement", "2023-04-10"), ("quote", "2023-04-10")}


def test_raw_search_syntax_errors_are_clear(conn):
    for bad in BAD_RAW[conn.side.NAME]:
        with pytest.raises(IwfdbError, match=f"not a valid {conn.side.SEARCH_SYNTAX} query.*leave out --raw"):
            search(conn, bad, raw=True)


# quotes, contacts, people, stats


def test_quotes_by_any_spelling_and_year(conn):
    rows = list_quotes(conn, query.QuoteFilter(speaker="Ms Hargreaves", years=(2023,)))
    assert [row.text[:25] for row in rows] == ["This is the worst year on", "We will not stop until ev"]
    assert {row.speaker for row in rows} == {"Susie Hargreaves"}


def test_quotes_text_and_order(conn):
    assert [r.speaker for r in list_quotes(conn, query.QuoteFilter(text="hold them"))] == ["Tom Tugendhat"]
    oldest = list_quotes(conn, query.QuoteFilter(oldest_first=True, limit=1))
    assert oldest[0].published == "2017-03-07"


def test_contacts_with_phones(conn):
    rows = list_contacts(conn)
    assert [row.name for row in rows] == ["Emma Hardy", "Press Office", "Emma Hardy"]
    assert rows[1].phones == ("+441223203030", "+447929553679")
    assert [row.published for row in list_contacts(conn, name="Hardy")] == ["2023-04-10", "2017-03-07"]


def test_people_counts_and_roles(conn):
    people = {row.name: row for row in list_people(conn)}
    susie = people["Susie Hargreaves"]
    assert (susie.quotes, susie.contacts, susie.roles) == (4, 0, ("IWF CEO",))
    assert (susie.first_seen, susie.last_seen) == ("2017-03-07", "2023-04-10")
    assert people["Emma Hardy"].contacts == 2
    assert next(iter(people)) == "Susie Hargreaves"  # most appearances first


def test_stats(conn):
    rows = query.get_stats(conn)
    counts = {row.name: row.value for row in rows if row.group == "counts"}
    assert counts == {"statements": 8, "full_statements": 5, "card_only_statements": 3, "quotes": 6, "people": 4,
                      "organisations": 1,
                      "contacts": 3, "links": counts["links"], "source_files": 5}
    per_year = [(row.name, row.value) for row in rows if row.group == "per_year"]
    assert per_year == [("2017", 1), ("2019", 1), ("2021", 1), ("2023", 1), ("2024", 3), ("undated", 1)]
    top = [(row.name, row.value) for row in rows if row.group == "top_speakers"]
    assert top[0] == ("Susie Hargreaves", 4)


# export


def test_export_reads_a_chunk_of_statements_with_one_query_a_table_not_one_a_statement(conn):
    """On a server each query is a round trip: 1,500 statements at 11 queries each took 25 s on PostgreSQL."""
    asked = []
    execute = conn.execute
    conn.execute = lambda sql, params=(): asked.append(sql) or execute(sql, params)
    exported = list(query.export_statements(conn))
    del conn.execute
    statements = len(exported)
    assert statements >= 6 and len(asked) <= 11, (statements, len(asked))
    # Read together, each statement has the very parts it has read alone (quotes, contacts, links... by owner).
    from iwfdb.store.stored import as_parsed, read_statement

    for record in exported:
        alone = read_statement(conn, record["id"])
        assert record == {"id": alone.id, "slug": alone.slug, "card_only": alone.card_only, "sha256": alone.sha256,
                          "source": alone.source.path if alone.source and not alone.card_only else None,
                          **records.to_jsonable(as_parsed(alone))}  # fmt: skip


# search on PostgreSQL: a common word ranks at most SEARCH_RANKED matches, the newest


@pytest.fixture
def common_word_archive(archives, tmp_path):
    """Six statements that all say 'quokka': the oldest in its title (the best match), the others in passing."""
    from helpers import iwfdb, statement_file

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "0.txt").write_text(statement_file("Quokka quokka report", 0, 0, "Quokka quokka quokka."))
    for day in range(1, 6):
        (folder / f"{day}.txt").write_text(statement_file(f"Report {day}", day * 30, 0, "A quokka was seen."))
    db = archives.new("postgresql", tmp_path)
    assert iwfdb(db, "load", folder).exit_code == 0
    with open_archive(db, Purpose.READ) as archive:
        yield archive


def test_postgresql_search_ranks_all_matches_of_a_word_under_the_limit(common_word_archive):
    hits = query.search(common_word_archive, "quokka", limit=3).items
    assert hits[0].title == "Quokka quokka report"


def test_postgresql_search_of_a_common_word_ranks_only_the_newest_matches(common_word_archive, monkeypatch):
    monkeypatch.setattr("iwfdb.db.postgres.SEARCH_RANKED", 3)
    page = query.search(common_word_archive, "quokka", limit=2)
    assert page.total == 6 and "Quokka quokka report" not in titles(page.items)  # the oldest, not ranked
    assert set(titles(page.items)) <= {"Report 3", "Report 4", "Report 5"}
    # A page past the limit ranks as many as it reaches: every match can still be paged to.
    seen = [hit.title for offset in range(0, 6, 2) for hit in query.search(common_word_archive, "quokka", limit=2,
                                                                             offset=offset).items]  # fmt: skip
    assert sorted(seen) == sorted(["Quokka quokka report"] + [f"Report {day}" for day in range(1, 6)])

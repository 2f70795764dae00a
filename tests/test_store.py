"""The store with hand-made statements: idempotent re-loads, revisions, card-only rows, failed files."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

import pytest
from helpers import CARDS, VALID, FakeParser, rows, seed_statement, snapshot

from iwfdb.db import Purpose, open_archive, sqlite
from iwfdb.errors import UsageError
from iwfdb.parse import PARSER_VERSION
from iwfdb.query import search
from iwfdb.records import Paragraph, ParsedFile, Quote, RelatedCard, parsed_file_to_dict
from iwfdb.store import batch
from iwfdb.store.load import load_paths
from iwfdb.store.session import WriteSession
from iwfdb.store.statements import StatementRows

ADULT_SECTOR = seed_statement(
    title="Why Our Work with the Adult Sector is Vital", published=date(2024, 9, 25), summary=None,
    body=(Paragraph("Two years ago, IWF took a decision.", 4),), related=(), links=(), contacts=(),
    quotes=(Quote("Susie Hargreaves OBE", "person", "CEO", None, "It is vital.", 6, "Susie Hargreaves OBE said:"),),
)  # fmt: skip


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_statement_becomes_its_rows(db, inbox):
    write(inbox, "seed.txt", "seed")
    report = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()))
    assert report.files == {"new": 1, "updated": 0, "reread": 0, "unchanged": 0, "duplicate": 0, "failed": 0, "failed_before": 0, "not_statement": 0}
    assert (report.rows.statements_added, report.rows.quotes_added, report.rows.links_added) == (4, 1, 4)
    assert rows(db, "SELECT count(*), count(*) FILTER (WHERE card_only) FROM statements") == [(4, 3)]
    phones = rows(db, "SELECT e164 FROM contact_phones ORDER BY position")
    assert phones == [("+441223203030",), ("+447929553679",)]
    links = rows(db, "SELECT position, url, target_title FROM link_details ORDER BY position")
    assert links == [(0, "https://www.iwf.org.uk", None)] + [(i + 1, None, card.title) for i, card in enumerate(CARDS)]
    people = rows(db, "SELECT name, kind FROM people ORDER BY name")
    assert people == [("Emma Hardy", "person"), ("Susie Hargreaves", "person")]
    with open_archive(db, Purpose.READ) as archive:
        assert [hit.statement_id for hit in search(archive, "industry").items] == [1]


def test_loading_the_same_files_again_changes_no_row_and_parses_nothing(db, inbox):
    write(inbox, "seed.txt", "seed")
    write(inbox, "bad.txt", "FAIL")
    parser = FakeParser(seed=seed_statement())
    first = load_paths(db, [inbox], parse=parser)
    assert first.files["failed"] == 1 and len(first.failures) == 1
    before, calls = snapshot(db), parser.calls
    report = load_paths(db, [inbox], parse=parser)
    assert (report.files["unchanged"], report.files["failed"], report.files["failed_before"]) == (1, 0, 1)
    assert report.failures == []  # a file that failed the same way before is counted, not reported again
    assert snapshot(db) == before
    assert parser.calls == calls  # not even the failed file is parsed again: the same bytes would fail the same way


def test_a_failed_file_is_read_again_when_its_bytes_or_the_parser_change(db, inbox, monkeypatch):
    bad = write(inbox, "bad.txt", "FAIL")
    parser = FakeParser(seed=seed_statement())
    load_paths(db, [inbox], parse=parser)
    bad.write_text("FAIL, but other bytes")
    assert load_paths(db, [inbox], parse=parser).files["failed"] == 1
    monkeypatch.setattr("iwfdb.store.load.PARSER_VERSION", PARSER_VERSION + 1)
    assert load_paths(db, [inbox], parse=parser).files["failed"] == 1
    assert parser.calls == 3


def test_a_file_an_older_parser_read_is_read_again_and_kept_as_a_revision_if_it_reads_otherwise(db, inbox, monkeypatch):
    write(inbox, "seed.txt", "seed")
    load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()))
    monkeypatch.setattr("iwfdb.store.load.PARSER_VERSION", PARSER_VERSION + 1)
    same = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()))
    assert same.files["reread"] == 1 and same.rows.revisions_added == 0  # it reads the same: nothing to keep
    assert rows(db, "SELECT parser_version FROM sources") == [(PARSER_VERSION + 1,)]
    monkeypatch.setattr("iwfdb.store.load.PARSER_VERSION", PARSER_VERSION + 2)
    better = seed_statement(quotes=(Quote("Susie Hargreaves", "person", "CEO", None, "Better read.", 17, "She said:"),))
    report = load_paths(db, [inbox], parse=FakeParser(seed=better))
    assert report.files["reread"] == 1 and report.rows.revisions_added == 1
    assert rows(db, "SELECT text FROM quotes") == [("Better read.",)]
    ((record,),) = rows(db, "SELECT record FROM revisions")
    assert json.loads(record)["quotes"][0]["text"] == "We are never complacent."


def test_a_changed_file_updates_in_place_and_keeps_the_old_version(db, inbox):
    path = write(inbox, "seed.txt", "v1")
    new_quote = Quote(None, "unknown", None, None, "A new quote.", 20, "The report reads:")
    parser = FakeParser(v1=seed_statement(), v2=seed_statement(summary="Now with a summary.", quotes=(new_quote,)))
    load_paths(db, [path], parse=parser)
    old = ParsedFile(str(path), "", 0, seed_statement())
    path.write_text("v2")
    report = load_paths(db, [path], parse=parser)
    assert report.files["updated"] == 1 and report.rows.revisions_added == 1
    assert rows(db, "SELECT id, summary FROM statements WHERE NOT card_only") == [(1, "Now with a summary.")]
    assert rows(db, "SELECT person_id, text FROM quotes") == [(None, "A new quote.")]
    ((record,),) = rows(db, "SELECT record FROM revisions WHERE statement_id = 1")
    kept = json.loads(record)
    expected = parsed_file_to_dict(old)
    assert kept.keys() == expected.keys()
    for name in ("title", "published", "quotes", "contacts", "links", "sections"):
        assert kept[name] == expected[name], name
    assert kept["body"] == expected["body"]
    assert [card["title"] for card in kept["related"]] == [card.title for card in CARDS]
    assert rows(db, "SELECT outcome FROM sources") == [("updated",)]


def test_a_card_only_statement_becomes_full_with_the_same_id_and_links(db, inbox):
    write(inbox, "a_seed.txt", "seed")
    parser = FakeParser(seed=seed_statement(), adult=ADULT_SECTOR)
    load_paths(db, [inbox], parse=parser)
    ((card_id,),) = rows(db, "SELECT id FROM statements WHERE title LIKE 'Why Our Work%'")
    write(inbox, "b_adult.txt", "adult")
    report = load_paths(db, [inbox], parse=parser)
    assert (report.rows.statements_completed, report.rows.statements_updated, report.rows.revisions_added) == (1, 0, 0)
    assert rows(db, "SELECT id, card_only FROM statements WHERE title LIKE 'Why Our Work%'") == [(card_id, 0)]
    assert rows(db, "SELECT count(*) FROM links WHERE target_statement_id = ?", card_id) == [(1,)]
    assert rows(db, "SELECT count(*) FROM statements") == [(4,)]
    # "Susie Hargreaves OBE" in the second file is the same person as "Susie Hargreaves" in the first.
    assert rows(db, "SELECT count(DISTINCT person_id) FROM quotes") == [(1,)]


def test_a_card_of_an_archived_statement_links_to_it(db, inbox):
    write(inbox, "a_adult.txt", "adult")
    write(inbox, "b_seed.txt", "seed")
    load_paths(db, [inbox], parse=FakeParser(seed=seed_statement(), adult=ADULT_SECTOR))
    assert rows(db, "SELECT id, card_only FROM statements WHERE title LIKE 'Why Our Work%'") == [(1, 0)]
    assert rows(db, "SELECT count(*) FROM links WHERE target_statement_id = 1") == [(1,)]


def test_a_file_that_cannot_be_written_leaves_nothing_behind(db, inbox, monkeypatch):
    write(inbox, "a_seed.txt", "seed")
    write(inbox, "b_adult.txt", "adult")
    real = StatementRows.save

    def save_a_broken_row_for_another_statement(self, parsed, *arguments):
        saved = real(self, parsed, *arguments)
        if parsed.statement.title == "Another statement":  # a quote of a statement that does not exist
            broken = {**self.pending.inserts["quotes"][-1], "id": 10**9, "statement_id": 10**9, "position": 99}
            self.pending.inserts["quotes"].append(broken)
        return saved

    monkeypatch.setattr(StatementRows, "save", save_a_broken_row_for_another_statement)
    extra = seed_statement(title="Another statement", related=(RelatedCard("New card", None, None, None, 9),))
    report = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement(), adult=extra))
    assert report.files["new"] == 1 and report.files["failed"] == 1
    failed = inbox / "b_adult.txt"
    (failure,) = report.failures
    assert str(failure).startswith(f"{failed}: cannot archive this statement: ")
    assert "foreign key" in str(failure).lower()
    assert rows(db, "SELECT count(*) FROM statements WHERE title IN ('Another statement', 'New card')") == [(0,)]
    assert rows(db, "SELECT outcome FROM sources ORDER BY path") == [("loaded",), ("failed",)]
    assert (report.rows.statements_added, report.rows.quotes_added) == (4, 1)


def test_the_same_bytes_at_a_new_path_are_a_duplicate(db, inbox):
    write(inbox, "a.txt", "seed")
    write(inbox, "copy/a.txt", "seed")
    report = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()))
    assert report.files["new"] == 1 and report.files["duplicate"] == 1
    assert rows(db, "SELECT outcome FROM sources ORDER BY path") == [("loaded",), ("duplicate",)]
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(1,)]


def test_the_same_statement_in_two_files_with_different_text_is_one_statement(db, inbox):
    write(inbox, "a.txt", "seed")
    write(inbox, "b.txt", "again")
    parser = FakeParser(seed=seed_statement(), again=seed_statement(summary="A later crawl."))
    report = load_paths(db, [inbox], parse=parser)
    assert report.files["new"] == 2 and report.rows.statements_updated == 1
    assert rows(db, "SELECT summary FROM statements WHERE NOT card_only") == [("A later crawl.",)]
    assert rows(db, "SELECT source_path FROM revisions") == [(str(inbox / "a.txt"),)]


def test_two_statements_with_one_title_on_different_days_stay_apart(db, inbox):
    write(inbox, "a.txt", "one")
    write(inbox, "b.txt", "two")
    parser = FakeParser(
        one=seed_statement(title="Statement", related=()),
        two=seed_statement(title="Statement", published=date(2018, 1, 1), related=()),
    )
    load_paths(db, [inbox], parse=parser)
    slugs = rows(db, "SELECT slug FROM statements ORDER BY id")
    assert slugs == [("2017-03-07-statement",), ("2018-01-01-statement",)]


def test_a_statement_without_title_is_updated_by_its_file(db, inbox):
    path = write(inbox, "page.txt", "v1")
    untitled = seed_statement(title=None, related=())
    parser = FakeParser(v1=untitled, v2=seed_statement(title=None, related=(), summary="v2"))
    load_paths(db, [path], parse=parser)
    path.write_text("v2")
    load_paths(db, [path], parse=parser)
    assert rows(db, "SELECT slug, match_key, summary FROM statements") == [
        ("2017-03-07-page", "file:page.txt|2017-03-07", "v2")
    ]


def test_strict_stops_at_the_first_failure_and_keeps_what_came_before(db, inbox):
    for name, text in (("a.txt", "seed"), ("b.txt", "FAIL"), ("c.txt", "adult")):
        write(inbox, name, text)
    parser = FakeParser(seed=seed_statement(), adult=ADULT_SECTOR)
    report = load_paths(db, [inbox], parse=parser, strict=True, batch_size=1)
    assert report.stopped_early and report.files["new"] == 1 and report.files["failed"] == 1
    query = "SELECT outcome, error LIKE '%b.txt:1:1: not a statement' FROM sources ORDER BY path"
    assert rows(db, query) == [("loaded", None), ("failed", 1)]


def test_files_above_the_size_limit_are_refused_unread(db, inbox):
    write(inbox, "big.txt", "seed" + " " * 2000)
    report = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()), max_size=1000)
    assert report.files["failed"] == 1 and "more than the limit of 1000 bytes" in str(report.failures[0])
    assert rows(db, "SELECT size, sha256, outcome FROM sources") == [(2004, None, "failed")]


def test_a_path_that_does_not_exist_is_a_usage_error_before_anything_is_written(db, inbox):
    with pytest.raises(UsageError, match="no such file or folder"):
        load_paths(db, [inbox / "missing"], parse=FakeParser())
    assert rows(db, "SELECT count(*) FROM sources") == [(0,)]


def test_batches_commit_every_so_many_files(db, inbox):
    for number in range(5):
        write(inbox, f"{number}.txt", f"s{number}")
    statements = {f"s{n}": seed_statement(title=f"Statement {n}", related=()) for n in range(5)}
    report = load_paths(db, [inbox], parse=FakeParser(**statements), batch_size=2)
    assert report.files["new"] == 5
    assert rows(db, "SELECT count(*) FROM statements") == [(5,)]


def test_a_batch_counts_the_files_it_writes_so_a_re_load_with_few_changes_commits_few_times(db, inbox, monkeypatch):
    for number in range(30):
        write(inbox, f"{number:02}.txt", f"s{number}")
    statements = {f"s{n}": seed_statement(title=f"Statement {n}", related=()) for n in range(30)}
    statements["changed"] = seed_statement(title="Statement 7", related=(), summary="Now with a summary.")
    load_paths(db, [inbox], parse=FakeParser(**statements), batch_size=2)
    commits = []
    original = WriteSession.commit
    monkeypatch.setattr(WriteSession, "commit", lambda self, replay: commits.append(1) or original(self, replay))
    write(inbox, "07.txt", "changed")
    report = load_paths(db, [inbox], parse=FakeParser(**statements), batch_size=2)
    assert report.files["updated"] == 1 and report.files["unchanged"] == 29
    assert len(commits) == 1  # 29 files read and one written: not 15 batches of two
    assert rows(db, "SELECT summary FROM statements WHERE title = 'Statement 7'") == [("Now with a summary.",)]


def test_a_batch_the_archive_refuses_whole_is_written_again_file_by_file_and_loses_no_outcome(db, inbox, monkeypatch):
    write(inbox, "a.txt", "s1")
    write(inbox, "b.txt", "FAIL: not a statement")
    write(inbox, "c.txt", "s2" + " padding" * 40)  # larger than max_size: refused unread
    statements = {"s1": seed_statement(title="One", related=()), "s2": seed_statement(title="Two", related=())}
    original, calls = WriteSession.commit, []
    write_pending, refused = WriteSession.write_pending, []

    def commit_refused_once(self, replay):
        calls.append(1)
        return original(self, replay)

    def refused_once(self):
        if calls and not refused:  # as another writer's row would make it: the batch cannot be written whole
            refused.append(1)
            raise self.archive.side.IntegrityError("UNIQUE constraint failed (simulated)")
        return write_pending(self)

    monkeypatch.setattr(WriteSession, "commit", commit_refused_once)
    monkeypatch.setattr(WriteSession, "write_pending", refused_once)
    report = load_paths(db, [inbox], parse=FakeParser(**statements), max_size=100)
    assert (report.files["new"], report.files["failed"]) == (1, 2) and len(calls) == 1 and refused == [1]
    assert rows(db, "SELECT path LIKE '%b.txt', outcome FROM sources ORDER BY path") == [
        (False, "loaded"), (True, "failed"), (False, "failed")]
    assert rows(db, "SELECT title FROM statements WHERE NOT card_only") == [("One",)]


def test_only_a_cold_load_lets_its_batches_reach_the_disk_lazily_and_it_ends_durable(db, inbox, monkeypatch):
    for number in range(5):
        write(inbox, f"{number}.txt", f"s{number}")
    statements = {f"s{n}": seed_statement(title=f"Statement {n}", related=()) for n in range(5)}
    calls = []
    with open_archive(db, Purpose.INSPECT) as archive:
        side = archive.side
    for name in ("relax_durability", "restore_durability"):
        monkeypatch.setattr(side, name, lambda connection, name=name: calls.append(name))
    load_paths(db, [inbox], parse=FakeParser(**statements), batch_size=2)
    assert calls == ["relax_durability", "restore_durability"]  # from the second batch on, until the end
    calls.clear()
    write(inbox, "5.txt", "s5")
    load_paths(db, [inbox], parse=FakeParser(**statements, s5=seed_statement(title="Five", related=())), batch_size=2)
    assert calls == []  # the archive held statements: every commit waits for the disk


def test_a_cold_load_builds_the_full_text_index_at_its_end_and_leaves_fts5_settings_as_they_were(sqlite_db, inbox):
    for number in range(3):
        write(inbox, f"{number}.txt", f"s{number}")
    statements = {f"s{n}": seed_statement(title=f"Statement {n} about hashing", related=()) for n in range(3)}
    load_paths(sqlite_db, [inbox], parse=FakeParser(**statements), batch_size=2)
    with open_archive(sqlite_db) as archive:
        found = sorted(hit.title for hit in search(archive, "hashing").items)
    assert found == [f"Statement {n} about hashing" for n in range(3)]
    for table in ("statements_fts", "quotes_fts"):  # the rebuild's larger buffer is not left behind
        assert rows(sqlite_db, f"SELECT v FROM {table}_config WHERE k = 'hashsize'") == [(1 << 20,)]
    assert rows(sqlite_db, "SELECT count(*) FROM fts_paused") == [(0,)]


def test_a_file_restored_to_its_archived_bytes_adds_no_revision(db, inbox):
    path = write(inbox, "seed.txt", "seed")
    parser = FakeParser(seed=seed_statement())
    load_paths(db, [path], parse=parser)
    path.write_text("FAIL: a broken edit")
    assert load_paths(db, [path], parse=parser).files["failed"] == 1
    path.write_text("seed")
    report = load_paths(db, [path], parse=parser)
    assert report.files["updated"] == 1 and report.rows.revisions_added == 0
    assert rows(db, "SELECT count(*) FROM revisions") == [(0,)]
    assert rows(db, "SELECT outcome, error FROM sources") == [("updated", None)]
    assert rows(db, "SELECT count(*) FROM quotes") == [(1,)]


def test_a_file_that_failed_at_first_is_new_when_it_loads(db, inbox):
    path = write(inbox, "seed.txt", "FAIL: not yet")
    parser = FakeParser(seed=seed_statement())
    assert load_paths(db, [path], parse=parser).files["failed"] == 1
    path.write_text("seed")
    report = load_paths(db, [path], parse=parser)
    assert report.files["new"] == 1
    assert rows(db, "SELECT outcome, error FROM sources") == [("loaded", None)]


def test_a_duplicate_says_where_its_bytes_are_archived(db, inbox):
    original = write(inbox, "a.txt", "seed")
    copy = write(inbox, "copy/a.txt", "seed")
    report = load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()))
    assert report.duplicates == [f"{copy}: a copy of {original}, already archived"]
    assert report.to_dict()["duplicates"] == report.duplicates


def test_image_captions_are_kept_as_sections(db, inbox):
    fixture = inbox / "captions.txt"
    fixture.write_bytes((VALID / "standfirst_captions_bullets.txt").read_bytes())
    load_paths(db, [fixture])
    assert rows(db, "SELECT heading, text, line FROM sections") == [
        ("Image caption", "Susie's photo", 7), ("Image caption", "Susie's photo", 9)
    ]
    assert "Susie's photo" not in rows(db, "SELECT body FROM statements WHERE NOT card_only")[0][0]


def test_an_error_after_a_commit_keeps_its_own_message(db, inbox):
    write(inbox, "seed.txt", "seed")

    def failing_progress(result):
        raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError, match="the progress display broke"):
        load_paths(db, [inbox], parse=FakeParser(seed=seed_statement()), on_file=failing_progress)
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(1,)]  # committed before it


def test_a_person_no_statement_names_any_more_is_removed_and_one_still_named_is_kept(db, inbox):
    def quoting(title: str, speaker: str):
        quote = Quote(speaker, "person", None, None, f"Words of {speaker}.", 9, f"{speaker} said:")
        return seed_statement(title=title, related=(), contacts=(), quotes=(quote,))

    parser = FakeParser(a1=quoting("A", "Jane Doe"), b1=quoting("B", "Jane Doe"), a2=quoting("A", "John Roe"),
                        b2=quoting("B", "John Roe"))  # fmt: skip
    write(inbox, "a.txt", "a1")
    write(inbox, "b.txt", "b1")
    load_paths(db, [inbox], parse=parser)
    write(inbox, "a.txt", "a2")
    load_paths(db, [inbox], parse=parser)
    assert rows(db, "SELECT name FROM people ORDER BY name") == [("Jane Doe",), ("John Roe",)]  # B quotes her still
    write(inbox, "b.txt", "b2")
    load_paths(db, [inbox], parse=parser)
    assert rows(db, "SELECT name FROM people") == [("John Roe",)]
    assert rows(db, "SELECT count(DISTINCT person_id) FROM quotes") == [(1,)]


def test_an_archive_an_older_parser_wrote_is_corrected_by_loading_it_again(db, tmp_path, monkeypatch):
    """The first parser fused a role with a name ('Economy Baroness Jones'); reading the file again fixes the
    quote, and the person row that no statement names any more is gone."""
    page = tmp_path / "page.txt"
    page.write_text(
        "Statement - Ofcom codes come into force\n\nPublished:\u00a0\u00a0Mon 17 Mar 2025\n\n"
        "The IWF welcomes the codes.\n\n"
        "Minister for the Future Digital Economy and Online Safety Baroness Jones said:\n\n"
        "\u201cThese codes are a step change.\u201d\n", encoding="utf-8")  # fmt: skip
    fused = seed_statement(title="Ofcom codes come into force", published=date(2025, 3, 17), related=(),
                           quotes=(Quote("Economy Baroness Jones", "person", "Minister for the Future Digital",
                                         None, "These codes are a step change.", 7, "Minister ... said:"),))  # fmt: skip
    monkeypatch.setattr("iwfdb.store.load.PARSER_VERSION", PARSER_VERSION - 1)
    load_paths(db, [page], parse=lambda data, source: ParsedFile(source, hashlib.sha256(data).hexdigest(),
                                                                  len(data), fused))  # fmt: skip
    assert ("Economy Baroness Jones",) in rows(db, "SELECT name FROM people")
    monkeypatch.undo()
    report = load_paths(db, [page], workers=1)
    assert report.files["reread"] == 1 and report.rows.revisions_added == 1
    assert rows(db, "SELECT speaker, role FROM quotes") == [
        ("Baroness Jones", "Minister for the Future Digital Economy and Online Safety")]
    assert [name for (name,) in rows(db, "SELECT name FROM people")] == ["Baroness Jones"]

    assert [name for (name,) in rows(db, "SELECT name FROM people")] == ["Baroness Jones"]


def test_a_replaced_statement_sets_only_the_columns_its_new_text_changes(db, inbox, monkeypatch):
    path = write(inbox, "seed.txt", "seed")
    edited = seed_statement(body=(Paragraph("The same statement, edited.", 4),))
    parser = FakeParser(seed=seed_statement(), edited=edited)
    load_paths(db, [path], parse=parser)
    unchanged_columns = "SELECT id, slug, title, published, url, publisher, first_loaded_at FROM statements ORDER BY id"
    before = rows(db, unchanged_columns)
    updates = []
    write_updates = batch._update
    monkeypatch.setattr(batch, "_update", lambda side, cursor, table, new: [
        updates.extend((table, sorted(row)) for row in new), write_updates(side, cursor, table, new)])  # fmt: skip
    path.write_text("edited")
    assert load_paths(db, [path], parse=parser).rows.revisions_added == 1
    [columns] = [set(columns) for table, columns in updates if table == "statements"]
    assert {"body", "sha256"} <= columns  # and none of those the edit left as they were, indexed or not:
    unchanged = {"title", "kind", "published", "byline", "summary", "card_only", "source_id", "url", "match_key"}
    assert not columns & unchanged
    assert rows(db, unchanged_columns) == before
    assert rows(db, "SELECT body FROM statements WHERE NOT card_only") == [("The same statement, edited.",)]


def test_fts5_is_given_each_batch_in_rowid_order_whatever_the_order_of_its_files():
    """FTS5 writes out a segment (and merges) at each rowid not above the last: one per row, unsorted."""
    given = []

    class Recorder:
        def executemany(self, sql, rows):
            given.append([row[0] for row in rows])

    statements = [{"id": i, "title": "t", "summary": None, "body": "b"} for i in (9, 2, 7)]
    quotes = [{"id": i, "text": "q"} for i in (12, 10, 11)]
    sqlite.index_full_text(Recorder(), [(7, "t", None, "b"), (2, "t", None, "b")], statements, quotes)
    assert given == [[2, 7], [2, 7, 9], [10, 11, 12]]


def test_replaced_statements_quotes_leave_the_index_and_their_new_ones_enter_it(db, inbox):
    said = {n: f"Statement {n}" for n in range(4)}
    files = {n: write(inbox, f"{3 - n}.txt", f"s{n}") for n in range(4)}  # files in the reverse order of their ids
    quote = Quote("Susie Hargreaves", "person", "IWF CEO", None, "", 17, "Susie Hargreaves said:")

    def version(n: int, word: str):
        two = (replace(quote, text=f"First {word} {n}."), replace(quote, text=f"Second {word} {n}.", line=19))
        return seed_statement(title=said[n], related=(), quotes=two)

    old = {f"s{n}": version(n, "walrus") for n in range(4)}
    new = {f"s{n}v2": version(n, "narwhal") for n in range(4)}
    load_paths(db, [inbox], parse=FakeParser(**old, **new))
    for n in (0, 2, 3):
        files[n].write_text(f"s{n}v2")
    assert load_paths(db, [inbox], parse=FakeParser(**old, **new)).rows.revisions_added == 3
    with open_archive(db, Purpose.INSPECT) as archive:
        walrus = sorted(hit.title for hit in search(archive, "walrus", limit=50).items if hit.match == "quote")
        narwhal = sorted(hit.title for hit in search(archive, "narwhal", limit=50).items if hit.match == "quote")
        checks = archive.side.integrity_checks(archive.connection)
    assert walrus == ["Statement 1"] * 2  # both quotes of the statement left as it was, and no other
    assert narwhal == [said[n] for n in (0, 0, 2, 2, 3, 3)]
    assert all(ok for _, ok, _ in checks), checks


def test_whom_a_replaced_statement_names_again_is_no_candidate_for_removal(db, inbox, monkeypatch):
    path = write(inbox, "seed.txt", "seed")
    parser = FakeParser(seed=seed_statement(), edited=seed_statement(body=(Paragraph("Edited.", 4),)))
    load_paths(db, [path], parse=parser)
    asked = []
    prune = batch._prune_unnamed
    monkeypatch.setattr(batch, "_prune_unnamed", lambda side, cursor, candidates: [
        asked.append(candidates), prune(side, cursor, candidates)][1])  # fmt: skip
    path.write_text("edited")
    assert load_paths(db, [path], parse=parser).rows.revisions_added == 1
    assert asked == [{"people": set(), "organisations": set()}]  # the same speaker and contact: nothing to probe
    assert rows(db, "SELECT name FROM people ORDER BY name") == [("Emma Hardy",), ("Susie Hargreaves",)]

"""The store with hand-made statements: idempotent re-loads, revisions, card-only rows, failed files."""

from __future__ import annotations

import json
from pathlib import Path
from datetime import date

import pytest
from archive_helpers import CARDS, FakeParser, rows, seed_statement, snapshot

from iwfdb.errors import UsageError
from iwfdb.records import Paragraph, ParsedFile, Quote, RelatedCard, parsed_file_to_dict
from iwfdb.store import load_paths
from iwfdb.store.writer import ArchiveWriter

ADULT_SECTOR = seed_statement(
    title="Why Our Work with the Adult Sector is Vital", published=date(2024, 9, 25), summary=None,
    body=(Paragraph("Two years ago, IWF took a decision.", 4),), related=(), links=(), contacts=(),
    quotes=(Quote("Susie Hargreaves OBE", "person", "CEO", None, "It is vital.", 6, "Susie Hargreaves OBE said:"),),
)  # fmt: skip


@pytest.fixture
def archive(tmp_path):
    (tmp_path / "in").mkdir()
    return tmp_path / "archive.sqlite"


def write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_statement_becomes_its_rows(archive):
    write(archive.parent / "in", "seed.txt", "seed")
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement()))
    assert report.files == {"new": 1, "updated": 0, "unchanged": 0, "duplicate": 0, "failed": 0}
    assert (report.rows.statements_added, report.rows.quotes_added, report.rows.links_added) == (4, 1, 4)
    assert rows(archive, "SELECT count(*), sum(card_only) FROM statements") == [(4, 3)]
    phones = rows(archive, "SELECT e164 FROM contact_phones ORDER BY position")
    assert phones == [("+441223203030",), ("+447929553679",)]
    links = rows(archive, "SELECT position, url, target_title FROM link_details ORDER BY position")
    assert links == [(0, "https://www.iwf.org.uk", None)] + [(i + 1, None, card.title) for i, card in enumerate(CARDS)]
    people = rows(archive, "SELECT name, kind FROM people ORDER BY name")
    assert people == [("Emma Hardy", "person"), ("Susie Hargreaves", "person")]
    assert rows(archive, "SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'industry'") == [(1,)]


def test_loading_the_same_files_again_changes_no_row_and_parses_nothing(archive):
    write(archive.parent / "in", "seed.txt", "seed")
    write(archive.parent / "in", "bad.txt", "FAIL")
    parser = FakeParser(seed=seed_statement())
    load_paths(archive, [archive.parent / "in"], parse=parser)
    before, calls = snapshot(archive), parser.calls
    report = load_paths(archive, [archive.parent / "in"], parse=parser)
    assert report.files["unchanged"] == 1 and report.files["failed"] == 1
    assert snapshot(archive) == before
    assert parser.calls == calls + 1  # only the failed file is tried again


def test_a_changed_file_updates_in_place_and_keeps_the_old_version(archive):
    path = write(archive.parent / "in", "seed.txt", "v1")
    new_quote = Quote(None, "unknown", None, None, "A new quote.", 20, "The report reads:")
    parser = FakeParser(v1=seed_statement(), v2=seed_statement(summary="Now with a summary.", quotes=(new_quote,)))
    load_paths(archive, [path], parse=parser)
    old = ParsedFile(str(path), "", 0, seed_statement())
    path.write_text("v2")
    report = load_paths(archive, [path], parse=parser)
    assert report.files["updated"] == 1 and report.rows.revisions_added == 1
    assert rows(archive, "SELECT id, summary FROM statements WHERE card_only = 0") == [(1, "Now with a summary.")]
    assert rows(archive, "SELECT person_id, text FROM quotes") == [(None, "A new quote.")]
    ((record,),) = rows(archive, "SELECT record FROM revisions WHERE statement_id = 1")
    kept = json.loads(record)
    expected = parsed_file_to_dict(old)
    assert kept.keys() == expected.keys()
    for name in ("title", "published", "quotes", "contacts", "links", "sections"):
        assert kept[name] == expected[name], name
    assert kept["body"] == expected["body"]
    assert [card["title"] for card in kept["related"]] == [card.title for card in CARDS]
    assert rows(archive, "SELECT outcome FROM sources") == [("updated",)]


def test_a_card_only_statement_becomes_full_with_the_same_id_and_links(archive):
    write(archive.parent / "in", "a_seed.txt", "seed")
    parser = FakeParser(seed=seed_statement(), adult=ADULT_SECTOR)
    load_paths(archive, [archive.parent / "in"], parse=parser)
    ((card_id,),) = rows(archive, "SELECT id FROM statements WHERE title LIKE 'Why Our Work%'")
    write(archive.parent / "in", "b_adult.txt", "adult")
    report = load_paths(archive, [archive.parent / "in"], parse=parser)
    assert (report.rows.statements_completed, report.rows.statements_updated, report.rows.revisions_added) == (1, 0, 0)
    assert rows(archive, "SELECT id, card_only FROM statements WHERE title LIKE 'Why Our Work%'") == [(card_id, 0)]
    assert rows(archive, "SELECT count(*) FROM links WHERE target_statement_id = ?", card_id) == [(1,)]
    assert rows(archive, "SELECT count(*) FROM statements") == [(4,)]
    # "Susie Hargreaves OBE" in the second file is the same person as "Susie Hargreaves" in the first.
    assert rows(archive, "SELECT count(DISTINCT person_id) FROM quotes") == [(1,)]


def test_a_card_of_an_archived_statement_links_to_it(archive):
    write(archive.parent / "in", "a_adult.txt", "adult")
    write(archive.parent / "in", "b_seed.txt", "seed")
    load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement(), adult=ADULT_SECTOR))
    assert rows(archive, "SELECT id, card_only FROM statements WHERE title LIKE 'Why Our Work%'") == [(1, 0)]
    assert rows(archive, "SELECT count(*) FROM links WHERE target_statement_id = 1") == [(1,)]


def test_a_file_that_cannot_be_written_leaves_nothing_behind(archive, monkeypatch):
    write(archive.parent / "in", "a_seed.txt", "seed")
    write(archive.parent / "in", "b_adult.txt", "adult")
    real = ArchiveWriter.save_statement

    def save_a_broken_row_for_another_statement(self, parsed, source_id, source_name):
        saved = real(self, parsed, source_id, source_name)
        if parsed.statement.title == "Another statement":  # a quote of a statement that does not exist
            broken = {**self.inserts["quotes"][-1], "id": 10**9, "statement_id": 10**9, "position": 99}
            self.inserts["quotes"].append(broken)
        return saved

    monkeypatch.setattr(ArchiveWriter, "save_statement", save_a_broken_row_for_another_statement)
    extra = seed_statement(title="Another statement", related=(RelatedCard("New card", None, None, None, 9),))
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement(), adult=extra))
    assert report.files["new"] == 1 and report.files["failed"] == 1
    failed = archive.parent / "in" / "b_adult.txt"
    assert list(map(str, report.failures)) == [f"{failed}: cannot archive this statement: FOREIGN KEY constraint failed"]
    assert rows(archive, "SELECT count(*) FROM statements WHERE title IN ('Another statement', 'New card')") == [(0,)]
    assert rows(archive, "SELECT outcome FROM sources ORDER BY path") == [("loaded",), ("failed",)]
    assert (report.rows.statements_added, report.rows.quotes_added) == (4, 1)


def test_the_same_bytes_at_a_new_path_are_a_duplicate(archive):
    write(archive.parent / "in", "a.txt", "seed")
    write(archive.parent / "in", "copy/a.txt", "seed")
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement()))
    assert report.files["new"] == 1 and report.files["duplicate"] == 1
    assert rows(archive, "SELECT outcome FROM sources ORDER BY path") == [("loaded",), ("duplicate",)]
    assert rows(archive, "SELECT count(*) FROM statements WHERE card_only = 0") == [(1,)]


def test_the_same_statement_in_two_files_with_different_text_is_one_statement(archive):
    write(archive.parent / "in", "a.txt", "seed")
    write(archive.parent / "in", "b.txt", "again")
    parser = FakeParser(seed=seed_statement(), again=seed_statement(summary="A later crawl."))
    report = load_paths(archive, [archive.parent / "in"], parse=parser)
    assert report.files["new"] == 2 and report.rows.statements_updated == 1
    assert rows(archive, "SELECT summary FROM statements WHERE card_only = 0") == [("A later crawl.",)]
    assert rows(archive, "SELECT source_path FROM revisions") == [(str(archive.parent / "in" / "a.txt"),)]


def test_two_statements_with_one_title_on_different_days_stay_apart(archive):
    write(archive.parent / "in", "a.txt", "one")
    write(archive.parent / "in", "b.txt", "two")
    parser = FakeParser(
        one=seed_statement(title="Statement", related=()),
        two=seed_statement(title="Statement", published=date(2018, 1, 1), related=()),
    )
    load_paths(archive, [archive.parent / "in"], parse=parser)
    slugs = rows(archive, "SELECT slug FROM statements ORDER BY id")
    assert slugs == [("2017-03-07-statement",), ("2018-01-01-statement",)]


def test_a_statement_without_title_is_updated_by_its_file(archive):
    path = write(archive.parent / "in", "page.txt", "v1")
    untitled = seed_statement(title=None, related=())
    parser = FakeParser(v1=untitled, v2=seed_statement(title=None, related=(), summary="v2"))
    load_paths(archive, [path], parse=parser)
    path.write_text("v2")
    load_paths(archive, [path], parse=parser)
    assert rows(archive, "SELECT slug, match_key, summary FROM statements") == [
        ("2017-03-07-page", "file:page.txt|2017-03-07", "v2")
    ]


def test_strict_stops_at_the_first_failure_and_keeps_what_came_before(archive):
    for name, text in (("a.txt", "seed"), ("b.txt", "FAIL"), ("c.txt", "adult")):
        write(archive.parent / "in", name, text)
    parser = FakeParser(seed=seed_statement(), adult=ADULT_SECTOR)
    report = load_paths(archive, [archive.parent / "in"], parse=parser, strict=True, batch_size=1)
    assert report.stopped_early and report.files["new"] == 1 and report.files["failed"] == 1
    query = "SELECT outcome, error LIKE '%b.txt:1:1: not a statement' FROM sources ORDER BY path"
    assert rows(archive, query) == [("loaded", None), ("failed", 1)]


def test_files_above_the_size_limit_are_refused_unread(archive):
    write(archive.parent / "in", "big.txt", "seed" + " " * 2000)
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement()), max_size=1000)
    assert report.files["failed"] == 1 and "more than the limit of 1000 bytes" in str(report.failures[0])
    assert rows(archive, "SELECT size, sha256, outcome FROM sources") == [(2004, None, "failed")]


def test_a_path_that_does_not_exist_is_a_usage_error_before_anything_is_written(archive):
    with pytest.raises(UsageError, match="no such file or folder"):
        load_paths(archive, [archive.parent / "missing"], parse=FakeParser())
    assert not archive.exists()


def test_batches_commit_every_so_many_files(archive):
    for number in range(5):
        write(archive.parent / "in", f"{number}.txt", f"s{number}")
    statements = {f"s{n}": seed_statement(title=f"Statement {n}", related=()) for n in range(5)}
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(**statements), batch_size=2)
    assert report.files["new"] == 5
    assert rows(archive, "SELECT count(*) FROM statements") == [(5,)]


def test_a_file_restored_to_its_archived_bytes_adds_no_revision(archive):
    path = write(archive.parent / "in", "seed.txt", "seed")
    parser = FakeParser(seed=seed_statement())
    load_paths(archive, [path], parse=parser)
    path.write_text("FAIL: a broken edit")
    assert load_paths(archive, [path], parse=parser).files["failed"] == 1
    path.write_text("seed")
    report = load_paths(archive, [path], parse=parser)
    assert report.files["updated"] == 1 and report.rows.revisions_added == 0
    assert rows(archive, "SELECT count(*) FROM revisions") == [(0,)]
    assert rows(archive, "SELECT outcome, error FROM sources") == [("updated", None)]
    assert rows(archive, "SELECT count(*) FROM quotes") == [(1,)]


def test_a_file_that_failed_at_first_is_new_when_it_loads(archive):
    path = write(archive.parent / "in", "seed.txt", "FAIL: not yet")
    parser = FakeParser(seed=seed_statement())
    assert load_paths(archive, [path], parse=parser).files["failed"] == 1
    path.write_text("seed")
    report = load_paths(archive, [path], parse=parser)
    assert report.files["new"] == 1
    assert rows(archive, "SELECT outcome, error FROM sources") == [("loaded", None)]


def test_a_duplicate_says_where_its_bytes_are_archived(archive):
    original = write(archive.parent / "in", "a.txt", "seed")
    copy = write(archive.parent / "in", "copy/a.txt", "seed")
    report = load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement()))
    assert report.duplicates == [f"{copy}: a copy of {original}, already archived"]
    assert report.to_dict()["duplicates"] == report.duplicates


def test_image_captions_are_kept_as_sections(archive):
    fixture = archive.parent.parent / "captions.txt"
    source = Path(__file__).parent / "fixtures" / "valid" / "standfirst_captions_bullets.txt"
    fixture.write_bytes(source.read_bytes())
    load_paths(archive, [fixture])
    assert rows(archive, "SELECT heading, text, line FROM sections") == [
        ("Image caption", "Susie's photo", 7), ("Image caption", "Susie's photo", 9)
    ]
    assert "Susie's photo" not in rows(archive, "SELECT body FROM statements WHERE card_only = 0")[0][0]


def test_an_error_after_a_commit_keeps_its_own_message(archive):
    write(archive.parent / "in", "seed.txt", "seed")

    def failing_progress(result):
        raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError, match="the progress display broke"):
        load_paths(archive, [archive.parent / "in"], parse=FakeParser(seed=seed_statement()), on_file=failing_progress)
    assert rows(archive, "SELECT count(*) FROM statements WHERE card_only = 0") == [(1,)]  # committed before it

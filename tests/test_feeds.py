"""`iwfdb feed`: valid Atom 1.0, read back by a feed parser, on both engines; hostile text escaped."""

from __future__ import annotations

import re

import feedparser
import pytest
from helpers import FIXTURES, iwfdb, rows, write_sql
from test_diff import FIRST, SECOND, THIRD

from iwfdb.query.atom import CONTEXT_WORDS, Entry, Feed, atom_document, diff_html, timestamp
from iwfdb.records import DiffRun


def feed_of(db, *arguments):
    result = iwfdb(db, "feed", *arguments)
    assert result.exit_code == 0, result.stderr
    return parsed(result.stdout)


def parsed(document: str):
    feed = feedparser.parse(document)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def archive(db, tmp_path):
    """The speakers fixtures, then a statement loaded three times (changed twice), with a web address."""
    assert iwfdb(db, "load", FIXTURES / "speakers").exit_code == 0
    for number, text in enumerate((FIRST, SECOND, THIRD)):
        folder = tmp_path / f"v{number}"
        folder.mkdir()
        (folder / "a.txt").write_text(text, encoding="utf-8")
        assert iwfdb(db, "load", folder).exit_code == 0
    write_sql(db, "UPDATE statements SET url = 'https://example.org/encryption' WHERE title LIKE 'Our position%'")
    return db


def test_the_feed_of_new_statements(archive):
    feed = feed_of(archive, "new")
    assert feed.feed.title == "New statements" and feed.feed.id == "tag:iwfdb.archive,2026:feed/new"
    assert [entry.title for entry in feed.entries] == ["Our position on encryption", "Experts reply to the campaign",
                                                       "Ministers and the IWF launch a joint campaign"]  # fmt: skip
    first = feed.entries[0]
    assert first.link == "https://example.org/encryption" and first.published.startswith("2021-05-12T00:00:00")
    assert first.id == "tag:iwfdb.archive,2026:statement/2021-05-12-our-position-on-encryption"
    assert "welcomes the draft Online Safety Bill" in first.content[0].value
    assert len({entry.id for entry in feed.entries}) == 3 and all(entry.updated_parsed for entry in feed.entries)


def test_the_feed_of_changes_carries_each_difference(archive):
    feed = feed_of(archive, "changed")
    assert [entry.title for entry in feed.entries] == ["Changed: Our position on encryption"] * 2
    latest, earlier = (entry.content[0].value for entry in feed.entries)
    assert "<ins>warmly </ins>" in latest and "<del>" not in latest
    assert "<del>safe.&quot;</del><ins>the safest place.”</ins>" in earlier
    assert feed.entries[0].updated >= feed.entries[1].updated
    assert feed.entries[0].id != feed.entries[1].id and feed.entries[0].link == "https://example.org/encryption"


def test_the_feed_of_a_person_holds_their_joint_quotes(archive):
    feed = feed_of(archive, "person", "Susie Hargreaves")
    assert feed.feed.title == "What Susie Hargreaves said"
    texts = [entry.content[0].value for entry in feed.entries]
    assert any("We stand together" in text for text in texts) and any("safest place" in text for text in texts)
    jones = rows(archive, "SELECT id FROM people WHERE name = 'Baroness Jones'")[0][0]
    by_id = feed_of(archive, "person", str(jones), "--base-url", "http://localhost:8001/iwfdb/")
    assert len(by_id.entries) == 2 and all(e.link.startswith("http://localhost:8001/iwfdb/statements/")
                                           for e in by_id.entries)  # fmt: skip
    result = iwfdb(archive, "feed", "person", "Dubois")
    assert result.exit_code == 1 and "names 2 people" in result.stderr and result.stdout == ""


def test_the_feed_of_a_search_and_the_limit(archive):
    feed = feed_of(archive, "search", "campaign")
    assert {entry.title for entry in feed.entries} == {"Experts reply to the campaign",
                                                       "Ministers and the IWF launch a joint campaign"}  # fmt: skip
    assert len(feed_of(archive, "new", "--limit", "1").entries) == 1
    assert iwfdb(archive, "feed", "new", "--limit", "0").exit_code == 2
    assert iwfdb(archive, "feed", "new", "--base-url", "javascript:alert(1)").exit_code == 2


def test_a_feed_file_is_written_whole(archive, tmp_path):
    target = tmp_path / "changed.xml"
    target.write_text("the previous feed")
    assert iwfdb(archive, "feed", "changed", "-o", target).exit_code == 0
    assert len(parsed(target.read_text(encoding="utf-8")).entries) == 2
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []
    result = iwfdb(archive, "feed", "new", "-o", tmp_path / "missing" / "new.xml")
    assert result.exit_code == 2 and "cannot write" in result.stderr and "missing" in result.stderr


HOSTILE_TITLE = "<script>alert(1)</script> & \x1b[31m\x00 \u202eevil"


def test_hostile_text_is_escaped_and_control_bytes_written_out(db, tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    assert iwfdb(db, "load", tmp_path).exit_code == 0
    write_sql(db, "UPDATE statements SET title = :title, summary = :title, url = 'javascript:alert(1)'",
              title=HOSTILE_TITLE.replace("\x00", "\x01"))  # PostgreSQL text cannot hold NUL
    result = iwfdb(db, "feed", "new")
    assert "<script>" not in result.stdout and "\x1b" not in result.stdout and "\u202e" not in result.stdout
    entry = parsed(result.stdout).entries[0]
    assert entry.title == "<script>alert(1)</script> & \\x1b[31m\\x01 \\u202eevil"
    assert "&lt;script&gt;" in entry.content[0].value and "<script" not in entry.content[0].value
    assert "javascript" not in result.stdout and not entry.get("links")  # only http and https addresses are links


def test_the_builder_escapes_everything_it_is_given():
    hostile = Entry("tag:x,2026:a", HOSTILE_TITLE, "2026-01-01T00:00:00Z",
                    diff_html([DiffRun("equal", "<b>"), DiffRun("insert", "</p>\x00")]), "https://e.org/?a=1&b=<2>")
    document = atom_document(Feed("tag:x,2026:f", "F & <G>", (hostile,)))
    feed = parsed(document)
    assert feed.feed.title == "F & <G>" and feed.entries[0].link == "https://e.org/?a=1&b=<2>"
    assert feed.entries[0].content[0].value == "<p>&lt;b&gt;<ins>&lt;/p&gt;\\x00</ins></p>"
    assert parsed(atom_document(Feed("tag:x,2026:f", "Empty", ()))).entries == []


def test_a_long_unchanged_stretch_is_cut_to_its_context():
    words = " ".join(f"w{number}" for number in range(200)) + " "
    html = diff_html([DiffRun("equal", words), DiffRun("insert", "new "), DiffRun("equal", words)])
    assert len(re.findall(r"w\d+", html)) == 2 * CONTEXT_WORDS and html.count("…") == 2 and "<ins>new </ins>" in html


@pytest.mark.parametrize("value, expected", [
    ("2021-05-12", "2021-05-12T00:00:00Z"), ("2026-12-07T06:43:27+00:00", "2026-12-07T06:43:27+00:00"),
    ("2026-12-07T06:43:27", "2026-12-07T06:43:27+00:00"), (None, "fallback"),
])  # fmt: skip
def test_timestamps_are_rfc_3339(value, expected):
    assert timestamp(value, "fallback") == expected

"""What changed in a statement: the word-by-word difference (pure), and `iwfdb diff` on both engines."""

from __future__ import annotations

import json
import time

import pytest
from helpers import iwfdb, write_sql
from hypothesis import given, settings
from hypothesis import strategies as st

from iwfdb.cli.diff_cmd import terminal_text
from iwfdb.query.diff import _TOKENS, comparable, has_changes, side_text, version_paragraphs, word_diff
from iwfdb.records import DiffRun, StatementDiff, VersionInfo

# Pure: the difference of two texts


def ops(runs) -> list[tuple[str, str]]:
    return [(run.op, run.text) for run in runs]


def test_a_changed_word_is_deleted_and_inserted_in_place():
    runs = word_diff(["The Bill must make the UK safe."], ["The Bill must make the UK the safest place."])
    assert ops(runs) == [("equal", "The Bill must make the UK "), ("delete", "safe."),
                         ("insert", "the safest place.")]  # fmt: skip


@pytest.mark.parametrize("old, new", [
    ("a  b\tc", "a b c"),  # spacing
    ("one\n\ntwo", "one two"),  # a paragraph break only
    ("“Quoted” and ‘single’ and IWF’s", "\"Quoted\" and 'single' and IWF's"),  # curly and straight marks
    ("a - b", "a — b"), ("a--b", "a–b"), ("well-known", "well—known"), ("x \u2212 y", "x - y"),  # dashes
    ("today—tomorrow", "today - tomorrow"),  # a dash with spaces or without
])  # fmt: skip
def test_spacing_quote_marks_and_dashes_are_not_changes(old, new):
    runs = word_diff([old], [new])
    assert not has_changes(runs) and ops(runs) == [("equal", new)]


@pytest.mark.parametrize("old, new", [("a b", "a c"), ("a b", "a"), ("a", "a b"), ("Case", "case"), ("a.", "a")])
def test_words_case_and_punctuation_are_changes(old, new):
    assert has_changes(word_diff([old], [new]))


def test_paragraphs_added_and_removed_keep_their_breaks():
    runs = word_diff(["Title", "First.", "Gone paragraph.", "Last."], ["Title", "First.", "New one.", "Last."])
    assert side_text(runs, "new") == "Title\n\nFirst.\n\nNew one.\n\nLast."
    assert side_text(runs, "old") == "Title\n\nFirst.\n\nGone paragraph.\n\nLast."
    assert ops(runs)[1:3] == [("delete", "Gone paragraph.\n\n"), ("insert", "New one.\n\n")]


@given(st.lists(st.text(alphabet="ab “”\"'-—\n ", max_size=30), max_size=5),
       st.lists(st.text(alphabet="ab “”\"'-—\n ", max_size=30), max_size=5))
@settings(max_examples=300, deadline=None)
def test_the_runs_rebuild_both_texts_word_for_word(old, new):
    runs = word_diff(old, new)
    assert all(run.op in ("equal", "delete", "insert") and run.text for run in runs)
    assert all(before.op != after.op for before, after in zip(runs, runs[1:]))  # runs of a kind are joined
    assert compared_words([side_text(runs, "new")]) == compared_words(new)
    assert compared_words([side_text(runs, "old")]) == compared_words(old)


def compared_words(texts: list[str]) -> list[str]:
    return [comparable(word) for text in texts for word, _ in _TOKENS.findall(text)]


def test_the_cost_follows_the_text_not_its_square():
    """A statement rewritten whole, and a long one with one word changed: at n and 4n words."""
    def timed(words: int) -> float:
        old = [" ".join(f"w{i}" for i in range(start, start + 50)) for start in range(0, words, 50)]
        rewritten = [paragraph.replace("w", "v") for paragraph in old]
        one_word = old[:-1] + [old[-1] + " more"]
        start = time.perf_counter()
        word_diff(old, rewritten)
        word_diff(old, one_word)
        return time.perf_counter() - start

    for _ in range(3):
        small, large = min(timed(5_000) for _ in range(2)), min(timed(20_000) for _ in range(2))
        if large < 10 * small:
            return
    pytest.fail(f"5,000 words took {small:.3f} s, 20,000 took {large:.3f} s: more than linear")


def test_a_version_is_its_title_standfirst_body_sections_and_captions():
    record = {"title": "T", "summary": "S", "body": ["B1", "B2"], "sections": [{"heading": "Notes", "text": "N"}],
              "captions": [{"text": "C", "line": 3}], "quotes": [{"text": "not twice"}]}
    assert version_paragraphs(record) == ["T", "S", "B1", "B2", "Notes", "N", "C"]
    assert version_paragraphs({"title": None, "body": []}) == []


def test_the_terminal_shows_control_bytes_written_out_and_colours_closed_on_each_line():
    old = VersionInfo(1, "2024-01-01T00:00:00+00:00", "2024-02-01T00:00:00+00:00", "/a\x1b[2J.txt", None)
    new = VersionInfo(None, "2024-02-01T00:00:00+00:00", None, None, None)
    runs = (DiffRun("equal", "Text \x1b]0;owned\x07 "), DiffRun("insert", "added\n\nlines"))
    shown = terminal_text(StatementDiff(1, "s", "Title\x1b[31m", None, old, new, True, runs), colour=True)
    assert "\x1b]" not in shown and "\x07" not in shown and "\x1b[2J" not in shown and "\x1b[31m" not in shown
    assert "\\x1b]0;owned\\x07" in shown
    assert "\x1b[1;32madded\x1b[0m\n\n\x1b[1;32mlines\x1b[0m" in shown
    assert "{+added\n\nlines+}" in terminal_text(StatementDiff(1, "s", "T", None, old, new, True, runs), colour=False)


# `iwfdb diff` on an archive whose statement changed twice

FIRST = """Statement: Our position on encryption

Published:  Wed 12 May 2021

The Internet Watch Foundation welcomes the draft Online Safety Bill -- today.

Susie Hargreaves said:

"The Bill must make the UK safe."

Ends
"""
SECOND = FIRST.replace(" -- today", " — today").replace('"The', "“The").replace('safe."', "the safest place.”")
THIRD = SECOND.replace("welcomes", "warmly welcomes")


@pytest.fixture
def revised(db, tmp_path):
    """Statement 1 loaded three times: revision ids 1 and 2, then the current text."""
    for number, text in enumerate((FIRST, SECOND, THIRD)):
        folder = tmp_path / f"v{number}"
        folder.mkdir()
        (folder / "a.txt").write_text(text, encoding="utf-8")
        assert iwfdb(db, "load", folder).exit_code == 0
    return db


def test_diff_shows_the_latest_change_as_a_unified_diff_in_a_pipe(revised):
    result = iwfdb(revised, "diff", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "statement 1: Our position on encryption"
    assert lines[1].startswith("--- revision 2 (loaded ") and "/v1/a.txt)" in lines[1]
    assert lines[2].startswith("+++ current (loaded ") and lines[2].endswith("/v2/a.txt)")
    assert "-The Internet Watch Foundation welcomes the draft Online Safety Bill — today." in lines
    assert "+The Internet Watch Foundation warmly welcomes the draft Online Safety Bill — today." in lines
    assert not any("safest" in line and line[0] in "+-" for line in lines)  # unchanged since revision 2


def test_diff_of_a_revision_to_the_current_text_and_to_another_revision_as_json(revised):
    whole = json.loads(iwfdb(revised, "diff", "1", "1", "--format", "json").stdout)
    assert (whole["old"]["revision"], whole["new"]["revision"], whole["changed"]) == (1, None, True)
    changes = [(run["op"], run["text"]) for run in whole["runs"] if run["op"] != "equal"]
    assert changes == [("insert", "warmly "), ("delete", 'safe."'), ("insert", "the safest place.”")]
    typography_only = json.loads(iwfdb(revised, "diff", "1", "1", "--to", "2", "-f", "json").stdout)
    assert [(r["op"], r["text"]) for r in typography_only["runs"] if r["op"] != "equal"] == [
        ("delete", 'safe."'), ("insert", "the safest place.”")]  # the dash and the opening mark are no change


def test_diff_lists_the_versions(revised):
    versions = json.loads(iwfdb(revised, "diff", "2021-05-12-our", "--list").stdout)
    assert [v["revision"] for v in versions] == [1, 2, None]
    assert [v["source_path"].rsplit("/", 2)[-2] for v in versions] == ["v0", "v1", "v2"]
    assert versions[0]["replaced_at"] and versions[-1]["replaced_at"] is None


@pytest.mark.parametrize("arguments, message", [
    (["diff", "1", "9"], "error: statement 2021-05-12-our-position-on-encryption has no revision 9; its revisions "
                         "are 1, 2 (see `iwfdb diff 1 --list`)"),
    (["diff", "77"], "error: no statement '77' in the archive"),
])  # fmt: skip
def test_diff_of_what_is_not_there_says_so(revised, arguments, message):
    result = iwfdb(revised, *arguments)
    assert result.exit_code == 1 and result.stderr.startswith(message), result.stderr


def test_diff_of_a_statement_that_never_changed_says_so(db, tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    assert iwfdb(db, "load", tmp_path).exit_code == 0
    result = iwfdb(db, "diff", "1")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("error: statement 2021-05-12-our-position-on-encryption has no earlier version: no load "
                             "has changed it since it was first archived\n")  # fmt: skip


def test_diff_writes_control_bytes_of_the_archive_out_in_every_format(revised):
    write_sql(revised, "UPDATE statements SET body = body || :added", added=" \x1b[2J\x1b]0;owned\x07 \u202egone")
    for arguments in ((), ("--format", "json")):
        result = iwfdb(revised, "diff", "1", *arguments)
        assert result.exit_code == 0 and "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J\\x1b]0;owned\\x07 \\u202egone" in iwfdb(revised, "diff", "1").stdout

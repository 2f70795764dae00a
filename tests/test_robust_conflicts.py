"""Conflicts and moves: two files claiming one statement, a file renamed or moved, a file deleted.

Nothing archived is ever deleted by a load: a second text of the same statement (same title and date)
replaces the first only after the first is kept in `revisions`, and the load reports the conflict; a file
moved or renamed is recognised by its bytes; a file gone from the folder leaves its statements where they are.
"""

from __future__ import annotations

import json
import shutil

from helpers import SEED, content, iwfdb, rows

QUOTE = "We are never complacent"
OTHER_QUOTE = "We are never, ever complacent"


def test_two_files_with_one_statement_and_different_text_keep_both_and_say_so(db, tmp_path):
    first, second = tmp_path / "a" / "page.txt", tmp_path / "b" / "other.txt"
    for path in (first, second):
        path.parent.mkdir()
    shutil.copy(SEED, first)
    second.write_text(SEED.read_text(encoding="utf-8").replace(QUOTE, OTHER_QUOTE), encoding="utf-8")

    result = iwfdb(db, "load", "--json", first.parent, second.parent)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["conflicts"] == [f"{second}: the same statement (title and date) as {first}, with other text: "
                                    "the earlier text is kept as a revision"]  # fmt: skip
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(1,)]
    ((quote,),) = rows(db, "SELECT text FROM quotes")
    ((source_path, record),) = rows(db, "SELECT source_path, record FROM revisions")
    kept = json.loads(record)["quotes"][0]["text"]
    assert {quote.split(", the reality")[0], kept.split(", the reality")[0]} == {QUOTE, OTHER_QUOTE}
    assert source_path == str(first)

    again = iwfdb(db, "load", first.parent, second.parent)  # nothing changed since: no new conflict
    assert again.exit_code == 0 and "conflict" not in again.stderr
    assert rows(db, "SELECT count(*) FROM revisions") == [(1,)]


def test_the_load_summary_names_each_conflict(db, tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(SEED.read_text(encoding="utf-8").replace(QUOTE, OTHER_QUOTE), encoding="utf-8")
    result = iwfdb(db, "load", tmp_path / "a.txt", tmp_path / "b.txt")
    assert result.exit_code == 0, result.output
    assert "1 conflict (both texts are kept; see `revisions`):\n" in result.stderr
    assert f"  {tmp_path / 'b.txt'}: the same statement (title and date) as {tmp_path / 'a.txt'}" in result.stderr


def test_a_moved_and_renamed_file_is_recognised_not_duplicated(db, tmp_path):
    old, new = tmp_path / "crawl" / "page.txt", tmp_path / "archive" / "2017" / "renamed.txt"
    old.parent.mkdir()
    shutil.copy(SEED, old)
    assert iwfdb(db, "load", old.parent).exit_code == 0
    before = content(db)
    new.parent.mkdir(parents=True)
    old.rename(new)

    result = iwfdb(db, "load", "--json", tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"]["duplicate"] == 1
    assert content(db) == before
    assert rows(db, "SELECT path, outcome FROM sources ORDER BY id") == [(str(old), "loaded"), (str(new), "duplicate")]

    new.write_text(SEED.read_text(encoding="utf-8").replace(QUOTE, OTHER_QUOTE), encoding="utf-8")
    result = iwfdb(db, "load", tmp_path)  # changed after the move: the same statement, updated
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT id, card_only FROM statements WHERE NOT card_only") == [(1, 0)]
    assert rows(db, "SELECT count(*) FROM revisions") == [(1,)]


def test_a_file_deleted_from_the_folder_leaves_its_statements(db, tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    shutil.copy(SEED.parents[1] / "tests" / "fixtures" / "archive" / "adult_sector.txt", folder)
    assert iwfdb(db, "load", folder).exit_code == 0
    before = content(db)
    (folder / "seed.txt").unlink()
    result = iwfdb(db, "load", "--json", folder)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == {"new": 0, "updated": 0, "reread": 0, "unchanged": 1, "duplicate": 0, "failed": 0, "failed_before": 0, "not_statement": 0}
    assert content(db) == before
    assert rows(db, "SELECT count(*) FROM sources") == [(2,)]

"""`iwfdb load` on odd folders: nesting, symbolic links and loops, hidden files and editor backups, missing
paths, and the same file named more than once."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from helpers import SEED, iwfdb, rows, statement_file


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def loaded_paths(db):
    return [path for (path,) in rows(db, "SELECT path FROM sources WHERE outcome = 'loaded' ORDER BY path")]


def test_nested_folders_are_searched_at_every_depth(db, tmp_path):
    folder = tmp_path / "crawl"
    for number, place in enumerate(["a.txt", "one/b.txt", "one/two/c.txt", "one/two/three/four/d.txt"]):
        write(folder / place, statement_file(f"Nested {number}", number, 1))
    result = iwfdb(db, "load", folder)
    assert result.exit_code == 0, result.output
    assert loaded_paths(db) == sorted(str(folder / p) for p in ["a.txt", "one/b.txt", "one/two/c.txt",
                                                               "one/two/three/four/d.txt"])  # fmt: skip


def test_symbolic_links_are_followed_once_and_a_loop_does_not_hang(db, tmp_path):
    folder, elsewhere = tmp_path / "crawl", tmp_path / "elsewhere"
    real = write(folder / "real.txt", statement_file("Real file", 1, 1))
    outside = write(elsewhere / "outside.txt", statement_file("Outside file", 2, 1))
    (folder / "sub").mkdir()
    os.symlink("../real.txt", folder / "sub" / "link.txt")  # a second name for real.txt
    os.symlink("..", folder / "sub" / "loop")  # crawl/sub/loop/sub/loop/... for ever
    os.symlink(elsewhere, folder / "linked")  # a folder reached only through a link
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    result = iwfdb(db, "load", "--json", folder)
    assert result.exit_code == 1, result.output  # the broken link is a failure, said so
    summary = json.loads(result.stdout)
    assert summary["files"]["new"] == 2 and summary["files"]["duplicate"] == 0
    assert summary["failures"] == [{"path": str(folder / "broken.txt"), "line": None, "column": None,
                                    "message": "cannot read: No such file or directory"}]  # fmt: skip
    assert loaded_paths(db) == [str(folder / "linked" / "outside.txt"), str(real)]
    assert rows(db, "SELECT count(*) FROM sources") == [(3,)]
    assert outside.exists()


@pytest.mark.parametrize(("name", "reason"), [
    ("page.txt~", "editor backup"), ("#page.txt#", "editor backup"), (".page.txt.swp", "editor backup"),
    ("page.txt.bak", "editor backup"), ("page.txt.orig", "editor backup"), (".hidden.txt", "hidden file"),
    (".hidden_folder/page.txt", "hidden folder"),
])  # fmt: skip
def test_hidden_files_and_editor_backups_are_skipped_and_said_so(db, tmp_path, name, reason):
    folder = tmp_path / "crawl"
    write(folder / "page.txt", statement_file("Kept page", 1, 1))
    skipped = write(folder / name, statement_file("Skipped page", 2, 1))
    reported = folder / name.split("/")[0]  # a hidden folder is reported, not searched

    result = iwfdb(db, "load", folder)
    assert result.exit_code == 0, result.output
    assert f"skipped 1 {reason} (name a file explicitly to load it" in result.stderr
    assert loaded_paths(db) == [str(folder / "page.txt")]

    result = iwfdb(db, "load", "--json", folder)
    assert json.loads(result.stdout)["skipped"] == [{"path": str(reported), "reason": reason}]

    result = iwfdb(db, "load", "--json", skipped)  # named explicitly, it is taken
    assert json.loads(result.stdout)["files"]["new"] == 1 and result.exit_code == 0


def test_files_the_glob_would_not_take_are_not_reported_as_skipped(db, tmp_path):
    folder = tmp_path / "crawl"
    write(folder / "page.txt", statement_file("Kept page", 1, 1))
    write(folder / "notes.md~", "an editor backup of a file the glob does not take")
    write(folder / ".bashrc", "a hidden file the glob does not take")
    result = iwfdb(db, "load", folder)
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr


def test_a_path_that_does_not_exist_is_a_usage_error_and_nothing_is_loaded(db, tmp_path):
    folder = tmp_path / "crawl"
    write(folder / "page.txt", statement_file("Kept page", 1, 1))
    result = iwfdb(db, "load", folder, tmp_path / "no such folder")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {tmp_path / 'no such folder'}: no such file or folder\n"
    assert rows(db, "SELECT count(*) FROM sources") == [(0,)]
    assert not (tmp_path / "new.sqlite").exists()
    assert iwfdb(tmp_path / "new.sqlite", "load", tmp_path / "nowhere").exit_code == 2
    assert not (tmp_path / "new.sqlite").exists()


def test_the_same_file_named_twice_or_through_a_link_is_loaded_once(db, tmp_path):
    folder = tmp_path / "crawl"
    page = folder / SEED.name
    folder.mkdir()
    shutil.copy(SEED, page)
    os.symlink(page, tmp_path / "alias.txt")
    dotted = folder / ".." / "crawl" / SEED.name
    result = iwfdb(db, "load", "--json", folder, page, dotted, tmp_path / "alias.txt", folder)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == {"new": 1, "updated": 0, "reread": 0, "unchanged": 0, "duplicate": 0, "failed": 0, "failed_before": 0, "not_statement": 0}
    assert rows(db, "SELECT path, outcome FROM sources") == [(str(page), "loaded")]

"""Finding files in folders: the default globs (texts, pages, web archives), several globs, deep trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import SEED, rows
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.db import locate
from iwfdb.files import search_files

NAMES = ["a.txt", "b.html", "c.htm", "d.warc", "e.warc.gz", "f.pdf", "g.json", "h.gz"]


def _touch(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"x")


def _found_names(search) -> list[str]:
    return [os.path.basename(found.path) for found in search.files]


def test_folders_give_texts_pages_and_web_archives_by_default(tmp_path):
    _touch(tmp_path, NAMES)
    assert _found_names(search_files([tmp_path])) == ["a.txt", "b.html", "c.htm", "d.warc", "e.warc.gz"]


def test_several_globs_replace_the_default_ones(tmp_path):
    _touch(tmp_path, NAMES)
    assert _found_names(search_files([tmp_path], ["*.pdf", "*.json"])) == ["f.pdf", "g.json"]
    assert _found_names(search_files([tmp_path], "*.htm*")) == ["b.html", "c.htm"]


def test_backups_and_hidden_files_of_any_glob_are_skipped_and_said_so(tmp_path):
    _touch(tmp_path, ["page.html~", ".draft.htm", "crawl.warc.gz.bak", "notes.md~"])
    search = search_files([tmp_path])
    assert search.files == []
    assert sorted((item.path.name, item.reason) for item in search.skipped) == [
        (".draft.htm", "hidden file"), ("crawl.warc.gz.bak", "editor backup"), ("page.html~", "editor backup"),
    ]  # fmt: skip


@pytest.fixture
def deep_tree(tmp_path):
    """A tree 1,100 folders deep with a file at the bottom, removed from the bottom up afterwards (pytest's
    own clean-up of old temporary folders would overflow the call stack on it)."""
    folders = [tmp_path / "d"]
    for _ in range(1099):  # one folder at a time: Path.mkdir(parents=True) itself recurses
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    _touch(folders[-1], ["deep.txt"])
    yield folders
    for folder in reversed(folders):
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()


def test_a_tree_1100_folders_deep_is_searched_without_recursion_error(tmp_path, deep_tree):
    _touch(tmp_path / "d", ["shallow.html"])
    search = search_files([tmp_path])
    assert [Path(found.path) for found in search.files] == [deep_tree[-1] / "deep.txt", tmp_path / "d" / "shallow.html"]
    assert search.skipped == []


def test_a_link_loop_deep_in_a_tree_is_searched_once(tmp_path):
    inner = tmp_path.joinpath(*["x"] * 50)
    _touch(inner, ["s.txt"])
    (inner / "back").symlink_to(tmp_path)
    search = search_files([tmp_path])
    assert [Path(found.path) for found in search.files] == [inner / "s.txt"]


def test_load_takes_several_globs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.statement").write_bytes(SEED.read_bytes())
    (folder / "b.news").write_bytes(SEED.read_bytes().replace(b"Tue 7 Mar 2017", b"Wed 8 Mar 2017"))
    (folder / "c.txt").write_bytes(b"not taken: the globs replace the default ones")
    database = tmp_path / "archive.sqlite"
    arguments = ["--db", str(database), "load", "--quiet", "--glob", "*.statement", "--glob", "*.news", str(folder)]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert rows(locate(str(database)), "SELECT count(*) FROM sources") == [(2,)]

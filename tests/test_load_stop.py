"""load_paths(should_stop=...): a load asked to stop commits the files it has saved, and says so."""

from __future__ import annotations


import json

import pytest
from helpers import assert_whole, iwfdb, statement_folder

from iwfdb.store.load import load_paths

FILES = 700  # more than a batch (500), so that a stop can come after a commit and before the next


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return statement_folder(tmp_path_factory.mktemp("corpus"), FILES)


@pytest.mark.parametrize("asked_after", [0, 1, 300, 650])
def test_a_stop_commits_the_files_saved_and_the_next_load_finishes(archives, backend, corpus, tmp_path, asked_after):
    """`asked_after`: how many times should_stop() says no first (about one a file, and one a wait)."""
    db = archives.new(backend, tmp_path)
    asked = []
    committed = []

    def should_stop() -> bool:
        asked.append(True)
        return len(asked) > asked_after

    report = load_paths(db, [corpus], on_file=committed.append, should_stop=should_stop, workers=2)
    assert report.interrupted
    assert len(committed) == sum(report.files.values()) == assert_whole(db) < FILES
    again = load_paths(db, [corpus], workers=2)
    assert not again.interrupted and again.files["unchanged"] == len(committed)
    assert assert_whole(db) == FILES


def test_a_load_never_asked_to_stop_is_not_interrupted(archives, backend, corpus, tmp_path):
    db = archives.new(backend, tmp_path)
    report = load_paths(db, [corpus], should_stop=lambda: False)
    assert not report.interrupted and report.files["new"] == FILES


def test_a_first_load_stopped_early_leaves_the_index_to_the_next_load_and_says_so(archives, backend, corpus, tmp_path):
    db = archives.new(backend, tmp_path)
    asked = []
    report = load_paths(db, [corpus], should_stop=lambda: asked.append(True) or len(asked) > 600, workers=2)
    assert report.interrupted and 0 < sum(report.files.values()) < FILES
    searched = iwfdb(db, "search", "partners", "--format", "json")
    assert searched.exit_code == 0
    assert ("the full-text index is not built yet" in searched.stderr) == (backend == "sqlite")
    check = iwfdb(db, "db", "check")
    assert check.exit_code == 0, check.output  # the rows are sound; the index is only not built
    assert load_paths(db, [corpus], workers=2).files["new"] > 0
    searched = iwfdb(db, "search", "partners", "--limit", "100000", "--format", "json")
    assert "not built" not in searched.stderr and len(json.loads(searched.stdout)) == FILES
    assert "FAILED" not in iwfdb(db, "db", "check").stdout

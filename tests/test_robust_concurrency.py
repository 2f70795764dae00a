"""Concurrent use of one archive: two loads at once, and reads while a load writes.

Writers wait for each other (every write transaction begins IMMEDIATE, and SQLite's busy timeout is a
minute); readers see committed batches of whole files only (WAL), so never half of a statement.
"""

from __future__ import annotations

import json
import shutil
import time

from helpers import content, full_statements_by_file, iwfdb, iwfdb_process, rows, statement_file

PER_FOLDER = 250


def make_folder(folder, numbers):
    folder.mkdir(parents=True)
    for number in numbers:
        (folder / f"{number:04d}.txt").write_text(statement_file(f"Concurrent {number}", number, number % 3))
    return folder


def test_two_loads_at_once_both_finish_without_locking_errors_or_duplicates(archives, backend, tmp_path):
    root = tmp_path / "crawl"
    make_folder(root / "a", range(PER_FOLDER))
    make_folder(root / "b", range(PER_FOLDER, 2 * PER_FOLDER))
    (root / "c").mkdir()
    for number in range(0, PER_FOLDER, 10):  # the same bytes under other names
        shutil.copy(root / "a" / f"{number:04d}.txt", root / "c" / f"copy_{number:04d}.txt")
    db = archives.new(backend, tmp_path)

    first = iwfdb_process(db, "load", "--json", root)  # a, b and c
    second = iwfdb_process(db, "load", "--json", root / "b", root / "c", root / "a" / "0001.txt")  # overlapping
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    for process, (stdout, stderr) in zip((first, second), outputs):
        assert process.returncode == 0, stderr
        assert "locked" not in stderr and "Traceback" not in stderr
        assert json.loads(stdout)["failures"] == []

    total = 2 * PER_FOLDER
    assert rows(db, "SELECT count(*), count(DISTINCT match_key), count(DISTINCT slug) FROM statements") == [
        (total, total, total)]
    assert rows(db, "SELECT count(*), count(DISTINCT path) FROM sources") == [(total + PER_FOLDER // 10,) * 2]
    assert rows(db, "SELECT outcome, count(*) FROM sources GROUP BY outcome ORDER BY outcome") == [
        ("duplicate", PER_FOLDER // 10), ("loaded", total)]
    assert rows(db, "SELECT count(*) FROM (SELECT 1 FROM quotes GROUP BY statement_id, position HAVING count(*) > 1) AS twice"
                ) == [(0,)]  # fmt: skip
    assert rows(db, "SELECT count(*) FROM people") == [(3,)]  # two speakers and the press contact, once each
    assert iwfdb(db, "db", "check").exit_code == 0

    alone = archives.new(backend, tmp_path)
    assert iwfdb(alone, "load", root).exit_code == 0
    assert content(db) == content(alone)


def test_reads_during_a_load_see_only_whole_statements(archives, backend, tmp_path):
    folder = make_folder(tmp_path / "crawl", range(1200))  # more than one batch: several commits
    db = archives.new(backend, tmp_path)
    load = iwfdb_process(db, "load", "--quiet", folder)
    seen, reads_during_load = set(), 0
    try:
        deadline = time.monotonic() + 120
        while load.poll() is None and time.monotonic() < deadline:
            listed = iwfdb(db, "query", "--full-only", "--limit", "100000", "--format", "json")
            assert listed.exit_code in (0, 1), listed.output  # 1: no archive yet, or nothing in it yet
            assert "locked" not in listed.output and "Traceback" not in listed.output
            for statement in json.loads(listed.stdout or "[]"):
                number = int(statement["title"].split()[-1])
                assert (statement["quotes"] or 0) == number % 3, statement
                seen.add(number)
            found = iwfdb(db, "search", "something plain", "--limit", "100000", "--format", "json")
            assert found.exit_code == 0 or "no " in found.stderr, found.output
            assert "locked" not in found.output and "Traceback" not in found.output
            if load.poll() is None:
                reads_during_load += 1
            for number in _numbers_of_half_statements(db):
                raise AssertionError(f"statement {number} is visible without all its quotes")
    finally:
        stdout, stderr = load.communicate(timeout=300)
    assert load.returncode == 0, stderr
    assert reads_during_load > 0
    assert [quotes for _, quotes in full_statements_by_file(db)] == [n % 3 for n in range(1200)]


def _numbers_of_half_statements(db):
    """Full statements whose quotes are fewer than their file holds, read the way any SQLite client would."""
    for path, quotes in full_statements_by_file(db):
        number = int(path.rsplit("/", 1)[1][:4])
        if quotes != number % 3:
            yield number


def test_first_loads_at_once_into_an_empty_archive_take_turns_from_the_first_statement(archives, backend, tmp_path):
    """Each makes the schema if it is not there yet: one makes it, the others wait for it and find it made."""
    folders = [make_folder(tmp_path / name, range(start, start + 20)) for name, start in (("a", 0), ("b", 20), ("c", 40))]
    for _ in range(3):  # three rounds: the race is a matter of milliseconds
        db = archives.unmigrated(backend, tmp_path)
        loads = [iwfdb_process(db, "load", "--json", folder) for folder in folders]
        for load in loads:
            stdout, stderr = load.communicate(timeout=300)
            assert load.returncode == 0, stderr
            assert json.loads(stdout)["failures"] == []
        assert rows(db, "SELECT count(*), count(DISTINCT match_key) FROM statements") == [(60, 60)]
        assert iwfdb(db, "db", "check").exit_code == 0

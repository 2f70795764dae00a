"""`iwfdb load` end to end: real files, the real parser, the CLI's exit codes and the rows it leaves."""

from __future__ import annotations

import gc
import json
import shutil
import sys

import pytest
from helpers import ARCHIVE_FIXTURES as FIXTURES
from helpers import SEED, VALID, as_list, assert_whole, iwfdb, rows, snapshot, statement_folder

from iwfdb.db import Purpose, locate, open_archive
from iwfdb.parse import parse_bytes
from iwfdb.store import parallel
from iwfdb.store.load import LOAD_GC_THRESHOLDS, load_paths


@pytest.fixture
def run(db):
    def invoke(*arguments: str):
        return iwfdb(db, *arguments)

    invoke.database = db
    return invoke


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)
    return folder


def test_loading_the_seeds_makes_the_documented_archive(run, seeds):
    result = run("load", seeds)
    assert result.exit_code == 0, result.output
    assert "1 file: 1 new, 0 updated, 0 unchanged, 0 duplicate, 0 failed" in result.stderr
    database = run.database
    assert rows(database, "SELECT count(*), count(*) FILTER (WHERE card_only) FROM statements") == [(4, 3)]
    assert rows(database, "SELECT speaker, year FROM quote_details") == [("Susie Hargreaves", 2017)]
    ((name, phones),) = rows(database, "SELECT name, phones FROM contact_details")
    assert (name, as_list(phones)) == ("Emma Hardy", ["+441223203030", "+447929553679"])
    links = rows(database, "SELECT target_kind, url, target_published FROM link_details ORDER BY position")
    assert links == [("url", "www.iwf.org.uk", None), ("statement", None, "2024-12-16"),
                     ("statement", None, "2024-10-15"), ("statement", None, "2024-09-25")]  # fmt: skip


def test_loading_the_seeds_again_changes_no_row(run, seeds):
    assert run("load", seeds).exit_code == 0
    before = snapshot(run.database)
    result = run("load", "--json", seeds)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == {"new": 0, "updated": 0, "reread": 0, "unchanged": 1, "duplicate": 0, "failed": 0, "failed_before": 0, "not_statement": 0}
    assert summary["rows"]["statements_added"] == 0
    assert snapshot(run.database) == before


def test_a_changed_file_keeps_its_previous_version(run, seeds):
    run("load", seeds)
    seed = seeds / SEED.name
    seed.write_text(seed.read_text().replace("We are never complacent", "We are never, ever complacent"))
    result = run("load", "--json", seeds)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"]["updated"] == 1
    assert rows(run.database, "SELECT statement_id FROM quotes WHERE text LIKE 'We are never, ever%'") == [(1,)]
    ((record,),) = rows(run.database, "SELECT record FROM revisions WHERE statement_id = 1")
    assert json.loads(record)["quotes"][0]["text"].startswith("We are never complacent")
    assert rows(run.database, "SELECT count(*) FROM statements") == [(4,)]


def test_a_card_only_statement_loaded_in_full_keeps_its_id_and_links(run, seeds):
    run("load", seeds)
    ((card_id, card_only),) = rows(run.database, "SELECT id, card_only FROM statements WHERE title LIKE 'Why Our%'")
    assert card_only
    result = run("load", FIXTURES / "adult_sector.txt")
    assert result.exit_code == 0, result.output
    assert rows(run.database, "SELECT id, card_only, body IS NOT NULL FROM statements WHERE title LIKE 'Why Our%'") == [
        (card_id, False, True)
    ]
    assert rows(run.database, "SELECT count(*) FROM links WHERE target_statement_id = ?", card_id) == [(1,)]
    assert rows(run.database, "SELECT count(*) FROM people WHERE name LIKE 'Susie%'") == [(1,)]
    assert rows(run.database, "SELECT count(*) FROM statements") == [(4,)]


def test_a_file_that_is_not_a_statement_fails_and_the_others_load(run, seeds):
    shutil.copy(FIXTURES / "not_a_statement.txt", seeds)
    result = run("load", seeds)
    assert result.exit_code == 1, result.output
    failure = f"{seeds / 'not_a_statement.txt'}:"
    assert failure in result.stderr
    assert rows(run.database, "SELECT outcome, error LIKE ? FROM sources ORDER BY path", f"{failure}%:%") == [
        ("loaded", None), ("failed", True)
    ]
    assert rows(run.database, "SELECT count(*) FROM statements") == [(4,)]
    assert "0 failed" not in result.stderr and "1 failed" in result.stderr


def test_strict_stops_at_the_first_failure(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "not_a_statement.txt", folder / "a.txt")
    shutil.copy(SEED, folder / "b.txt")
    result = run("load", "--strict", "--json", folder)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["stopped_early"] is True
    assert rows(run.database, "SELECT count(*) FROM statements") == [(0,)]


def test_glob_chooses_the_files_taken_from_folders(run, tmp_path):
    folder = tmp_path / "in"
    (folder / "deep").mkdir(parents=True)
    shutil.copy(SEED, folder / "deep" / "page.statement")
    shutil.copy(FIXTURES / "not_a_statement.txt", folder / "notes.txt")
    result = run("load", "--glob", "*.statement", "--quiet", folder)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert rows(run.database, "SELECT count(*) FROM sources") == [(1,)]


def test_a_missing_path_is_a_usage_error(tmp_path):
    archive = tmp_path / "archive.sqlite"
    result = iwfdb(locate(str(archive)), "load", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.stderr
    assert not archive.exists()


def test_a_database_that_is_not_sqlite_is_a_clear_error(sqlite_db, seeds):
    sqlite_db.path.write_text("not a database\n" * 200)
    result = iwfdb(sqlite_db, "load", seeds)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "not an SQLite archive" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_database_from_a_newer_iwfdb_is_a_clear_error(run, seeds):
    run("load", seeds)
    with open_archive(run.database, Purpose.WRITE) as archive:
        archive.execute("UPDATE alembic_version SET version_num = '0999'")
    result = run("load", seeds)
    assert result.exit_code == 1
    assert "newer iwfdb" in result.stderr


def test_the_command_line_starts_without_the_database_libraries():
    import subprocess
    import sys

    code = "import sys, iwfdb.cli; print(sorted({'sqlalchemy', 'alembic', 'rich', 'phonenumbers'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_read_command_starts_without_the_loader():
    import subprocess
    import sys

    code = "import sys, iwfdb.query; print(sorted({'iwfdb.store.load', 'iwfdb.parse', 'multiprocessing'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_load_that_writes_much_of_a_postgresql_archive_leaves_the_planner_statistics(archives, tmp_path, seeds):
    database = archives.new("postgresql", tmp_path)
    analyzed = "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'statements'"
    assert iwfdb(database, "load", seeds).exit_code == 0
    assert rows(database, analyzed) == [(1,)]
    assert iwfdb(database, "load", seeds).exit_code == 0  # nothing written: the statistics hold
    assert rows(database, analyzed) == [(1,)]


def test_publisher_loads_another_organisations_text_and_query_finds_it_by_publisher(run, seeds):
    shutil.copy(VALID / "other_org_date_before_headline.txt", seeds / "ncmec.txt")
    refused = run("load", str(seeds))
    assert refused.exit_code == 1 and "no mention of the IWF" in refused.stderr  # whose statement it is, unsaid
    loaded = run("load", "--publisher", "NCMEC", str(seeds / "ncmec.txt"))
    assert loaded.exit_code == 0, loaded.output
    ncmec = json.loads(run("query", "--publisher", "NCMEC", "--format", "json").stdout)
    assert [row["publisher"] for row in ncmec] == ["NCMEC"] and ncmec[0]["source_path"].endswith("ncmec.txt")
    iwf = json.loads(run("query", "--publisher", "IWF", "--full-only", "--format", "json").stdout)
    assert [row["title"] for row in iwf] == ["IWF's work with industry and social networks"]
    assert run("query", "--publisher", "Ofcom").stderr == "no statements found\n"


def test_a_folder_in_which_every_file_failed_is_not_read_again_when_nothing_changed(run, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "notes.txt").write_text("Just some notes, not a statement.\n")
    (folder / "empty.txt").write_text("")
    assert run("load", str(folder)).exit_code == 1
    again = run("load", "--json", str(folder))
    assert again.exit_code == 0 and again.stderr == ""
    assert json.loads(again.stdout)["files"]["failed_before"] == 2


def test_a_load_collects_cycles_rarely_while_it_runs_and_puts_the_thresholds_back(db, tmp_path):
    shutil.copy(SEED, tmp_path / "seed.txt")
    seen = []

    def parse(data, source):
        seen.append(gc.get_threshold())
        return parse_bytes(data, source)

    before = gc.get_threshold()
    load_paths(db, [tmp_path], parse=parse, workers=0)
    assert seen == [LOAD_GC_THRESHOLDS] and gc.get_threshold() == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker is forked on Linux only")
def test_a_reload_of_many_files_parses_the_few_changed_in_a_forked_worker(db, tmp_path, monkeypatch):
    """The worker is forked from a loader that holds the archive open: the archive stays whole, and the
    changed statements keep their versions as a re-load parsed here would."""
    monkeypatch.setattr(parallel, "FORK_FROM_FILES", 30)
    monkeypatch.setattr(parallel, "fork_is_safe", lambda: True)  # pytest-xdist runs a thread beside the tests
    folder = statement_folder(tmp_path, 40)
    load_paths(db, [folder], workers=2)
    changed = [folder / f"{number:04d}.txt" for number in (3, 17, 38)]
    for path in changed:
        path.write_text(path.read_text().replace("The IWF works with partners", "The IWF now works with partners"))
    forked = []
    monkeypatch.setattr(parallel.ParsePipeline, "_new_worker", spying(parallel.ParsePipeline._new_worker, forked))
    report = load_paths(db, [folder], workers=2)
    assert forked == [True] and report.files["updated"] == 3 and report.files["unchanged"] == 37
    assert assert_whole(db) == 40
    assert rows(db, "SELECT count(*) FROM revisions") == [(3,)]
    edited = "SELECT count(*) FROM statements WHERE body LIKE '%IWF now works%' OR summary LIKE '%IWF now works%'"
    assert rows(db, edited) == [(3,)]


def spying(new_worker, started: list):
    def recording(pipeline, forked: bool = False):
        started.append(forked)
        return new_worker(pipeline, forked)

    return recording

"""What the command line writes, whatever the archive holds and wherever the output goes.

Text from the archive or from a file name never drives the terminal (tables, record views, messages,
error lines), while JSON keeps it exact; a closed pipe, a full disk or a stop signal end a command
with a known status and no traceback; `--db` is taken after the command too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, iwfdb, statement_file

# What a terminal would obey, as the hostile statement below holds it: an erase-screen, a window-title
# change, a bell, a C1 CSI and a right-to-left override. None may reach stdout or stderr raw.
RAW = re.compile("\x1b[\\[\\]]|[\x07\u009b\u202e]")
HOSTILE_NAME = "evil\x1b[31m\x1b]0;owned\x07\u009b.txt"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """An archive of a statement whose title, quote, speaker, contact and file name hold control characters,
    and a file that fails to load under such a name."""
    folder = tmp_path_factory.mktemp("hostile")
    text = statement_file("Evil title", 3, 1)
    text = (text.replace("Statement - Evil title", "Statement - Evil\x1b[2J title", 1)
            .replace("SpeakerA PersonA", "Speaker\x07A PersonA").replace("quote 0 says", "quote\u009b31m says")
            .replace("Emma Hardy", "Emma\u202e Hardy"))  # fmt: skip
    (folder / HOSTILE_NAME).write_text(text)
    (folder / "bad\x1b]0;owned\x07.txt").write_text("nothing of a statement here\n")
    db = folder / "archive.sqlite"
    result = iwfdb(db, "load", folder)
    assert result.exit_code == 1 and "bad\\x1b]0;owned\\x07.txt:1:1: not a statement" in result.stderr
    assert not RAW.search(result.stderr), result.stderr
    return db


READS = [["query"], ["show", "1"], ["search", "evil"], ["quotes"], ["contacts"], ["people"], ["stats"],
         ["sql", "SELECT s.title, q.text, src.path FROM statements s JOIN quotes q ON q.statement_id = s.id "
                 "JOIN sources src ON src.id = s.source_id"]]  # fmt: skip


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
@pytest.mark.parametrize("width", ["60", "200"])
def test_a_table_shows_control_characters_and_never_obeys_them(hostile, command, width):
    result = iwfdb(hostile, *command, "--format", "table", env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.stdout + result.stderr), result.stdout
    assert "\\x1b[2J" in result.stdout or command[0] in ("quotes", "contacts", "people", "stats")


# A word with a control byte in it is no name: the hostile speaker is unknown, and `people` has nobody to list.
@pytest.mark.parametrize("command", [c for c in READS if c[0] not in ("stats", "people")], ids=lambda c: c[0])
def test_json_keeps_the_data_exact_and_escaped(hostile, command):
    result = iwfdb(hostile, *command, "--format", "json")
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.stdout)
    assert RAW.search("".join(_strings(json.loads(result.stdout)))), result.stdout


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in _strings(item)] if isinstance(value, list) else []


def test_parse_shows_control_characters_in_text_and_keeps_them_in_json(hostile):
    path = hostile.parent / HOSTILE_NAME
    text = iwfdb(hostile, "parse", path)
    assert text.exit_code == 0 and not RAW.search(text.stdout)
    assert "Evil\\x1b[2J title" in text.stdout and "evil\\x1b[31m\\x1b]0;owned\\x07\\x9b.txt" in text.stdout
    record = json.loads(iwfdb(hostile, "parse", path, "--format", "json").stdout)
    assert (record["title"], record["source"]) == ("Evil\x1b[2J title", str(path))
    refused = iwfdb(hostile, "parse", hostile.parent / "bad\x1b]0;owned\x07.txt")
    assert refused.exit_code == 1 and refused.stderr.startswith(f"{hostile.parent}/bad\\x1b]0;owned\\x07.txt:1:1: ")


def test_an_error_message_shows_control_characters(hostile):
    result = iwfdb(hostile, "show", "no such\x1b[2J statement")
    assert result.exit_code == 1 and "no such\\x1b[2J statement" in result.stderr and not RAW.search(result.stderr)


# Where the output goes: a closed pipe, a full disk; and stop signals


# Rows of 2 kB: even the first 1,000 of a table are more than a pipe holds.
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i, printf('%.*c', 2000, 'x') AS t FROM n"


def iwfdb_command(db: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "iwfdb", "--db", str(db), *arguments]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "80"}


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv"])
def test_a_closed_pipe_ends_any_format_at_once_quietly_with_status_141(hostile, fmt):
    started = time.monotonic()
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(iwfdb_command(hostile, "sql", ENDLESS, "--timeout", "60", "--format", fmt),
                            stdout=reader.stdin, stderr=subprocess.PIPE, text=True, env=environment())  # fmt: skip
    reader.stdin.close()
    reader.wait()
    assert (writer.returncode, writer.stderr) == (141, "")
    assert time.monotonic() - started < 10  # an endless result, or a table of its first 1,000 rows


def test_a_full_disk_is_an_error_message_not_a_traceback(hostile):
    with open("/dev/full", "w") as full:
        result = subprocess.run(iwfdb_command(hostile, "sql", ENDLESS.replace("FROM n", "FROM n LIMIT 100000")),
                                stdout=full, stderr=subprocess.PIPE, text=True, env=environment())  # fmt: skip
    assert (result.returncode, result.stderr) == (1, "error: cannot write the output: No space left on device\n")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_ends_a_read_command_with_its_status(hostile, signum):
    process = subprocess.Popen(iwfdb_command(hostile, "sql", ENDLESS.replace("SELECT i,", "SELECT count(i),"),
                                             "--timeout", "60"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment())  # fmt: skip
    time.sleep(0.5)  # well inside the query (start-up takes a tenth of a second)
    process.send_signal(signum)
    signalled = time.monotonic()
    stdout, stderr = process.communicate(timeout=10)
    assert (process.returncode, stdout, stderr) == (128 + signum, "", "interrupted\n")
    assert time.monotonic() - signalled < 2


# Options and messages


def test_db_is_taken_after_the_command_too(hostile, tmp_path):
    elsewhere = tmp_path / "not-this.sqlite"
    for arguments in (["query", "--db", str(hostile)], ["db", "path", "--db", str(hostile)],
                      ["sql", "SELECT 1 AS one", f"--db={hostile}", "-f", "csv"]):  # fmt: skip
        result = iwfdb(elsewhere, *arguments)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() in (str(hostile), "one\n1") or "Evil" in result.stdout
    assert not elsewhere.exists()
    assert "--db PATH" in iwfdb(hostile, "query", "--help").stdout


def test_loading_a_folder_with_no_matching_file_says_so(tmp_path):
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "notes.md").write_text("# Notes")
    result = iwfdb(tmp_path / "archive.sqlite", "load", tmp_path / "crawl", "--quiet")
    assert result.exit_code == 0
    assert result.stderr == (f"found no file to load: nothing under {tmp_path / 'crawl'} matches --glob "
                             "'*.txt *.html *.htm *.warc *.warc.gz'\n")


def test_load_help_says_it_takes_several_paths():
    text = iwfdb(ROOT / "unused.sqlite", "load", "--help", env={"COLUMNS": "200"}).stdout
    assert "Usage: iwfdb load [OPTIONS] PATH..." in text and "One or more statement files" in text


def test_load_json_failures_are_objects_like_skipped(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / ".hidden.txt").write_text("")
    result = iwfdb(tmp_path / "archive.sqlite", "load", "--json", tmp_path / "in")
    summary = json.loads(result.stdout)
    assert result.exit_code == 1 and summary["interrupted"] is False
    assert [list(failure) for failure in summary["failures"]] == [["path", "line", "column", "message"]]
    assert summary["failures"][0] == {"path": str(tmp_path / "in" / "empty.txt"), "line": 1, "column": 1,
                                      "message": "empty file: expected a statement (a title, 'Published: <date>', "
                                                 "then paragraphs)"}  # fmt: skip
    assert summary["skipped"] == [{"path": str(tmp_path / "in" / ".hidden.txt"), "reason": "hidden file"}]


def test_a_speaker_whose_name_holds_a_control_byte_is_unknown_not_a_person(hostile):
    assert json.loads(iwfdb(hostile, "people", "--format", "json").stdout) == []
    quotes = json.loads(iwfdb(hostile, "quotes", "--format", "json").stdout)
    assert [quote["speaker"] for quote in quotes] == [None]

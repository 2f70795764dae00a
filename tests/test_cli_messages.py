"""Every message says what is true, in one style: `error: ...` on stderr, with what to do, and the right exit code."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from helpers import INVALID, SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import iwfdb as run
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iwfdb.cli import app
from iwfdb.cli.archive_cmds import open_output
from iwfdb.errors import UsageError
from iwfdb.query.sql import NAMED_ONLY, _check_parameters

LIST_COMMANDS = [["query"], ["quotes"], ["contacts"], ["people"], ["sources"], ["search", "industry"]]


def bare(*arguments: str):
    return CliRunner().invoke(app, list(arguments))


def assert_one_error_line(result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr
    return lines[0]


# One error style, Click's usage errors included


@pytest.mark.parametrize("arguments, command", [
    (["frobnicate"], "iwfdb"),
    (["--nope"], "iwfdb"),
    (["--db"], "iwfdb"),
    (["query", "--nope"], "iwfdb query"),
    (["query", "--limit"], "iwfdb query"),
    (["query", "--limit", "many"], "iwfdb query"),
    (["show"], "iwfdb show"),
    (["search", "--format", "yaml", "x"], "iwfdb search"),
    (["sql", "SELECT 1", "--param", "x"], "iwfdb sql"),
    (["db", "chek"], "iwfdb db"),
    (["db", "check", "--nope"], "iwfdb db check"),
    (["query", "extra"], "iwfdb query"),
])  # fmt: skip
def test_a_usage_error_is_one_error_line_that_says_where_to_find_help(arguments, command):
    line = assert_one_error_line(bare(*arguments), 2)
    assert line.endswith(f"; try '{command} --help'"), line
    assert line[len("error: ")].islower() and not line.endswith(".")


def test_a_command_or_group_given_nothing_still_shows_its_help():
    for arguments in ([], ["db"]):
        result = bare(*arguments)
        assert "Usage: " in result.output and "Commands:" in result.output
        assert "error:" not in result.output


# --limit and --offset: the same rule on every list command


@pytest.mark.parametrize("command", LIST_COMMANDS)
def test_every_list_command_refuses_a_limit_of_0_and_a_negative_offset(read_db, command):
    for option, value in (("--limit", "0"), ("--limit", "-1"), ("--offset", "-1")):
        line = assert_one_error_line(run(read_db, *command, option, value), 2)
        assert f"'{option}'" in line and f"try 'iwfdb {command[0]} --help'" in line
    assert run(read_db, *command, "--limit", "1", "--format", "json").exit_code == 0
    assert "1 or more" in bare(command[0], "--help").stdout


# Output files


@pytest.mark.parametrize("target, expected", [
    ("missing/x.jsonl", "the folder {tmp}/missing does not exist; create it first"),
    ("missing/deeper/x.jsonl", "the folder {tmp}/missing/deeper does not exist"),
    (".", "{tmp} is a folder; give a file's path, e.g. {tmp}/archive.jsonl"),
    ("a-file/x.jsonl", "a part of the path before it is a file, not a folder"),
])  # fmt: skip
def test_export_to_a_path_it_cannot_write_says_why_and_what_to_do(read_db, tmp_path, target, expected):
    (tmp_path / "a-file").write_text("not a folder")
    before = sorted(tmp_path.rglob("*"))
    path = str(tmp_path) if target == "." else f"{tmp_path}/{target}"
    line = assert_one_error_line(run(read_db, "export", "-o", path), 2)
    assert line.startswith(f"error: --output {path}") and expected.format(tmp=tmp_path) in line, line
    assert sorted(tmp_path.rglob("*")) == before


def test_an_output_path_without_permission_says_so(tmp_path, monkeypatch):
    def refused(*_arguments, **_options):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(UsageError, match="permission denied; give a path in a folder you may write to"):
        open_output(tmp_path / "x.jsonl")


def test_an_output_in_a_folder_that_exists_but_takes_no_file_does_not_say_it_is_missing(read_db):
    line = assert_one_error_line(run(read_db, "export", "-o", "/proc/x.jsonl"), 2)
    assert "cannot be created in /proc" in line and "does not exist" not in line


# Where the archive is: missing, a folder, sqlite:/// and sqlite:////


@pytest.mark.parametrize("command", [["db", "check"], ["db", "current"], ["query"], ["stats"], ["sql", "SELECT 1"]])
def test_a_missing_archive_is_said_missing_never_unsound(tmp_path, command):
    line = assert_one_error_line(run(tmp_path / "none.sqlite", *command), 1)
    assert line == (f"error: no archive at {tmp_path}/none.sqlite; run `iwfdb load FOLDER` first "
                    "(or choose one with --db)")  # fmt: skip
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("command", [
    ["db", "check"], ["db", "current"], ["db", "upgrade"], ["db", "path"], ["query"], ["show", "1"], ["load", "."],
])  # fmt: skip
def test_a_folder_given_as_the_archive_is_said_to_be_one(tmp_path, command):
    line = assert_one_error_line(run(tmp_path, *command), 2)
    assert line == f"error: {tmp_path} is a folder: give the archive's file, e.g. {tmp_path}/iwfdb.sqlite"


def test_three_slashes_name_a_relative_path_and_the_message_says_what_four_would(read_db, tmp_path, monkeypatch):
    if not read_db.is_sqlite:
        pytest.skip("sqlite:/// URLs name SQLite files")
    monkeypatch.chdir(tmp_path)
    relative = f"sqlite://{read_db.path}"  # three slashes, then the path without its leading one
    line = assert_one_error_line(CliRunner().invoke(app, ["--db", relative, "query"]), 1)
    assert line.startswith(f"error: no archive at {tmp_path}{read_db.path}")
    assert f"did you mean sqlite:///{read_db.path}? three slashes name a path from the current folder" in line
    assert CliRunner().invoke(app, ["--db", f"sqlite:///{read_db.path}", "query"]).exit_code == 0
    unknown = assert_one_error_line(CliRunner().invoke(app, ["--db", "sqlite:///nowhere/x.sqlite", "query"]), 1)
    assert "did you mean" not in unknown and f"no archive at {tmp_path}/nowhere/x.sqlite" in unknown


# iwfdb sql


@pytest.mark.parametrize("statement", ["", "   ", "\n\t", ";", "\n-- only a comment", "/* nothing */ ;"])
def test_sql_without_a_statement_is_a_usage_error(reader_db, statement):
    line = assert_one_error_line(run(reader_db, "sql", statement), 2)
    assert "iwfdb sql needs a statement, and was given none" in line


@pytest.mark.parametrize("statement", ["SELECT ?", "SELECT id FROM statements WHERE id = ?", "SELECT ?1"])
def test_a_positional_parameter_is_explained_in_iwfdbs_terms(reader_db, statement):
    result = run(reader_db, "sql", statement)
    assert result.exit_code != 0 and result.stdout == ""
    assert NAMED_ONLY in result.stderr and result.stderr.startswith("error: ")
    assert "Binding" not in result.stderr and "supplied" not in result.stderr
    if reader_db.is_sqlite:
        assert assert_one_error_line(result, 2).startswith("error: the statement has a parameter `?")


def test_a_named_parameter_without_its_value_is_named(reader_db):
    line = assert_one_error_line(run(reader_db, "sql", "SELECT id FROM statements WHERE slug = :slug"), 2)
    assert line == "error: the statement names :slug, which has no value; give it with --param slug VALUE"


def test_question_marks_and_colons_in_literals_and_comments_are_not_parameters(reader_db):
    result = run(reader_db, "sql", "SELECT '?' AS q, ':x' AS c -- ?\n/* ? */", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [{"q": "?", "c": ":x"}])


# show: suggestions only when close


@pytest.mark.parametrize("ref", ["0", "00", "999", "12", "zzzz", "a"])
def test_an_unknown_statement_far_from_every_slug_gets_no_suggestion(read_db, ref):
    line = assert_one_error_line(run(read_db, "show", ref), 1)
    assert line == (f"error: no statement '{ref}' in the archive, nor one whose slug or title is close to it; "
                    "list statements with `iwfdb query`")  # fmt: skip


@pytest.mark.parametrize("ref", ["", "  "])
def test_show_without_a_ref_is_a_usage_error(read_db, ref):
    line = assert_one_error_line(run(read_db, "show", ref), 2)
    assert line == "error: show needs a statement's id or slug, and was given none; list statements with `iwfdb query`"


# serve: the help and the refusal agree


def test_serve_help_says_how_it_serves_postgresql_and_a_server_out_of_reach_is_one_error():
    help_text = " ".join(bare("serve", "--help").stdout.split())
    assert "a postgresql:// URL, served through a read-only SQLite copy that is kept up to date" in help_text
    assert "--copy" in help_text and "--refresh" in help_text
    failed = assert_one_error_line(bare("--db", "postgresql://someone:secret@127.0.0.1:1/x", "serve"), 1)
    assert "cannot use the archive at postgresql://someone:***@127.0.0.1:1/x" in failed and "secret" not in failed


# sources


def test_a_failed_file_is_stored_with_the_same_absolute_path_as_its_row(db, tmp_path, monkeypatch):
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "wiki.txt").write_bytes((INVALID / "wiki_article.txt").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert run(db, "load", "statements").exit_code == 1
    [row] = json.loads(run(db, "sources", "--failed", "--format", "json").stdout)
    assert row["path"] == str(folder / "wiki.txt")
    assert row["error"].startswith(f"{folder / 'wiki.txt'}:1:1: not a statement")


def _crawl(path: Path, pages: int) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for number in range(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = f"<html><body><p>Page {number} is not a statement.</p></body></html>".encode()
            writer.write_record(writer.create_warc_record(
                f"https://www.iwf.org.uk/news/page-{number}", "response", payload=BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"}))  # fmt: skip


def test_the_pages_of_a_web_archive_are_listed_by_their_offset_as_numbers(db, tmp_path):
    _crawl(tmp_path / "crawl.warc", 12)
    run(db, "load", tmp_path)
    listed = json.loads(run(db, "sources", "--format", "json").stdout)
    offsets = [int(row["path"].rpartition("#")[2]) for row in listed if "#" in row["path"]]
    assert len(offsets) == 12 and min(offsets) < 1000 < max(offsets)  # both 3- and 4-digit offsets
    assert offsets == sorted(offsets)
    paged = [json.loads(run(db, "sources", "--limit", "4", "--offset", str(start), "--format", "json").stdout)
             for start in (0, 4, 8, 12)]  # fmt: skip
    assert [row["path"] for page in paged for row in page] == [row["path"] for row in listed]


def test_a_failed_files_table_shows_its_whole_error(db, tmp_path, monkeypatch):
    (tmp_path / "long-named-statement-file-that-fails-to-parse.txt").write_bytes(b"FAIL " + b"word " * 60)
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    run(db, "load", tmp_path)
    [row] = json.loads(run(db, "sources", "--failed", "--format", "json").stdout)
    for width in ("60", "100", "200"):
        monkeypatch.setenv("COLUMNS", width)
        table = run(db, "sources", "--failed", "--format", "table").stdout
        shown = table.split()
        assert "…" not in table and all(word in shown for word in row["error"].split()), (width, table)



# show as a table: every part of the statement, and no `None`

UNTITLED = """Published:\u00a0\u00a0Tue 7 Mar 2017

The IWF works with partners on hashes.

Susie Hargreaves, IWF CEO, said:

\u201cWe are never complacent.\u201d

Ends

Notes to editors:

Contact: Emma Hardy, Director of External Relations +44 (0) 1223 203030.
"""


def test_show_as_a_table_has_the_closing_sections_and_the_warning_that_explains_a_missing_title(db, tmp_path):
    (tmp_path / "untitled.txt").write_text(UNTITLED, encoding="utf-8")
    assert run(db, "load", tmp_path).exit_code == 0
    shown = json.loads(run(db, "show", "1", "--format", "json").stdout)
    assert shown["title"] is None and shown["sections"] and shown["warnings"]
    table = run(db, "show", "1", "--format", "table").stdout
    assert table.splitlines()[0] == "(untitled)" and "None" not in table
    assert "Closing sections" in table and "Parse warnings" in table
    for section in shown["sections"]:
        assert f"{section['heading']} (line {section['line']})" in table
    assert "line 1: no title before 'Published:'" in table


# search: snippets on one line, matches marked in a pipe, no negative zero


def test_search_marks_matches_in_a_table_written_to_a_pipe(read_db):
    table = run(read_db, "search", "industry", "--format", "table").stdout
    assert "[industry]" in table and "\ue000" not in table and "\x1b" not in table


def test_a_snippet_across_paragraphs_is_one_line(db, tmp_path):
    paragraphs = "\n\n".join(f"Zebra {number} ends here.\n\n  Then   a new paragraph." for number in range(4))
    (tmp_path / "zebra.txt").write_text(f"Statement - Zebras\n\nPublished:\u00a0\u00a0Tue 7 Mar 2017\n\n{paragraphs}\n",
                                        encoding="utf-8")  # fmt: skip
    assert run(db, "load", tmp_path).exit_code == 0
    hits = json.loads(run(db, "search", "zebra", "paragraph", "--format", "json").stdout)
    assert hits
    for hit in hits:
        assert hit["snippet"] == " ".join(hit["snippet"].split()) and "[zebra]" in hit["snippet"].casefold()


@pytest.mark.parametrize("score", [-0.0, -0.00001, 0.0, -1.23456])
def test_a_search_score_is_never_a_negative_zero(score):
    from math import copysign

    from iwfdb.query.search import _hit

    hit = _hit(("statement", 1, "slug", None, None, None, "a\n\nb", score))
    assert hit.snippet == "a b" and hit.score == round(score, 4)
    assert copysign(1, hit.score) == (1 if hit.score == 0 else copysign(1, score))
    assert "-0.0" not in json.dumps(hit.score)


def test_the_load_summary_writes_its_counts_with_thousands_separators():
    from iwfdb.cli.load_cmd import _summary
    from iwfdb.store.load import LoadReport
    from iwfdb.store.batch import Counts

    report = LoadReport(rows=Counts(statements_added=12345, quotes_added=1, phones_added=1000))
    report.files.update(new=12345, failed=2000, failed_before=1500)
    files, added = _summary(report)[:2]
    assert files.startswith("15,845 files: 12,345 new, ") and "2,000 failed, 1,500 failed before" in files
    assert added.startswith("added 12,345 statements, 1 quote, 0 contacts (1,000 phones)")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="'\"?:-/*\n ;ax1", max_size=300))
def test_reading_a_statements_parameters_never_fails_but_to_say_what_is_missing(statement):
    try:
        positional = _check_parameters(statement, {"x": "1"})
    except UsageError as error:
        assert "needs a statement" in str(error) or "which has no value" in str(error)
    else:
        assert positional == "" or positional.startswith("?")


def test_reading_a_statements_parameters_takes_time_in_proportion_to_its_length():
    import time

    timings = []
    for size in (20_000, 80_000):
        started = time.perf_counter()
        _check_parameters("SELECT " + "'a' ? \"b\" /* c */ -- d\n" * (size // 25) + "'" * 101, {})
        timings.append(time.perf_counter() - started)
    assert timings[1] < timings[0] * 4 * 3 + 0.05  # four times the text: about four times the time, never sixteen

"""The read commands as a user runs them: exit codes, stdout for data, stderr for messages, every format."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from helpers import iwfdb as run
from helpers import snapshot

from iwfdb.terminal import TABLE_ROWS

SEED_SLUG = "2017-03-07-iwfs-work-with-industry-and-social-networks"

COMMANDS = [
    ["query"], ["query", "--year", "2017"], ["show", SEED_SLUG], ["search", "industry"], ["quotes"], ["contacts"],
    ["people"], ["stats"], ["sql", "SELECT id, slug FROM statements"],
]


@pytest.fixture
def db(reader_db):
    return reader_db


def ok(db, *arguments, env=None):
    result = run(db, *arguments, env=env)
    assert result.exit_code == 0, result.output
    return result


def json_rows(db, *arguments):
    return json.loads(ok(db, *arguments, "--format", "json").stdout)


# The seed, as the issue describes it


def test_seed_year_2024_lists_the_three_card_only_statements(seed_db):
    rows = json_rows(seed_db, "query", "--year", "2024")
    assert [row["published"] for row in rows] == ["2024-12-16", "2024-10-15", "2024-09-25"]
    assert all(row["card_only"] for row in rows)
    table = ok(seed_db, "query", "--year", "2024", "--format", "table", env={"COLUMNS": "200"}).stdout
    assert table.count("known only from a card") == 3


def test_seed_year_2017_lists_the_full_statement_with_its_quote(seed_db):
    (row,) = json_rows(seed_db, "query", "--year", "2017")
    assert (row["title"], row["card_only"], row["quotes"]) == ("IWF's work with industry and social networks", False, 1)
    table = ok(seed_db, "query", "--year", "2017", "--format", "table", env={"COLUMNS": "200"}).stdout
    assert "IWF's work with industry and social networks" in table and "known only" not in table


def test_seed_show_has_quote_contact_phones_and_cards(seed_db):
    text = ok(seed_db, "show", SEED_SLUG, "--format", "table", env={"COLUMNS": "200"}).stdout
    for expected in ("Susie Hargreaves, IWF CEO", "Emma Hardy", "+441223203030", "+447929553679",
                     "e-mail hidden by the page", "Why Our Work with the Adult Sector is Vital", "000_ca4268db049531f8"):
        assert expected in text
    record = json.loads(ok(seed_db, "show", "1", "--format", "json").stdout)
    assert record["slug"] == SEED_SLUG and len(record["quotes"]) == 1 and len(record["links"]) == 4


# Every command, every format


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_json_jsonl_csv_and_tsv_carry_the_same_rows(db, command):
    as_json = json.loads(ok(db, *command, "--format", "json").stdout)
    rows = as_json if isinstance(as_json, list) else [as_json]
    assert rows and all(isinstance(row, dict) for row in rows)
    jsonl = [json.loads(line) for line in ok(db, *command, "--format", "jsonl").stdout.splitlines()]
    assert jsonl == rows
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        back = list(csv.DictReader(io.StringIO(ok(db, *command, "--format", fmt).stdout), delimiter=delimiter))
        assert len(back) == len(rows) and list(back[0]) == list(rows[0])
        assert [row.get("id") for row in back] == [None if "id" not in row else str(row["id"]) for row in rows]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_table_format_prints_and_the_default_in_a_pipe_is_json(db, command):
    assert ok(db, *command, "--format", "table").stdout.strip()
    assert json.loads(ok(db, *command).stdout)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_read_commands_change_nothing(db, command):
    before = snapshot(db)
    ok(db, *command)
    assert snapshot(db) == before


# Filters and ordering through the command line


def test_query_filters_combine(db):
    rows = json_rows(db, "query", "--speaker", "Ms Hargreaves", "--from", "2020", "--kind", "statement")
    assert [row["published"] for row in rows] == ["2023-04-10", "2021-05-12"]
    rows = json_rows(db, "query", "--year", "2019", "--year", "2023", "--oldest-first", "--full-only")
    assert [row["published"] for row in rows] == ["2019-11-14", "2023-04-10"]
    assert [r["published"] for r in json_rows(db, "query", "--contact", "Press Office")] == ["2019-11-14"]
    assert [r["published"] for r in json_rows(db, "query", "--text", "fingerprint", "--limit", "1")] == ["2019-11-14"]


def test_quotes_contacts_people_filters(db):
    assert {r["speaker"] for r in json_rows(db, "quotes", "--speaker", "tom tugendhat")} == {"Tom Tugendhat"}
    assert [r["published"] for r in json_rows(db, "quotes", "--year", "2021")] == ["2021-05-12"]
    assert [r["phones"] for r in json_rows(db, "contacts", "--name", "press office")] == [
        ["+441223203030", "+447929553679"]]
    assert len(json_rows(db, "people", "--limit", "2")) == 2


def test_search_snippets_mark_matches_and_raw_passes_syntax(db, backend):
    hits = json_rows(db, "search", "hash", "list")
    assert hits[0]["slug"] == "2019-11-14-the-image-hash-list-passes-one-million-hashes"
    assert "[" in hits[0]["snippet"] and "]" in hits[0]["snippet"]
    assert json_rows(db, "search", "--raw", {"sqlite": "minister OR tugendhat", "postgresql": "minister | tugendhat"}[backend])


@pytest.mark.parametrize("words", ['hash "list', "e-mail", "NEAR(", "a*", "x'); DROP TABLE statements; --", "hash OR"])
def test_hostile_search_input_is_never_an_error(db, words):
    before = snapshot(db)
    result = run(db, "search", words, "--format", "json")
    assert result.exit_code == 0, result.output
    assert snapshot(db) == before


def test_raw_search_syntax_error_exits_1_with_a_clear_message(db, backend):
    bad, syntax = {"sqlite": ('"unclosed', "FTS5"), "postgresql": ("a &", "PostgreSQL tsquery")}[backend]
    result = run(db, "search", "--raw", bad)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"error: not a valid {syntax} query" in result.stderr and "Traceback" not in result.output


# Empty results, errors and exit codes


@pytest.mark.parametrize("command", [
    ["query", "--year", "1999"], ["search", "zebra"], ["quotes", "--year", "1999"], ["contacts", "--offset", "1000"],
    ["people", "--offset", "1000"], ["sql", "SELECT 1 WHERE 1 = 0"], ["query", "--kind", "x' OR '1'='1"],
])
def test_an_empty_result_is_an_empty_array_in_json_and_nothing_in_jsonl_or_a_table(db, command):
    for fmt, expected in (("json", "[]\n"), ("jsonl", ""), ("table", "")):
        result = run(db, *command, "--format", fmt)
        assert (result.exit_code, result.stdout) == (0, expected), fmt
        assert "no " in result.stderr and "found" in result.stderr


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_an_empty_sql_result_in_csv_and_tsv_is_its_header_row(db, fmt, delimiter):
    result = run(db, "sql", "SELECT id, slug AS name FROM statements WHERE 1 = 0", "--format", fmt)
    assert (result.exit_code, result.stdout) == (0, f"id{delimiter}name\n")
    assert result.stderr == "no rows found\n"


def test_unknown_statement_exits_1_with_suggestions(db):
    result = run(db, "show", "2017-03-08-iwfs-work-with-industry-and-social-networks")
    assert (result.exit_code, result.stdout) == (1, "")
    assert f"did you mean {SEED_SLUG}" in result.stderr


def test_unknown_speaker_exits_1_with_suggestions(db):
    result = run(db, "quotes", "--speaker", "Susie Hargreeves")
    assert result.exit_code == 1 and "did you mean 'Susie Hargreaves'" in result.stderr


def test_missing_archive_exits_1_and_says_what_to_do(tmp_path):
    result = run(tmp_path / "none.sqlite", "query")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no archive at" in result.stderr and "run `iwfdb load FOLDER` first" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("arguments", [
    ["query", "--from", "yesterday"], ["query", "--format", "xml"], ["query", "--limit", "-1"], ["search", " * "],
    ["sql", "SELECT :x"],
])
def test_usage_errors_exit_2(db, arguments):
    result = run(db, *arguments)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""


def test_iwfdb_db_environment_variable_chooses_the_archive(db):
    from typer.testing import CliRunner

    from iwfdb.cli import app

    result = CliRunner().invoke(app, ["query", "--year", "2019", "-f", "json"], env={"IWFDB_DB": str(db)})
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["published"] == "2019-11-14"


# sql


def test_sql_params_and_json_keys_by_column(db):
    rows = json_rows(db, "sql", "SELECT slug, published AS day FROM statements WHERE published >= :since"
                     " AND kind = :kind ORDER BY published", "--param", "since", "2021-01-01", "-p", "kind", "Statement")
    assert list(rows[0]) == ["slug", "day"] and rows[0]["day"] == "2021-05-12"


WRITES = {
    "sqlite": ["PRAGMA query_only=0", "ATTACH 'x.db' AS x", "VACUUM INTO 'y.db'"],
    "postgresql": ["COPY statements TO '/tmp/iwfdb-copied.txt'", "CREATE TABLE evil AS SELECT * FROM statements"],
}
# A server file is beyond what a role that may only read may do: refused for that, before the transaction's mode.
DENIED = {"COPY statements TO '/tmp/iwfdb-copied.txt'": 'error: the role "'}


@pytest.mark.parametrize("sql", ["DELETE FROM statements", "WITH x AS (SELECT 1) DELETE FROM quotes", "DROP TABLE people"])
def test_sql_refuses_writes_with_exit_1(db, backend, sql, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = snapshot(db)
    for statement in (sql, *WRITES[backend]):
        result = run(db, "sql", statement)
        assert result.exit_code == 1 and result.stdout == ""
        assert DENIED.get(statement, "error: iwfdb sql is read-only") in result.stderr, (statement, result.stderr)
    assert snapshot(db) == before and list(tmp_path.iterdir()) == []
    assert not __import__("os").path.exists("/tmp/iwfdb-copied.txt")


def test_sql_timeout_stops_a_runaway_query(db):
    result = run(db, "sql", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
                 "--timeout", "0.2")
    assert result.exit_code == 1 and "stopped after 0.2 s" in result.stderr


def count_to(n: int) -> str:
    return f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) SELECT i, 'row ' || i AS t FROM n"


def test_sql_writes_rows_as_it_reads_them_in_bounded_memory(db, tmp_path):
    """Peak memory of `iwfdb sql ... --format json > file` for 20,000 and for 200,000 rows: the same,
    give or take (read all at once, 270,000 more rows took 130 MB more)."""
    peaks = []
    for rows in (20_000, 200_000):
        out = tmp_path / f"{rows}.json"
        with out.open("w") as stdout:
            process = subprocess.Popen([sys.executable, "-m", "iwfdb", "--db", str(db), "sql", count_to(rows)],
                                       stdout=stdout, stderr=subprocess.PIPE)  # fmt: skip
            _, status, usage = os.wait4(process.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, process.stderr.read()
        assert len(json.loads(out.read_text())) == rows
        peaks.append(usage.ru_maxrss / 1024)  # MB
    assert peaks[1] - peaks[0] < 15, peaks


def test_sql_table_shows_the_first_rows_and_says_how_to_get_them_all(db):
    result = run(db, "sql", count_to(TABLE_ROWS + 500), "--format", "table", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout.count("row ") == TABLE_ROWS
    assert result.stderr == f"the table shows the first {TABLE_ROWS:,} rows; --format csv, tsv, json or jsonl write them all\n"


def test_show_of_a_number_that_also_begins_slugs_says_it_took_the_id(db):
    result = run(db, "show", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["id"] == 2
    assert f"2 is taken as the id of statement {shown['slug']}; for the slugs that begin with 2" in result.stderr
    by_year = run(db, "show", "2019", "--format", "json")  # no statement 2019: the slugs of 2019
    assert by_year.exit_code == 0 and json.loads(by_year.stdout)["published"].startswith("2019")
    slug = json.loads(by_year.stdout)["slug"]
    assert by_year.stderr == f"no statement has the id 2019: it is taken as the start of the slug {slug}\n"


@pytest.mark.parametrize(
    ("command", "what"),
    [(["query"], "statements"), (["quotes"], "quotes"), (["people"], "people"), (["contacts"], "contacts"),
     (["sources"], "files"), (["search", "internet"], "matches")],  # fmt: skip
)
def test_offset_pages_through_a_list_and_a_cut_list_says_which_rows_it_shows(db, command, what):
    everything = json_rows(db, *command)
    assert len(everything) >= 3
    result = ok(db, *command, "--limit", "2", "--offset", "1", "--format", "json")
    assert json.loads(result.stdout) == everything[1:3]
    assert result.stderr == f"{what} 2-3 of {len(everything):,}; see the others with --limit and --offset\n"
    whole = ok(db, *command, "--limit", str(len(everything)), "--format", "json")
    assert whole.stderr == ""  # nothing was left out: nothing to say
    past_the_end = ok(db, *command, "--offset", str(len(everything)), "--format", "json")
    assert (past_the_end.stdout, past_the_end.stderr) == ("[]\n", f"no {what} found\n")

"""The read commands the benchmark times, and their baselines on SQLite: the very SQL a read runs (caught
with a trace callback on the archive's sqlite3 connection), replayed with raw sqlite3 or sqlite-utils."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass

import corpus
from archives import BenchArchive
from measure import median_call


@dataclass(frozen=True)
class Read:
    """A read command: its name in the table, its CLI arguments, and the `iwfdb.query` call behind it."""

    name: str
    argv: list[str]
    call: Callable


def read_commands(info: corpus.CorpusInfo | None, show_name: str, show_ref: str) -> list[Read]:
    """`query` of a year, `search` for a common and for a rare word, `show` of one statement, `stats`."""
    from iwfdb import query

    year = info.search_year if info else corpus.SEARCH_YEAR
    common = info.common_word if info else corpus.COMMON_WORD
    rare = info.rare_word if info else corpus.RARE_WORD
    return [
        Read(f"query --year {year}", ["query", "--year", str(year)],
             lambda a: query.list_statements(a, query.StatementFilter(years=(year,)))),
        Read(f"search {common} (common)", ["search", common], lambda a: query.search(a, common)),
        Read(f"search {rare} (rare)", ["search", rare], lambda a: query.search(a, rare)),
        Read(show_name, ["show", show_ref], lambda a: query.find_statement(a, show_ref)),
        Read("stats", ["stats"], query.get_stats),
    ]  # fmt: skip


def rows_of(answer) -> tuple[int, int]:
    """(rows shown, rows in all) of what a read function returned: a Page, a list, or one record."""
    if hasattr(answer, "items") and hasattr(answer, "total"):
        return len(answer.items), answer.total
    count = len(answer) if isinstance(answer, list) else 1
    return count, count


def traced_sql(archive: BenchArchive, read: Read) -> list[str]:
    """The SQL statements (values bound in) that an in-process read runs on a SQLite archive."""
    statements: list[str] = []
    with archive.open() as opened:
        opened.connection.set_trace_callback(statements.append)
        read.call(opened)
    return [sql for sql in statements if not sql.lstrip().startswith("--")]


def replay_seconds(uri: str, statements: list[str], repeat: int) -> float:
    """Median seconds of running `statements` with raw sqlite3 on a connection opened once."""
    with sqlite3.connect(uri, uri=True) as connection:

        def replay():
            for statement in statements:
                connection.execute(statement).fetchall()

        return median_call(replay, repeat)[0]


def slowest(uri: str, statements: list[str]) -> str:
    return max(statements, key=lambda sql: replay_seconds(uri, [sql], 3)) if statements else "SELECT 1"


def query_process(sqlite_utils: str | None, database: str, sql: str) -> tuple[list[str], str]:
    """The command line that runs one SQL statement as a process, printing JSON, and its label."""
    if sqlite_utils:
        return [sqlite_utils, "query", database, sql], "sqlite-utils query"
    script = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.row_factory = sqlite3.Row; "
              "print(json.dumps([dict(r) for r in c.execute(sys.argv[2])]))")  # fmt: skip
    return [sys.executable, "-c", script, database, sql], "python sqlite3"

"""Helpers for the robustness tests (tests/test_robust_*.py): run iwfdb, and compare what archives hold.

`content(db)` is what an archive says about statements, without what depends on where the files were
and when they were loaded (ids, paths, hashes, times): two archives built from equivalent files, or by an
interrupted load and a whole one, must have the same content.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iwfdb.cli import app

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SEED = ROOT / "seeds" / "000_ca4268db049531f8.txt"
VALID = TESTS / "fixtures" / "valid"
INVALID = TESTS / "fixtures" / "invalid"

# Columns that say where and when, not what: left out of `content`.
WHERE_AND_WHEN = {"id", "sha256", "source_id", "first_loaded_at", "last_loaded_at", "loaded_at", "replaced_at",
                  "source_path"}  # fmt: skip
CONTENT_TABLES = ("statements", "quotes", "contacts", "contact_phones", "links", "sections", "people", "revisions",
                  "parse_warnings")


def iwfdb(db: Path, *arguments, env: dict[str, str] | None = None):
    """`iwfdb --db DB ARGUMENTS...` in-process; result.stdout and result.stderr are kept apart."""
    return CliRunner().invoke(app, ["--db", str(db), *map(str, arguments)], env=env)


def iwfdb_process(db: Path, *arguments, **options) -> subprocess.Popen:
    """`python -m iwfdb --db DB ARGUMENTS...` as a process of its own (for kills and concurrent use)."""
    command = [sys.executable, "-m", "iwfdb", "--db", str(db), *map(str, arguments)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **options)


def rows(db: Path, sql: str, *parameters) -> list[tuple]:
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        return connection.execute(sql, parameters).fetchall()


def empty_archive(folder: Path) -> Path:
    """A new archive at the newest schema, made once by `iwfdb db upgrade`: copies of it skip the migrations."""
    db = folder / "empty.sqlite"
    result = iwfdb(db, "db", "upgrade")
    assert result.exit_code == 0, result.output
    return db


def copy_of(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """An empty archive at the newest schema, made once per test module."""
    return empty_archive(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db(template, tmp_path) -> Path:
    """A new archive for one test (a copy of the template: no migrations to run)."""
    return copy_of(template, tmp_path / "archive.sqlite")


def content(db: Path) -> dict[str, list[tuple]]:
    """Every content row, with ids replaced by natural keys and where/when columns left out; sorted."""
    with closing(sqlite3.connect(db)) as connection:
        statements = dict(connection.execute("SELECT id, match_key FROM statements"))
        people = dict(connection.execute("SELECT id, name_key FROM people"))
        contacts = {i: (statements[s], p) for i, s, p in connection.execute(
            "SELECT id, statement_id, position FROM contacts")}  # fmt: skip
        keys = {"statement_id": statements, "target_statement_id": statements, "person_id": people,
                "contact_id": contacts}  # fmt: skip
        result = {}
        for table in CONTENT_TABLES:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            names = [column[0] for column in cursor.description]
            result[table] = sorted(
                (tuple(keys[n].get(v) if n in keys else v for n, v in zip(names, row) if n not in WHERE_AND_WHEN)
                 for row in cursor),
                key=repr,
            )  # fmt: skip
        return result


def full_statements_by_file(db: Path) -> list[tuple[str, int]]:
    """(file name, number of quotes) of every full statement: a half-written one would show a wrong count."""
    return rows(db, """
        SELECT src.path, (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id)
        FROM statements s JOIN sources src ON src.id = s.source_id
        WHERE s.card_only = 0 ORDER BY src.path""")  # fmt: skip


def statement_file(title: str, day: int, quotes: int, words: str = "") -> str:
    """A small statement in the reference layout, published `day` days after 1 January 2010, with `quotes`
    quotes by different people."""
    published = date(2010, 1, 1) + timedelta(days=day)
    parts = [f"Statement - {title}", "", f"Published:\u00a0\u00a0{published:%a} {published.day} {published:%b %Y}", "",
             f"The IWF works with partners on {title.lower()}. {words}".strip()]  # fmt: skip
    for number in range(quotes):
        parts += ["", f"Speaker{chr(65 + number)} Person{chr(65 + number)}, Analyst {number}, said:", "",
                  f"“Statement {title} quote {number} says something plain.”"]  # fmt: skip
    parts += ["", "Ends", "", "Notes to editors:", "", "Contact: Emma Hardy, Director of External Relations "
              "+44 (0) 1223 203030."]  # fmt: skip
    return "\n".join(parts) + "\n"


def statement_folder(folder: Path, count: int) -> Path:
    """`count` small statements, 0 to 2 quotes each (the number of quotes is the file's number modulo 3)."""
    for number in range(count):
        (folder / f"{number:04d}.txt").write_text(statement_file(f"Killed load {number}", number, number % 3))
    return folder


def quotes_expected(path: str) -> int:
    return int(os.path.basename(path)[:4]) % 3


def assert_whole(db: Path) -> int:
    """db check passes; each loaded file of a statement_folder has its one full statement, with all its quotes;
    nothing else is full. Returns how many files are loaded."""
    check = iwfdb(db, "db", "check")
    assert check.exit_code == 0, check.output
    statements = full_statements_by_file(db)
    assert [(path, quotes_expected(path)) for path, _ in statements] == statements
    loaded = rows(db, "SELECT path FROM sources WHERE outcome IN ('loaded', 'updated') ORDER BY path")
    assert [path for path, _ in statements] == [path for (path,) in loaded]
    return len(statements)


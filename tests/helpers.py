"""What the tests share besides fixtures (those are in conftest.py): running iwfdb, reading an archive back,
hand-made statements and a stand-in parser.

An archive is named by an `iwfdb.db.Location` (a SQLite file or a PostgreSQL database), so that a test runs
the same on both backends; `rows` and `content` read it through iwfdb's own door, in portable SQL.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.db import Location, Purpose, locate, open_archive
from iwfdb.errors import ParseError
from iwfdb.records import Contact, Link, Paragraph, ParsedFile, Phone, Quote, RelatedCard, Section, Statement

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_ca4268db049531f8.txt"
FIXTURES = TESTS / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
READ_FIXTURES = FIXTURES / "archive_read"
ARCHIVE_FIXTURES = FIXTURES / "archive"

# Columns that say where and when, not what: left out of `content`.
WHERE_AND_WHEN = {"id", "sha256", "source_id", "first_loaded_at", "last_loaded_at", "loaded_at", "replaced_at",
                  "source_path"}  # fmt: skip
CONTENT_TABLES = ("statements", "quotes", "contacts", "contact_phones", "links", "sections", "people", "revisions",
                  "parse_warnings")  # fmt: skip


def db_option(db: Location | Path | str) -> str:
    """The --db value that names this archive (a Path is a SQLite file, a str is given as it is)."""
    if isinstance(db, (Path, str)):
        return str(db)
    return str(db.path) if db.is_sqlite else db.url


def iwfdb(db: Location | Path, *arguments, env: dict[str, str] | None = None):
    """`iwfdb --db DB ARGUMENTS...` in-process; result.stdout and result.stderr are kept apart."""
    return CliRunner().invoke(app, ["--db", db_option(db), *map(str, arguments)], env=env)


def iwfdb_process(db: Location | Path, *arguments, **options) -> subprocess.Popen:
    """`python -m iwfdb --db DB ARGUMENTS...` as a process of its own (for kills and concurrent use)."""
    command = [sys.executable, "-m", "iwfdb", "--db", db_option(db), *map(str, arguments)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **options)


def build_archive(folder: Path, database: Path) -> Path:
    """A SQLite archive file of every statement file in `folder`, loaded by `iwfdb load`."""
    result = iwfdb(database, "load", folder)
    assert result.exit_code == 0, result.output
    return database


def as_location(db: Location | Path) -> Location:
    return locate(str(db)) if isinstance(db, Path) else db


def rows(db: Location | Path, sql: str, *parameters) -> list[tuple]:
    """The rows of one portable SQL query (`?` parameters) on the archive, as tuples."""
    with open_archive(as_location(db), Purpose.INSPECT) as archive:
        return [tuple(row) for row in archive.execute(sql, parameters).fetchall()]


def write_sql(db: Location, *statements: str, **parameters) -> None:
    """Change an archive behind iwfdb's back, as another tool (or an older iwfdb) would: `:name` parameters."""
    import sqlalchemy

    from iwfdb.db import side_of

    engine = side_of(db).migration_engine(db)
    try:
        with engine.begin() as connection:
            for sql in statements:
                connection.execute(sqlalchemy.text(sql), parameters)
    finally:
        engine.dispose()


def table_names(db: Location | Path) -> list[str]:
    """Every table of the archive (SQLite's full-text shadow tables included): what a snapshot compares."""
    with open_archive(as_location(db), Purpose.INSPECT) as archive:
        return sorted(archive.side.table_names(archive.connection))


def snapshot(db: Location | Path) -> dict[str, list[tuple]]:
    """Every row of every table, to compare an archive before and after."""
    return {table: sorted(rows(db, f'SELECT * FROM "{table}"'), key=repr) for table in table_names(db)}


def content(db: Location) -> dict[str, list[tuple]]:
    """Every content row, with ids replaced by natural keys and where/when columns left out; sorted.

    Two archives built from equivalent files, or by an interrupted load and a whole one, have the same content.
    """
    statements = dict(rows(db, "SELECT id, match_key FROM statements"))
    people = dict(rows(db, "SELECT id, name_key FROM people"))
    contacts = {i: (statements[s], p) for i, s, p in rows(db, "SELECT id, statement_id, position FROM contacts")}
    keys = {"statement_id": statements, "target_statement_id": statements, "person_id": people,
            "contact_id": contacts}  # fmt: skip
    result = {}
    with open_archive(db, Purpose.INSPECT) as archive:
        for table in CONTENT_TABLES:
            cursor = archive.execute(f'SELECT * FROM "{table}"')
            names = [column[0] for column in cursor.description]
            result[table] = sorted(
                (tuple(keys[n].get(v) if n in keys else v for n, v in zip(names, row) if n not in WHERE_AND_WHEN)
                 for row in cursor.fetchall()),
                key=repr,
            )  # fmt: skip
    return result


def full_statements_by_file(db: Location) -> list[tuple[str, int]]:
    """(file name, number of quotes) of every full statement: a half-written one would show a wrong count."""
    return rows(db, """
        SELECT src.path, (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id)
        FROM statements s JOIN sources src ON src.id = s.source_id
        WHERE NOT s.card_only ORDER BY src.path""")  # fmt: skip


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


CARDS = (
    RelatedCard("IWF welcomes Ofcom duties, but warns more needed to realise ‘hopes of a safer internet’",
                "New online safety guidelines need to be more ambitious.", date(2024, 12, 16), "Statement", 50),
    RelatedCard("UK and US Unite to Tackle Online Child Sexual Abuse and Exploitation",
                "The UK and US lead the charge.", date(2024, 10, 15), "Statement", 56),
    RelatedCard("Why Our Work with the Adult Sector is Vital",
                "Two years ago, IWF took a conscious and deliberate decision.", date(2024, 9, 25), "Statement", 62),
)  # fmt: skip


def seed_statement(**changes) -> Statement:
    """A statement shaped like the seed file: one quote, one contact with two phones, one URL, three cards."""
    values = dict(
        title="IWF's work with industry and social networks",
        kind="Statement",
        published=date(2017, 3, 7),
        byline=None,
        summary=None,
        body=(Paragraph("The IWF receives reports from the public.", 5), Paragraph("We act on material.", 7)),
        quotes=(Quote("Susie Hargreaves", "person", "IWF CEO", "OBE", "We are never complacent.", 17,
                      "IWF CEO, Susie Hargreaves, OBE said:"),),
        contacts=(Contact("Emma Hardy", "Director of External Relations", None, True,
                          (Phone("+44 (0) 1223 203030", "+441223203030"), Phone("+44 (0) 7929 553679", "+447929553679")),
                          (), 29),),
        links=(Link("https://www.iwf.org.uk", "www.iwf.org.uk", 35),),
        related=CARDS,
        sections=(Section("Notes to editors", "Contact: Emma Hardy", 27),),
    )  # fmt: skip
    values.update(changes)
    return Statement(**values)


class FakeParser:
    """Parses files whose text is a name registered here; text starting with FAIL is refused."""

    def __init__(self, **statements: Statement):
        self.statements = statements
        self.calls = 0

    def __call__(self, data: bytes, source: str) -> ParsedFile:
        self.calls += 1
        text = data.decode().strip()
        if text.startswith("FAIL"):
            raise ParseError("not a statement", source, 1, 1)
        statement = self.statements[text.split()[0]]
        return ParsedFile(source, hashlib.sha256(data).hexdigest(), len(data), statement)


def as_list(value):
    """A JSON array from a view as the engine gives it: SQLite's JSON text, PostgreSQL's decoded json."""
    return json.loads(value) if isinstance(value, str) else value


def statement_folder(folder: Path, count: int) -> Path:
    """`count` small statements, 0 to 2 quotes each (the number of quotes is the file's number modulo 3)."""
    for number in range(count):
        (folder / f"{number:04d}.txt").write_text(statement_file(f"Killed load {number}", number, number % 3))
    return folder


def quotes_expected(path: str) -> int:
    return int(os.path.basename(path)[:4]) % 3


def assert_whole(db: Location) -> int:
    """db check passes; each loaded file of a statement_folder has its one full statement, with all its quotes;
    nothing else is full. Returns how many files are loaded."""
    check = iwfdb(db, "db", "check")
    assert check.exit_code == 0, check.output
    statements = full_statements_by_file(db)
    assert [(path, quotes_expected(path)) for path, _ in statements] == statements
    loaded = rows(db, "SELECT path FROM sources WHERE outcome IN ('loaded', 'updated') ORDER BY path")
    assert [path for path, _ in statements] == [path for (path,) in loaded]
    return len(statements)

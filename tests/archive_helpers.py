"""Helpers for the store and load tests: hand-made statements, a stand-in parser, table snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

from iwfdb.errors import ParseError
from iwfdb.records import Contact, Link, Paragraph, ParsedFile, Phone, Quote, RelatedCard, Section, Statement

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_ca4268db049531f8.txt"

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


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables included), to compare an archive before and after."""
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def rows(database: Path, sql: str, *parameters) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()

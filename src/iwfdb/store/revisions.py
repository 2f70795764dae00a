"""Keeping a statement's previous version before a load replaces it.

The version is rebuilt from the rows the archive holds and stored as JSON in the shape of
`iwfdb parse --format json`, so that a revision reads like any parsed statement. It holds everything
the archive held: what the archive never kept (paragraph line numbers) is not in it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from iwfdb import records
from iwfdb.store.rows import CAPTION_HEADING


def save_revision(connection: sqlite3.Connection, statement_id: int, now: str) -> None:
    """Copy the statement as it stands into `revisions`, before it is replaced."""
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row
    row = cursor.execute(
        "SELECT s.*, src.path FROM statements s LEFT JOIN sources src ON src.id = s.source_id WHERE s.id = ?",
        (statement_id,),
    ).fetchone()
    source = row["path"] if not row["card_only"] else None
    parsed = records.ParsedFile(source=source, sha256=row["sha256"], size=0, statement=stored_statement(cursor, row))
    cursor.execute(
        "INSERT INTO revisions (statement_id, sha256, source_path, loaded_at, replaced_at, record) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (statement_id, row["sha256"], source, row["last_loaded_at"], now,
         json.dumps(records.parsed_file_to_dict(parsed), ensure_ascii=False)),
    )  # fmt: skip


def stored_statement(cursor: sqlite3.Cursor, row: sqlite3.Row) -> records.Statement:
    """The statement a `statements` row and the rows of its parts describe (`cursor` yields sqlite3.Row)."""
    parts = _parts(cursor, "sections", row["id"])
    sections = [records.Section(s["heading"], s["text"], s["line"]) for s in parts]
    return records.Statement(
        title=row["title"],
        kind=row["kind"],
        published=_date(row["published"]),
        byline=row["byline"],
        summary=row["summary"],
        body=tuple(records.Paragraph(text, 0) for text in (row["body"] or "").split("\n\n") if text),
        quotes=_quotes(cursor, row["id"]),
        contacts=_contacts(cursor, row["id"]),
        links=tuple(records.Link(link["url"], link["text"], link["line"]) for link in _links(cursor, row["id"], True)),
        related=tuple(
            records.RelatedCard(link["text"], link["summary"], _date(link["published"]), link["kind"], link["line"])
            for link in _links(cursor, row["id"], False)
        ),
        sections=tuple(s for s in sections if s.heading != CAPTION_HEADING),
        captions=tuple(records.Paragraph(s.text, s.line) for s in sections if s.heading == CAPTION_HEADING),
        warnings=tuple(
            records.ParseWarning(w["line"], w["message"]) for w in _parts(cursor, "parse_warnings", row["source_id"])
        ) if not row["card_only"] else (),
    )  # fmt: skip


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _parts(cursor: sqlite3.Cursor, table: str, owner_id: int) -> list[sqlite3.Row]:
    owner = "source_id" if table == "parse_warnings" else "contact_id" if table == "contact_phones" else "statement_id"
    return cursor.execute(f"SELECT * FROM {table} WHERE {owner} = ? ORDER BY position", (owner_id,)).fetchall()


def _quotes(cursor: sqlite3.Cursor, statement_id: int) -> tuple[records.Quote, ...]:
    rows = cursor.execute(
        "SELECT q.*, p.kind AS person_kind FROM quotes q LEFT JOIN people p ON p.id = q.person_id "
        "WHERE q.statement_id = ? ORDER BY q.position",
        (statement_id,),
    ).fetchall()
    return tuple(
        records.Quote(q["speaker"], q["person_kind"] or "unknown", q["role"], q["honours"], q["text"], q["line"],
                      q["attribution"])
        for q in rows
    )  # fmt: skip


def _contacts(cursor: sqlite3.Cursor, statement_id: int) -> tuple[records.Contact, ...]:
    contacts = []
    for c in _parts(cursor, "contacts", statement_id):
        phones = tuple(records.Phone(p["raw"], p["e164"]) for p in _parts(cursor, "contact_phones", c["id"]))
        contacts.append(records.Contact(c["name"], c["role"], c["email"], bool(c["email_hidden"]), phones,
                                        tuple(c["handles"].split()), c["line"]))  # fmt: skip
    return tuple(contacts)


def _links(cursor: sqlite3.Cursor, statement_id: int, urls: bool) -> list[sqlite3.Row]:
    return cursor.execute(
        "SELECT l.url, l.text, l.summary, l.line, t.published, t.kind FROM links l "
        "LEFT JOIN statements t ON t.id = l.target_statement_id "
        f"WHERE l.statement_id = ? AND l.url IS {'NOT NULL' if urls else 'NULL'} ORDER BY l.position",
        (statement_id,),
    ).fetchall()

"""Keeping a statement's previous version before a load replaces it.

The version is rebuilt from the rows the archive holds and stored as JSON in the shape of
`iwfdb parse --format json`, so that a revision reads like any parsed statement. It holds everything
the archive held: what the archive never kept (image captions, paragraph line numbers) is not in it.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from iwfdb import records
from iwfdb.store.rows import CAPTION_HEADING
from iwfdb.store.tables import (
    CONTACTS, LINKS, PEOPLE, PHONES, QUOTES, REVISIONS, SECTIONS, SOURCES, STATEMENTS, WARNINGS,
)  # fmt: skip


def save_revision(connection: Connection, statement_id: int, now: str) -> None:
    """Copy the statement as it stands into `revisions`, before it is replaced."""
    row = connection.execute(
        select(STATEMENTS, SOURCES.c.path).outerjoin(SOURCES, SOURCES.c.id == STATEMENTS.c.source_id)
        .where(STATEMENTS.c.id == statement_id)
    ).one()  # fmt: skip
    parsed = records.ParsedFile(
        source=row.path if not row.card_only else None,
        sha256=row.sha256,
        size=0,
        statement=stored_statement(connection, row),
    )
    connection.execute(insert(REVISIONS), {
        "statement_id": statement_id, "sha256": row.sha256, "source_path": parsed.source,
        "loaded_at": row.last_loaded_at, "replaced_at": now,
        "record": json.dumps(records.parsed_file_to_dict(parsed), ensure_ascii=False),
    })  # fmt: skip


def stored_statement(connection: Connection, row) -> records.Statement:
    """The statement a `statements` row and the rows of its parts describe."""
    sections = [records.Section(s.heading, s.text, s.line) for s in connection.execute(_parts(SECTIONS, row.id))]
    return records.Statement(
        title=row.title,
        kind=row.kind,
        published=_date(row.published),
        byline=row.byline,
        summary=row.summary,
        body=tuple(records.Paragraph(text, 0) for text in (row.body or "").split("\n\n") if text),
        quotes=_quotes(connection, row.id),
        contacts=_contacts(connection, row.id),
        links=tuple(records.Link(link.url, link.text, link.line) for link in _links(connection, row.id, url=True)),
        related=tuple(
            records.RelatedCard(link.text, link.summary, _date(link.published), link.kind, link.line)
            for link in _links(connection, row.id, url=False)
        ),
        sections=tuple(s for s in sections if s.heading != CAPTION_HEADING),
        captions=tuple(records.Paragraph(s.text, s.line) for s in sections if s.heading == CAPTION_HEADING),
        warnings=tuple(
            records.ParseWarning(w.line, w.message)
            for w in connection.execute(_parts(WARNINGS, row.source_id, WARNINGS.c.source_id))
        ) if not row.card_only else (),
    )  # fmt: skip


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _parts(table, owner_id: int, owner_column=None):
    column = table.c.statement_id if owner_column is None else owner_column
    return select(table).where(column == owner_id).order_by(table.c.position)


def _quotes(connection: Connection, statement_id: int) -> tuple[records.Quote, ...]:
    query = (
        select(QUOTES, PEOPLE.c.kind.label("person_kind"))
        .outerjoin(PEOPLE, PEOPLE.c.id == QUOTES.c.person_id)
        .where(QUOTES.c.statement_id == statement_id)
        .order_by(QUOTES.c.position)
    )
    return tuple(
        records.Quote(q.speaker, q.person_kind or "unknown", q.role, q.honours, q.text, q.line, q.attribution)
        for q in connection.execute(query)
    )


def _contacts(connection: Connection, statement_id: int) -> tuple[records.Contact, ...]:
    contacts = []
    for c in connection.execute(_parts(CONTACTS, statement_id)):
        phones = tuple(
            records.Phone(p.raw, p.e164) for p in connection.execute(_parts(PHONES, c.id, PHONES.c.contact_id))
        )
        handles = tuple(c.handles.split())
        contacts.append(records.Contact(c.name, c.role, c.email, bool(c.email_hidden), phones, handles, c.line))
    return tuple(contacts)


def _links(connection: Connection, statement_id: int, url: bool):
    target = STATEMENTS.alias("target")
    query = (
        select(LINKS.c.url, LINKS.c.text, LINKS.c.summary, LINKS.c.line, target.c.published, target.c.kind)
        .outerjoin(target, target.c.id == LINKS.c.target_statement_id)
        .where(LINKS.c.statement_id == statement_id)
        .where(LINKS.c.url.is_not(None) if url else LINKS.c.url.is_(None))
        .order_by(LINKS.c.position)
    )
    return list(connection.execute(query))

"""A statement's rows turned back into records: the one place that reads a statement whole from the archive.

`iwfdb show` prints what `read_statement` gives, and a revision stores `as_parsed(read_statement(...))` in the
shape of `iwfdb parse --format json`, so both always describe a stored statement the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from iwfdb import records
from iwfdb.db import Archive, in_chunks, placeholders
from iwfdb.store.rows import CAPTION_HEADING

# Each query reads the rows of a chunk of statements at once, `{ids}` its IN list, the owner's id first: an
# export of 1,500 statements asked 11 queries a statement, and on a server each costs a round trip.
_STATEMENTS = """
    SELECT id, slug, title, kind, published, byline, summary, body, card_only, sha256, first_loaded_at,
           last_loaded_at, url, publisher, source_id
    FROM statements WHERE id IN ({ids})"""
_QUOTES = """
    SELECT statement_id, position, speaker, speaker_kind, role, honours, attribution, text, line
    FROM quotes WHERE statement_id IN ({ids}) ORDER BY statement_id, position"""
_CONTACTS = """
    SELECT statement_id, id, name, role, email, email_hidden, handles, line, kind FROM contacts
    WHERE statement_id IN ({ids}) ORDER BY statement_id, position"""
_PHONES = """
    SELECT ph.contact_id, ph.raw, ph.e164 FROM contact_phones ph JOIN contacts c ON c.id = ph.contact_id
    WHERE c.statement_id IN ({ids}) ORDER BY ph.contact_id, ph.position"""
_LINKS = """
    SELECT l.statement_id, l.position, CASE WHEN l.target_statement_id IS NULL THEN 'url' ELSE 'statement' END,
           l.url, l.target_statement_id, t.slug, t.title, t.published, l.text, l.line, l.summary, t.kind
    FROM links l LEFT JOIN statements t ON t.id = l.target_statement_id
    WHERE l.statement_id IN ({ids}) ORDER BY l.statement_id, l.position"""
_CITED_BY = """
    SELECT DISTINCT l.target_statement_id, s.id, s.slug, s.title, s.published
    FROM links l JOIN statements s ON s.id = l.statement_id
    WHERE l.target_statement_id IN ({ids}) ORDER BY l.target_statement_id, s.published DESC, s.id"""
_SECTIONS = """
    SELECT statement_id, heading, text, line FROM sections WHERE statement_id IN ({ids})
    ORDER BY statement_id, position"""
SourceRow = tuple[str, "str | None", "int | None", str, str, str]  # of _SOURCES, after the id
_SOURCES = "SELECT id, path, sha256, size, outcome, first_loaded_at, last_loaded_at FROM sources WHERE id IN ({ids})"
_REVISIONS = """
    SELECT statement_id, id, sha256, source_path, loaded_at, replaced_at FROM revisions
    WHERE statement_id IN ({ids}) ORDER BY statement_id, replaced_at, id"""
_WARNINGS = """
    SELECT source_id, line, message FROM parse_warnings WHERE source_id IN ({ids}) ORDER BY source_id, position"""
_PARTS = (_QUOTES, _CONTACTS, _LINKS, _SECTIONS)  # what a version of a statement holds
_SURROUNDINGS = (_CITED_BY, _REVISIONS)  # what `show` prints around it


def read_statement(archive: Archive, statement_id: int, surroundings: bool = True) -> records.StoredStatement:
    """The statement with this id and all its parts (LookupError if there is none); see read_statements."""
    found = read_statements(archive, [statement_id], surroundings)
    if not found:
        raise LookupError(statement_id)
    return found[0]


def read_statements(
    archive: Archive, statement_ids: Sequence[int], surroundings: bool = True
) -> list[records.StoredStatement]:
    """The statements with these ids, in that order (an id that is none is left out), with all their parts: one
    query a table for all of them. Without `surroundings`, what cites each statement and its earlier versions
    are left empty: a version of a statement (a revision, an export, a comparison) holds neither, and reading
    them was half the time a re-load spent keeping the versions it replaced."""
    statements = {row[0]: row for row in _owned(archive, _STATEMENTS, statement_ids)}
    parts = {sql: _grouped(archive, sql, statement_ids) for sql in _PARTS + (_SURROUNDINGS if surroundings else ())}
    phones: dict[int, list[records.Phone]] = {}
    for contact_id, raw, e164 in _owned(archive, _PHONES, statement_ids):
        phones.setdefault(contact_id, []).append(records.Phone(raw, e164))
    source_ids = sorted({row[-1] for row in statements.values() if row[-1] is not None})
    sources = {row[0]: row[1:] for row in _owned(archive, _SOURCES, source_ids)}
    warnings = _grouped(archive, _WARNINGS, source_ids)
    return [_stored(statements[i], parts, phones, sources, warnings) for i in statement_ids if i in statements]


def _stored(
    row: tuple,
    parts: dict[str, dict[int, list[tuple]]],
    phones: dict[int, list[records.Phone]],
    sources: dict[int, SourceRow],
    warnings: dict[int, list[tuple]],
) -> records.StoredStatement:
    (
        statement_id,
        slug,
        title,
        kind,
        published,
        byline,
        summary,
        body,
        card_only,
        sha256,
        first_loaded,
        last_loaded,
        url,
        publisher,
        source_id,
    ) = row
    part = {sql: rows.get(statement_id, []) for sql, rows in parts.items()}
    source = sources.get(source_id) if source_id is not None else None
    return records.StoredStatement(
        statement_id,
        slug,
        title,
        kind,
        published,
        byline,
        summary,
        body,
        bool(card_only),
        sha256,
        first_loaded,
        last_loaded,
        url=url,
        publisher=publisher,
        quotes=tuple(records.StoredQuote(*quote) for quote in part[_QUOTES]),
        contacts=tuple(
            records.StoredContact(
                id_,
                name,
                role,
                email,
                bool(hidden),
                tuple((handles or "").split()),
                line,
                tuple(phones.get(id_, ())),
                kind,
            )
            for id_, name, role, email, hidden, handles, line, kind in part[_CONTACTS]
        ),
        links=tuple(records.StoredLink(*link) for link in part[_LINKS]),
        cited_by=tuple(records.StatementRef(*ref) for ref in part.get(_CITED_BY, ())),
        sections=tuple(records.Section(*section) for section in part[_SECTIONS]),
        source=records.SourceInfo(*source, "card" if card_only else "text") if source else None,
        revisions=tuple(records.RevisionInfo(*revision) for revision in part.get(_REVISIONS, ())),
        warnings=()
        if card_only or source_id is None
        else tuple(records.ParseWarning(*warning) for warning in warnings.get(source_id, ())),
    )


def as_parsed(stored: records.StoredStatement) -> records.Statement:
    """The stored statement as the parser would have given it (what the archive never kept, such as the line
    numbers of paragraphs, is not in it)."""
    return records.Statement(
        title=stored.title,
        kind=stored.kind,
        published=_date(stored.published),
        byline=stored.byline,
        summary=stored.summary,
        body=tuple(records.Paragraph(text, 0) for text in (stored.body or "").split("\n\n") if text),
        quotes=tuple(
            records.Quote(q.speaker, q.speaker_kind, q.role, q.honours, q.text, q.line, q.attribution)
            for q in stored.quotes
        ),
        contacts=tuple(
            records.Contact(c.name, c.role, c.email, c.email_hidden, c.phones, c.handles, c.line, c.kind)
            for c in stored.contacts
        ),
        # A link's url and text, and a card's printed title, are written from parsed records, never null.
        links=tuple(
            records.Link(cast(str, link.url), cast(str, link.text), link.line)
            for link in stored.links
            if link.target == "url"
        ),
        related=tuple(
            records.RelatedCard(
                cast(str, link.text), link.summary, _date(link.target_published), link.target_kind, link.line
            )
            for link in stored.links
            if link.target == "statement"
        ),
        sections=tuple(s for s in stored.sections if s.heading != CAPTION_HEADING),
        captions=tuple(records.Paragraph(s.text, s.line) for s in stored.sections if s.heading == CAPTION_HEADING),
        warnings=stored.warnings,
        url=stored.url,
        publisher=stored.publisher,
    )


def same_reading(stored: records.Statement, parsed: records.Statement) -> bool:
    """Whether a stored statement (as_parsed) says what a new reading of its text says, in every part the
    archive keeps (not the line numbers of paragraphs and of the title, which it does not)."""
    return _kept(stored) == _kept(parsed)


def same_words(stored: records.Statement, parsed: records.Statement) -> bool:
    """Whether two readings say the same in every part, wherever their lines are (a page saved with a
    `saved from` comment has its lines moved) and whatever their warnings say of them."""
    return _without_lines(_kept(stored)) == _without_lines(_kept(parsed))


def _without_lines(kept: dict) -> dict:
    return {
        key: [_unplaced(item) for item in value] if isinstance(value, list) else value
        for key, value in kept.items()
        if key != "warnings"
    }


def _unplaced(item):
    return {key: value for key, value in item.items() if key != "line"} if isinstance(item, dict) else item


def _kept(statement: records.Statement) -> dict:
    kept = records.to_jsonable(statement)
    kept.pop("title_line")
    return kept


def _owned(archive: Archive, sql: str, owner_ids: Sequence[int]) -> list[tuple]:
    """The rows of `sql` for these owners, an IN list of at most IDS_PER_QUERY at a time."""
    found: list[tuple] = []
    for chunk in in_chunks(owner_ids):
        found += archive.execute(sql.format(ids=placeholders(chunk)), chunk).fetchall()
    return found


def _grouped(archive: Archive, sql: str, owner_ids: Sequence[int]) -> dict[int, list[tuple]]:
    """The rows of `sql` by their owner's id (its first column, left out), in the order the query gives."""
    grouped: dict[int, list[tuple]] = {}
    for owner, *rest in _owned(archive, sql, owner_ids):
        grouped.setdefault(owner, []).append(tuple(rest))
    return grouped


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

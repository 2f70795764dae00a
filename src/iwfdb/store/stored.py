"""A statement's rows turned back into records: the one place that reads a statement whole from the archive.

`iwfdb show` prints what `read_statement` gives, and a revision stores `as_parsed(read_statement(...))` in the
shape of `iwfdb parse --format json`, so both always describe a stored statement the same way.
"""

from __future__ import annotations

from datetime import date

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.store.rows import CAPTION_HEADING

_STATEMENT = """
    SELECT id, slug, title, kind, published, byline, summary, body, card_only, sha256, first_loaded_at,
           last_loaded_at, url, publisher, source_id
    FROM statements WHERE id = ?"""
_QUOTES = """
    SELECT position, speaker, speaker_kind, role, honours, attribution, text, line
    FROM quotes WHERE statement_id = ? ORDER BY position"""
_CONTACTS = """
    SELECT id, name, role, email, email_hidden, handles, line, kind FROM contacts WHERE statement_id = ?
    ORDER BY position"""
_PHONES = """
    SELECT ph.contact_id, ph.raw, ph.e164 FROM contact_phones ph JOIN contacts c ON c.id = ph.contact_id
    WHERE c.statement_id = ? ORDER BY ph.contact_id, ph.position"""
_LINKS = """
    SELECT l.position, CASE WHEN l.target_statement_id IS NULL THEN 'url' ELSE 'statement' END, l.url,
           l.target_statement_id, t.slug, t.title, t.published, l.text, l.line, l.summary, t.kind
    FROM links l LEFT JOIN statements t ON t.id = l.target_statement_id
    WHERE l.statement_id = ? ORDER BY l.position"""
_CITED_BY = """
    SELECT DISTINCT s.id, s.slug, s.title, s.published FROM links l JOIN statements s ON s.id = l.statement_id
    WHERE l.target_statement_id = ? ORDER BY s.published DESC, s.id"""
_SECTIONS = "SELECT heading, text, line FROM sections WHERE statement_id = ? ORDER BY position"
_SOURCE = "SELECT path, sha256, size, outcome, first_loaded_at, last_loaded_at FROM sources WHERE id = ?"
_REVISIONS = """
    SELECT id, sha256, source_path, loaded_at, replaced_at FROM revisions WHERE statement_id = ?
    ORDER BY replaced_at, id"""
_WARNINGS = "SELECT line, message FROM parse_warnings WHERE source_id = ? ORDER BY position"


def read_statement(archive: Archive, statement_id: int) -> records.StoredStatement:
    """The statement with this id and all its parts (LookupError if there is none)."""
    row = archive.execute(_STATEMENT, (statement_id,)).fetchone()
    if row is None:
        raise LookupError(statement_id)
    *columns, card_only, sha256, first_loaded, last_loaded, url, publisher, source_id = row
    return records.StoredStatement(
        *columns, bool(card_only), sha256, first_loaded, last_loaded, url=url, publisher=publisher,
        quotes=tuple(records.StoredQuote(*quote) for quote in _all(archive, _QUOTES, statement_id)),
        contacts=_contacts(archive, statement_id),
        links=tuple(records.StoredLink(*link) for link in _all(archive, _LINKS, statement_id)),
        cited_by=tuple(records.StatementRef(*ref) for ref in _all(archive, _CITED_BY, statement_id)),
        sections=tuple(records.Section(*section) for section in _all(archive, _SECTIONS, statement_id)),
        source=_source(archive, source_id, bool(card_only)),
        revisions=tuple(records.RevisionInfo(*revision) for revision in _all(archive, _REVISIONS, statement_id)),
        warnings=() if card_only or source_id is None else tuple(
            records.ParseWarning(*warning) for warning in _all(archive, _WARNINGS, source_id)),
    )  # fmt: skip


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
        quotes=tuple(records.Quote(q.speaker, q.speaker_kind, q.role, q.honours, q.text, q.line, q.attribution)
                     for q in stored.quotes),  # fmt: skip
        contacts=tuple(records.Contact(c.name, c.role, c.email, c.email_hidden, c.phones, c.handles, c.line, c.kind)
                       for c in stored.contacts),  # fmt: skip
        links=tuple(records.Link(link.url, link.text, link.line) for link in stored.links if link.target == "url"),
        related=tuple(records.RelatedCard(link.text, link.summary, _date(link.target_published), link.target_kind,
                                          link.line) for link in stored.links if link.target == "statement"),
        sections=tuple(s for s in stored.sections if s.heading != CAPTION_HEADING),
        captions=tuple(records.Paragraph(s.text, s.line) for s in stored.sections if s.heading == CAPTION_HEADING),
        warnings=stored.warnings,
        url=stored.url,
        publisher=stored.publisher,
    )  # fmt: skip


def same_reading(stored: records.Statement, parsed: records.Statement) -> bool:
    """Whether a stored statement (as_parsed) says what a new reading of its text says, in every part the
    archive keeps (not the line numbers of paragraphs and of the title, which it does not)."""
    return _kept(stored) == _kept(parsed)


def same_words(stored: records.Statement, parsed: records.Statement) -> bool:
    """Whether two readings say the same in every part, wherever their lines are (a page saved with a
    `saved from` comment has its lines moved) and whatever their warnings say of them."""
    return _without_lines(_kept(stored)) == _without_lines(_kept(parsed))


def _without_lines(kept: dict) -> dict:
    return {key: [_unplaced(item) for item in value] if isinstance(value, list) else value
            for key, value in kept.items() if key != "warnings"}  # fmt: skip


def _unplaced(item):
    return {key: value for key, value in item.items() if key != "line"} if isinstance(item, dict) else item


def _kept(statement: records.Statement) -> dict:
    kept = records.to_jsonable(statement)
    kept.pop("title_line")
    return kept


def _all(archive: Archive, sql: str, owner_id: int) -> list[tuple]:
    return archive.execute(sql, (owner_id,)).fetchall()


def _contacts(archive: Archive, statement_id: int) -> tuple[records.StoredContact, ...]:
    phones: dict[int, list[records.Phone]] = {}
    for contact_id, raw, e164 in _all(archive, _PHONES, statement_id):
        phones.setdefault(contact_id, []).append(records.Phone(raw, e164))
    return tuple(
        records.StoredContact(id_, name, role, email, bool(hidden), tuple((handles or "").split()), line,
                              tuple(phones.get(id_, ())), kind)
        for id_, name, role, email, hidden, handles, line, kind in _all(archive, _CONTACTS, statement_id)
    )  # fmt: skip


def _source(archive: Archive, source_id: int | None, card_only: bool) -> records.SourceInfo | None:
    row = archive.execute(_SOURCE, (source_id,)).fetchone() if source_id is not None else None
    return records.SourceInfo(*row, role="card" if card_only else "text") if row else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

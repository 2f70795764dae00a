"""Records to rows: one parsed statement becomes its statement row and the rows of its parts.

Every write is keyed on a natural key (store.keys), so that the same statement read again from any
file lands on the same row. A statement that is already archived is updated in place (same id, so
every link to it stays valid) after its previous version has been copied into `revisions`.
Rows are written with SQLAlchemy Core, many at a time where the ids are not needed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from iwfdb import records
from iwfdb.store.keys import person_key, slug_base, statement_match_key
from iwfdb.store.revisions import save_revision
from iwfdb.store.tables import CONTACTS, LINKS, PEOPLE, PHONES, QUOTES, SECTIONS, STATEMENTS, WARNINGS

STATEMENT_PARTS = (QUOTES, CONTACTS, LINKS, SECTIONS)  # contact_phones follow their contacts (ON DELETE CASCADE)


@dataclass(slots=True)
class Counts:
    """Rows a load added or changed, for its summary."""

    statements_added: int = 0
    statements_updated: int = 0
    quotes_added: int = 0
    contacts_added: int = 0
    phones_added: int = 0
    links_added: int = 0
    revisions_added: int = 0

    def add(self, other: Counts) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def save_statement(
    connection: Connection, parsed: records.ParsedFile, source_id: int, source_name: str, now: str, counts: Counts
) -> int:
    """Archive a parsed statement and its parts; returns the statement's id."""
    statement = parsed.statement
    match_key = statement_match_key(statement.title, statement.published, source_name)
    values = {
        "title": statement.title,
        "kind": statement.kind,
        "published": _iso(statement.published),
        "byline": statement.byline,
        "summary": statement.summary,
        "body": "\n\n".join(paragraph.text for paragraph in statement.body) or None,
        "card_only": False,
        "source_id": source_id,
        "sha256": parsed.sha256,
        "last_loaded_at": now,
    }
    query = select(STATEMENTS.c.id, STATEMENTS.c.sha256).where(STATEMENTS.c.match_key == match_key)
    existing = connection.execute(query).first()
    if existing is None:
        fallback = source_name.rsplit(".", 1)[0]
        slug = unique_slug(connection, slug_base(statement.title, statement.published, fallback))
        statement_id = _insert_statement(connection, {**values, "match_key": match_key, "slug": slug}, now)
        counts.statements_added += 1
    elif existing.sha256 == parsed.sha256:
        # The very bytes it was archived from (a file restored after a failed edit): nothing to replace.
        return existing.id
    else:
        statement_id = existing.id
        save_revision(connection, statement_id, now)
        connection.execute(update(STATEMENTS).where(STATEMENTS.c.id == statement_id).values(values))
        for table in STATEMENT_PARTS:
            connection.execute(delete(table).where(table.c.statement_id == statement_id))
        counts.statements_updated += 1
        counts.revisions_added += 1
    _save_quotes(connection, statement_id, statement.quotes, counts)
    _save_contacts(connection, statement_id, statement.contacts, counts)
    _save_links(connection, statement_id, statement, source_id, now, counts)
    _save_sections(connection, statement_id, statement.sections)
    return statement_id


def save_warnings(connection: Connection, source_id: int, warnings: tuple[records.ParseWarning, ...]) -> None:
    """The parser's warnings about a source file, replacing those of its previous version."""
    connection.execute(delete(WARNINGS).where(WARNINGS.c.source_id == source_id))
    rows = [
        {"source_id": source_id, "position": position, "line": warning.line, "message": warning.message}
        for position, warning in enumerate(warnings)
    ]
    if rows:
        connection.execute(insert(WARNINGS), rows)


def unique_slug(connection: Connection, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever no statement has yet."""
    taken = set(
        connection.execute(
            select(STATEMENTS.c.slug).where((STATEMENTS.c.slug == base) | STATEMENTS.c.slug.like(f"{base}-%"))
        ).scalars()
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _insert_statement(connection: Connection, values: dict, now: str) -> int:
    return connection.execute(
        insert(STATEMENTS).returning(STATEMENTS.c.id), {**values, "first_loaded_at": now}
    ).scalar_one()


def person_ids(connection: Connection, names: dict[str, tuple[str, str]]) -> dict[str, int]:
    """The people rows for {name_key: (name as printed, kind)}, created when new; {name_key: id}."""
    if not names:
        return {}
    query = select(PEOPLE.c.name_key, PEOPLE.c.id).where(PEOPLE.c.name_key.in_(names))
    ids = {key: id_ for key, id_ in connection.execute(query)}
    missing = [{"name_key": key, "name": name, "kind": kind} for key, (name, kind) in names.items() if key not in ids]
    if missing:
        connection.execute(insert(PEOPLE), missing)
        ids = {key: id_ for key, id_ in connection.execute(query)}
    return ids


def _quote_person(quote: records.Quote) -> tuple[str, str] | None:
    if quote.speaker and quote.speaker_kind in ("person", "group"):
        return quote.speaker, quote.speaker_kind
    return None


def _save_quotes(connection: Connection, statement_id: int, quotes, counts: Counts) -> None:
    speakers = {person_key(p[0]): p for p in map(_quote_person, quotes) if p}
    ids = person_ids(connection, speakers)
    rows = []
    for position, quote in enumerate(quotes):
        speaker = _quote_person(quote)
        rows.append({
            "statement_id": statement_id, "position": position,
            "person_id": ids[person_key(speaker[0])] if speaker else None,
            "speaker": quote.speaker, "role": quote.role, "honours": quote.honours,
            "attribution": quote.attribution, "text": quote.text, "line": quote.line,
        })  # fmt: skip
    if rows:
        connection.execute(insert(QUOTES), rows)
        counts.quotes_added += len(rows)


def _save_contacts(connection: Connection, statement_id: int, contacts, counts: Counts) -> None:
    ids = person_ids(connection, {person_key(c.name): (c.name, "person") for c in contacts if c.name})
    phones = []
    for position, contact in enumerate(contacts):
        contact_id = connection.execute(
            insert(CONTACTS).returning(CONTACTS.c.id),
            {
                "statement_id": statement_id, "position": position,
                "person_id": ids[person_key(contact.name)] if contact.name else None,
                "name": contact.name, "role": contact.role, "email": contact.email,
                "email_hidden": contact.email_hidden, "handles": " ".join(contact.handles), "line": contact.line,
            },  # fmt: skip
        ).scalar_one()
        phones += [
            {"contact_id": contact_id, "position": number, "raw": phone.raw, "e164": phone.e164}
            for number, phone in enumerate(contact.phones)
        ]
    if phones:
        connection.execute(insert(PHONES), phones)
    counts.contacts_added += len(contacts)
    counts.phones_added += len(phones)


def _save_links(connection, statement_id: int, statement: records.Statement, source_id: int, now: str, counts):
    """Related cards (resolved to statement rows, card-only ones created) and URLs, in the order of the text."""
    targets = card_statement_ids(connection, statement.related, source_id, now, counts)
    found = [(card.line, None, card.title, targets[i]) for i, card in enumerate(statement.related)]
    found += [(link.line, link.url, link.text, None) for link in statement.links]
    found.sort(key=lambda item: item[0])
    rows = [
        {"statement_id": statement_id, "position": position, "target_statement_id": target,
         "url": url, "text": text, "line": line}
        for position, (line, url, text, target) in enumerate(found)
    ]  # fmt: skip
    if rows:
        connection.execute(insert(LINKS), rows)
        counts.links_added += len(rows)


def card_statement_ids(connection: Connection, cards, source_id: int, now: str, counts: Counts) -> list[int]:
    """The statement each related card describes, in card order; card-only rows are made for new ones."""
    keys = [statement_match_key(card.title, card.date, "") for card in cards]
    if not keys:
        return []
    query = select(STATEMENTS.c.match_key, STATEMENTS.c.id).where(STATEMENTS.c.match_key.in_(keys))
    ids = {key: id_ for key, id_ in connection.execute(query)}
    for key, card in zip(keys, cards):
        if key in ids:
            continue
        ids[key] = _insert_statement(connection, {
            "match_key": key, "slug": unique_slug(connection, slug_base(card.title, card.date, "card")),
            "title": card.title, "kind": card.kind, "published": _iso(card.date), "summary": card.summary,
            "card_only": True, "source_id": source_id, "last_loaded_at": now,
        }, now)  # fmt: skip
        counts.statements_added += 1
    return [ids[key] for key in keys]


def _save_sections(connection: Connection, statement_id: int, sections) -> None:
    rows = [
        {"statement_id": statement_id, "position": position, "heading": s.heading, "text": s.text, "line": s.line}
        for position, s in enumerate(sections)
    ]
    if rows:
        connection.execute(insert(SECTIONS), rows)

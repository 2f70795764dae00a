"""Atom feeds of the archive: new statements, changed statements (each entry carrying the difference), one
person's quotes, and the statements a search finds. `iwfdb feed` writes them; the web pages can serve them.

Each feed holds the newest `limit` entries (DEFAULT_ENTRIES unless asked), so that a feed file stays small
whatever the archive's size. An entry links to `base_url`'s page of the statement when one is given (the
address of `iwfdb serve`'s database, e.g. http://localhost:8001/iwfdb), else to the page the statement was
read from when it is a web address. Ids are tag URIs made of slugs (and of a revision's id for a change, two
changes may share a second), the same in every copy of the archive.
"""

from __future__ import annotations

from datetime import UTC, datetime

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.query.atom import Entry, Feed, diff_html, html_text, tag, timestamp
from iwfdb.query.people import Speakers, find_people, speaker_by_id
from iwfdb.query.revisions import recent_changes
from iwfdb.query.statements import StatementFilter, statement_conditions

DEFAULT_ENTRIES = 50
MAX_ENTRIES = 1_000
WEB_SCHEMES = ("http://", "https://")
OPENING_CHARACTERS = 600  # of a statement's text, in its entry

# The newest ids are chosen first, then their rows read: sorting whole rows (bodies and all) cost 10 times as much.
_STATEMENTS = """
    SELECT s.id, s.slug, s.title, s.published, s.url, s.summary, s.body, s.first_loaded_at, s.last_loaded_at,
           s.publisher
    FROM statements s
    WHERE s.id IN (SELECT s.id FROM statements s {where} ORDER BY s.first_loaded_at DESC, s.id DESC {limit})
    ORDER BY s.first_loaded_at DESC, s.id DESC"""
_QUOTES = """
    SELECT q.id, q.position, q.text, coalesce(p.name, o.name, q.speaker), s.id, s.slug, s.title, s.published, s.url,
           s.last_loaded_at
    FROM quotes q JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id LEFT JOIN organisations o ON o.id = q.organisation_id
    WHERE {condition}
    ORDER BY s.published IS NULL, s.published DESC, s.id DESC, q.position {limit}"""


def new_statements_feed(archive: Archive, limit: int = DEFAULT_ENTRIES, base_url: str | None = None) -> Feed:
    """The statements most recently added to the archive, newest first."""
    entries = _statement_entries(archive, StatementFilter(full_only=True), limit, base_url)
    return Feed(
        tag("feed", "new"), "New statements", entries, "Statements as they are added to the archive", base_url, _now()
    )


def search_feed(archive: Archive, words: str, limit: int = DEFAULT_ENTRIES, base_url: str | None = None) -> Feed:
    """The statements that hold every word (in their text or their quotes), newest in the archive first."""
    entries = _statement_entries(archive, StatementFilter(text=words, full_only=True), limit, base_url)
    return Feed(tag("feed", "search", words), f"Statements mentioning {words}", entries, None, base_url, _now())


def changed_statements_feed(archive: Archive, limit: int = DEFAULT_ENTRIES, base_url: str | None = None) -> Feed:
    """The latest changes to statements, newest first; each entry's content is the difference, word by word."""
    entries = tuple(_change_entry(change, base_url) for change in recent_changes(archive, _bounded(limit)))
    subtitle = "Statements whose text changed after they were archived, with what changed"
    return Feed(tag("feed", "changed"), "Changed statements", entries, subtitle, base_url, _now())


def person_feed(archive: Archive, who: str, limit: int = DEFAULT_ENTRIES, base_url: str | None = None) -> Feed:
    """What a person (or an organisation) said, newest first, alone or with others. `who` is a person's id,
    or a name (an ambiguous one is an error that lists the people it may mean)."""
    speakers = speaker_by_id(archive, int(who)) if who.strip().isdigit() else find_people(archive, who)
    return speaker_feed(archive, speakers, limit, base_url)


def speaker_feed(
    archive: Archive, speakers: Speakers, limit: int = DEFAULT_ENTRIES, base_url: str | None = None
) -> Feed:
    """What the person or organisation `speakers` names said, newest first, alone or with others."""
    name = _speaker_name(archive, speakers)
    condition, ids = speakers.quoted("q.id")
    limit_sql, limit_params = archive.side.limit_clause(_bounded(limit), 0)
    rows = archive.execute(_QUOTES.format(condition=condition, limit=limit_sql), [*ids, *limit_params]).fetchall()
    entries = tuple(_quote_entry(row, base_url) for row in rows)
    kind, id_ = ("person", speakers.people[0]) if speakers.people else ("organisation", speakers.organisations[0])
    return Feed(tag("feed", kind, id_), f"What {name} said", entries, None, base_url, _now())


def _statement_entries(
    archive: Archive, wanted: StatementFilter, limit: int, base_url: str | None
) -> tuple[Entry, ...]:
    where = statement_conditions(archive, wanted)
    limit_sql, limit_params = archive.side.limit_clause(_bounded(limit), 0)
    rows = archive.execute(_STATEMENTS.format(where=where, limit=limit_sql), [*where.params, *limit_params])
    return tuple(_statement_entry(row, base_url) for row in rows.fetchall())


def _statement_entry(row, base_url: str | None) -> Entry:
    id_, slug, title, published, url, summary, body, first_loaded, last_loaded, publisher = row
    opening = summary or (body or "")[:OPENING_CHARACTERS]
    return Entry(
        tag("statement", slug),
        title or f"Untitled statement of {published or 'no date'}",
        timestamp(last_loaded, _now()),
        f"<p>{html_text(opening)}</p>",
        _link(base_url, id_, url),
        timestamp(published or first_loaded, _now()),
        publisher,
    )


def _change_entry(change: records.StatementDiff, base_url: str | None) -> Entry:
    title = change.title or change.slug
    label = f"revision {change.old.revision}, loaded {change.old.loaded_at}"
    content = f"<p>Changed from {html_text(label)}:</p>" + diff_html(change.runs)
    if not change.changed:
        content = "<p>Only spacing, quote marks or dashes changed.</p>"
    link = _link(base_url, change.statement_id, change.url)
    return Entry(
        tag("statement", change.slug, "revision", change.old.revision),
        f"Changed: {title}",
        timestamp(change.old.replaced_at, _now()),
        content,
        link,
    )


def _quote_entry(row, base_url: str | None) -> Entry:
    _, position, text, speaker, statement_id, slug, title, published, url, last_loaded = row
    words = text.split()
    short = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    content = (
        f"<blockquote>{html_text(text)}</blockquote><p>{html_text(speaker or '')}, in {html_text(title or slug)}</p>"
    )
    return Entry(
        tag("statement", slug, "quote", position),
        f"{speaker}: “{short}”",
        timestamp(published, timestamp(last_loaded, _now())),
        content,
        _link(base_url, statement_id, url),
        timestamp(published, timestamp(last_loaded, _now())),
        speaker,
    )


def _speaker_name(archive: Archive, speakers: Speakers) -> str:
    table, id_ = ("people", speakers.people[0]) if speakers.people else ("organisations", speakers.organisations[0])
    return archive.execute(f"SELECT name FROM {table} WHERE id = ?", (id_,)).fetchone()[0]


def _link(base_url: str | None, statement_id: int, url: str | None) -> str | None:
    """The statement's page on `base_url`, else its own web address (nothing but http and https)."""
    if base_url:
        return f"{base_url.rstrip('/')}/statements/{statement_id}"
    return url if url and url.lower().startswith(WEB_SCHEMES) else None


def _bounded(limit: int) -> int:
    return max(0, min(limit, MAX_ENTRIES))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()

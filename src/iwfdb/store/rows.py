"""The rows one parsed statement becomes: plain dicts, keyed by the columns of models.py.

Who spoke: a person gets a `people` row (keyed by keys.person_key), an organisation an `organisations` row
(keys.organisation_key), and so does each member of several people at once (a `group`); an unnamed source
gets neither. `quote_speakers` says who said each quote (one row per speaker), so that a quote said together
counts for each of them; `quotes.person_id` and `organisation_id` name a single speaker only. People rows are
people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from iwfdb import records
from iwfdb.keys import organisation_key, person_key, publisher_name
from iwfdb.record_keys import StatementKeys, speaker_names

Row = dict[str, object]
# Image captions are stored with the sections, under this heading.
CAPTION_HEADING = "Image caption"

# What `sources` records of a file, beside its path, outcome and times.
FILE_COLUMNS = ("size", "mtime_ns", "sha256", "parser_version", "fetched_at")
# The columns of a statement that every load sets, full or card-only (not its id, keys or first load time).
STATEMENT_VALUES = (
    "title",
    "kind",
    "published",
    "byline",
    "summary",
    "body",
    "card_only",
    "source_id",
    "sha256",
    "last_loaded_at",
    "url",
    "publisher",
    "body_key",
)
# The columns a load inserts, one list per table: every row written to a table has exactly these, which
# `insert_rows` is given. A test holds them to models.py and every row a load writes to them; the ids an
# engine makes itself (of phones, links, sections, warnings) are left to it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("id", "name_key", "name", "kind"),
    "organisations": ("id", "name_key", "name"),
    "sources": ("id", "path", *FILE_COLUMNS, "outcome", "error", "first_loaded_at", "last_loaded_at"),
    "statements": ("id", "slug", "match_key", "first_loaded_at", *STATEMENT_VALUES),
    "contacts": (
        "id",
        "statement_id",
        "position",
        "person_id",
        "organisation_id",
        "kind",
        "name",
        "role",
        "email",
        "email_hidden",
        "handles",
        "line",
    ),
    "contact_phones": ("contact_id", "position", "raw", "e164"),
    "quotes": (
        "id",
        "statement_id",
        "position",
        "person_id",
        "organisation_id",
        "speaker_kind",
        "speaker",
        "role",
        "honours",
        "attribution",
        "text",
        "line",
    ),
    "quote_speakers": ("quote_id", "position", "person_id", "organisation_id"),
    "links": ("statement_id", "position", "target_statement_id", "url", "text", "summary", "line"),
    "sections": ("statement_id", "position", "heading", "text", "line"),
    "parse_warnings": ("source_id", "position", "line", "message"),
}


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def statement_values(parsed: records.ParsedFile, keys: StatementKeys, source_id: int, now: str) -> Row:
    """The columns of a full statement that a load sets (not its id, match key, slug or first load time)."""
    statement = parsed.statement
    return {
        "title": statement.title,
        "kind": statement.kind,
        "published": iso(statement.published),
        "byline": statement.byline,
        "summary": statement.summary,
        "body": "\n\n".join(paragraph.text for paragraph in statement.body) or None,
        "card_only": False,
        "source_id": source_id,
        "sha256": parsed.sha256,
        "last_loaded_at": now,
        "url": statement.url,
        "publisher": publisher_name(statement.publisher),
        "body_key": keys.body_key,
    }


def card_values(card: records.RelatedCard, source_id: int, now: str) -> Row:
    """A card-only statement, known from a card in the statement read from `source_id`: what a card does not
    say is NULL (a column added to STATEMENT_VALUES is NULL on a card unless it says otherwise here)."""
    return {
        **dict.fromkeys(STATEMENT_VALUES),
        "title": card.title,
        "kind": card.kind,
        "published": iso(card.date),
        "summary": card.summary,
        "card_only": True,
        "source_id": source_id,
        "last_loaded_at": now,
    }


def _ids(name: str | None, kind: str, wanted: str, ids: Mapping[str, int]) -> int | None:
    if not name or kind != wanted:
        return None
    return ids[person_key(name) if wanted == "person" else organisation_key(name)]


def quote_rows(statement_id: int, quotes, people: Mapping[str, int], organisations: Mapping[str, int]) -> list[Row]:
    return [
        {
            "statement_id": statement_id,
            "position": position,
            "person_id": _ids(quote.speaker, quote.speaker_kind, "person", people),
            "organisation_id": _ids(quote.speaker, quote.speaker_kind, "organisation", organisations),
            "speaker_kind": quote.speaker_kind,
            "speaker": quote.speaker,
            "role": quote.role,
            "honours": quote.honours,
            "attribution": quote.attribution,
            "text": quote.text,
            "line": quote.line,
        }
        for position, quote in enumerate(quotes)
    ]


def quote_speaker_rows(
    quote_id: int, quote: records.Quote, people: Mapping[str, int], organisations: Mapping[str, int]
) -> list[Row]:
    """One row per person or organisation who said the quote (none for an unnamed source)."""
    speakers = [("person_id", people[person_key(name)]) for name in speaker_names(quote, "person")]
    speakers += [
        ("organisation_id", organisations[organisation_key(name)]) for name in speaker_names(quote, "organisation")
    ]
    return [
        {"quote_id": quote_id, "position": position, "person_id": None, "organisation_id": None, column: identifier}
        for position, (column, identifier) in enumerate(speakers)
    ]


def contact_rows(
    statement_id: int,
    contacts,
    people: Mapping[str, int],
    organisations: Mapping[str, int],
    contact_id: Callable[[], int],
) -> tuple[list[Row], list[Row]]:
    """The contacts (with ids from `contact_id()`, so that their phones can point to them) and their phones."""
    contact_list, phones = [], []
    for position, contact in enumerate(contacts):
        identifier = contact_id()
        contact_list.append(
            {
                "id": identifier,
                "statement_id": statement_id,
                "position": position,
                "person_id": _ids(contact.name, contact.kind, "person", people),
                "organisation_id": _ids(contact.name, contact.kind, "organisation", organisations),
                "kind": contact.kind,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "email_hidden": contact.email_hidden,
                "handles": " ".join(contact.handles),
                "line": contact.line,
            }
        )
        phones += [
            {"contact_id": identifier, "position": number, "raw": phone.raw, "e164": phone.e164}
            for number, phone in enumerate(contact.phones)
        ]
    return contact_list, phones


def link_rows(statement_id: int, statement: records.Statement, card_targets: list[int]) -> list[Row]:
    """Related cards (to their statements) and URLs, in the order the text shows them."""
    found: list[tuple[int, str | None, str | None, str | None, int | None]] = [
        (card.line, None, card.title, card.summary, target)
        for card, target in zip(statement.related, card_targets, strict=False)
    ]
    found += [(link.line, link.url, link.text, None, None) for link in statement.links]
    found.sort(key=lambda item: item[0])
    return [
        {
            "statement_id": statement_id,
            "position": position,
            "target_statement_id": target,
            "url": url,
            "text": text,
            "summary": summary,
            "line": line,
        }
        for position, (line, url, text, summary, target) in enumerate(found)
    ]


def section_rows(statement_id: int, statement: records.Statement) -> list[Row]:
    """Closing sections, then image captions (kept out of the body, but text of the page all the same)."""
    parts = [(s.heading, s.text, s.line) for s in statement.sections]
    parts += [(CAPTION_HEADING, caption.text, caption.line) for caption in statement.captions]
    return [
        {"statement_id": statement_id, "position": position, "heading": heading, "text": text, "line": line}
        for position, (heading, text, line) in enumerate(parts)
    ]


def warning_rows(source_id: int, warnings) -> list[Row]:
    return [
        {"source_id": source_id, "position": position, "line": warning.line, "message": warning.message}
        for position, warning in enumerate(warnings)
    ]

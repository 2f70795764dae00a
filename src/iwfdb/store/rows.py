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
from pathlib import PurePath
from typing import NamedTuple

from iwfdb import records
from iwfdb.keys import (
    body_key, group_members, organisation_key, person_key, publisher_name, slug_base, statement_match_key,
)

Row = dict[str, object]
# Image captions are stored with the sections, under this heading.
CAPTION_HEADING = "Image caption"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class StatementKeys(NamedTuple):
    """What a statement is filed under, worked out from its record alone: a parse worker makes them, so that
    the loader, whose one process writes every row, spends its time writing."""

    match_key: str
    slug_base: str
    body_key: str | None
    cards: tuple[tuple[str, str], ...]  # (match key, slug base) of each related card
    people: dict[str, str]  # {key: name as printed}
    organisations: dict[str, str]


def statement_keys(statement: records.Statement, file_name: str) -> StatementKeys:
    return StatementKeys(
        statement_match_key(statement.title, statement.published, file_name),
        slug_base(statement.title, statement.published, PurePath(file_name).stem),
        body_key(([statement.summary] if statement.summary else []) + [p.text for p in statement.body]),
        tuple((statement_match_key(card.title, card.date, ""), slug_base(card.title, card.date, "card"))
              for card in statement.related),  # fmt: skip
        named(statement, "person"),
        named(statement, "organisation"),
    )


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
    """A card-only statement, known from a card in the statement read from `source_id`."""
    return {
        "title": card.title, "kind": card.kind, "published": iso(card.date), "byline": None,
        "summary": card.summary, "body": None, "card_only": True, "source_id": source_id, "sha256": None,
        "last_loaded_at": now, "url": None, "publisher": None, "body_key": None,
    }  # fmt: skip


def _speaker_names(quote: records.Quote, kind: str) -> list[str]:
    """The names of those of this kind (person or organisation) who said the quote."""
    if not quote.speaker:
        return []
    if quote.speaker_kind == "group" and kind == "person":
        return group_members(quote.speaker)
    return [quote.speaker] if quote.speaker_kind == kind else []


def named(statement: records.Statement, kind: str) -> dict[str, str]:
    """{key: name as printed} of the statement's speakers (members of groups too) and contacts of this kind
    (person or organisation)."""
    key = person_key if kind == "person" else organisation_key
    found = {key(name): name for quote in statement.quotes for name in _speaker_names(quote, kind)}
    for contact in statement.contacts:
        if contact.name and contact.kind == kind:
            found.setdefault(key(contact.name), contact.name)
    return found


def _ids(name: str | None, kind: str, wanted: str, ids: Mapping[str, int]) -> int | None:
    if not name or kind != wanted:
        return None
    return ids[person_key(name) if wanted == "person" else organisation_key(name)]


def quote_rows(statement_id: int, quotes, people: Mapping[str, int], organisations: Mapping[str, int]) -> list[Row]:
    return [
        {
            "statement_id": statement_id, "position": position,
            "person_id": _ids(quote.speaker, quote.speaker_kind, "person", people),
            "organisation_id": _ids(quote.speaker, quote.speaker_kind, "organisation", organisations),
            "speaker_kind": quote.speaker_kind, "speaker": quote.speaker, "role": quote.role, "honours": quote.honours,
            "attribution": quote.attribution, "text": quote.text, "line": quote.line,
        }  # fmt: skip
        for position, quote in enumerate(quotes)
    ]


def quote_speaker_rows(quote_id: int, quote: records.Quote, people: Mapping[str, int],
                       organisations: Mapping[str, int]) -> list[Row]:  # fmt: skip
    """One row per person or organisation who said the quote (none for an unnamed source)."""
    speakers = [("person_id", people[person_key(name)]) for name in _speaker_names(quote, "person")]
    speakers += [("organisation_id", organisations[organisation_key(name)])
                 for name in _speaker_names(quote, "organisation")]  # fmt: skip
    return [
        {"quote_id": quote_id, "position": position, "person_id": None, "organisation_id": None, column: identifier}
        for position, (column, identifier) in enumerate(speakers)
    ]


def contact_rows(
    statement_id: int, contacts, people: Mapping[str, int], organisations: Mapping[str, int],
    contact_id: Callable[[], int],
) -> tuple[list[Row], list[Row]]:
    """The contacts (with ids from `contact_id()`, so that their phones can point to them) and their phones."""
    contact_list, phones = [], []
    for position, contact in enumerate(contacts):
        identifier = contact_id()
        contact_list.append({
            "id": identifier, "statement_id": statement_id, "position": position,
            "person_id": _ids(contact.name, contact.kind, "person", people),
            "organisation_id": _ids(contact.name, contact.kind, "organisation", organisations),
            "kind": contact.kind, "name": contact.name, "role": contact.role, "email": contact.email,
            "email_hidden": contact.email_hidden, "handles": " ".join(contact.handles), "line": contact.line,
        })  # fmt: skip
        phones += [
            {"contact_id": identifier, "position": number, "raw": phone.raw, "e164": phone.e164}
            for number, phone in enumerate(contact.phones)
        ]
    return contact_list, phones


def link_rows(statement_id: int, statement: records.Statement, card_targets: list[int]) -> list[Row]:
    """Related cards (to their statements) and URLs, in the order the text shows them."""
    found = [(card.line, None, card.title, card.summary, target) for card, target in zip(statement.related, card_targets)]
    found += [(link.line, link.url, link.text, None, None) for link in statement.links]
    found.sort(key=lambda item: item[0])
    return [
        {"statement_id": statement_id, "position": position, "target_statement_id": target,
         "url": url, "text": text, "summary": summary, "line": line}
        for position, (line, url, text, summary, target) in enumerate(found)
    ]  # fmt: skip


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

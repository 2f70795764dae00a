"""The rows one parsed statement becomes: plain dicts, shared by the batched writer and the one-file writer.

Both writers must give the same archive; building the rows in one place is what keeps them so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from iwfdb import records
from iwfdb.keys import person_key

Row = dict[str, object]
# Image captions are stored with the sections, under this heading.
CAPTION_HEADING = "Image caption"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def statement_values(parsed: records.ParsedFile, source_id: int, now: str) -> Row:
    """The columns of a full statement that a load sets (not its id, keys or first load time)."""
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
    }


def card_values(card: records.RelatedCard, source_id: int, now: str) -> Row:
    """A card-only statement, known from a card in the statement read from `source_id`."""
    return {
        "title": card.title, "kind": card.kind, "published": iso(card.date), "byline": None,
        "summary": card.summary, "body": None, "card_only": True, "source_id": source_id, "sha256": None,
        "last_loaded_at": now,
    }  # fmt: skip


def named_people(statement: records.Statement) -> dict[str, tuple[str, str]]:
    """{person key: (name as printed, kind)} of the statement's named speakers and contacts."""
    named = {person_key(q.speaker): (q.speaker, q.speaker_kind) for q in statement.quotes if _has_person(q)}
    for contact in statement.contacts:
        if contact.name:
            named.setdefault(person_key(contact.name), (contact.name, "person"))
    return named


def _has_person(quote: records.Quote) -> bool:
    return bool(quote.speaker) and quote.speaker_kind in ("person", "group")


def quote_rows(statement_id: int, quotes, people: Mapping[str, int]) -> list[Row]:
    return [
        {
            "statement_id": statement_id, "position": position,
            "person_id": people[person_key(quote.speaker)] if _has_person(quote) else None,
            "speaker": quote.speaker, "role": quote.role, "honours": quote.honours,
            "attribution": quote.attribution, "text": quote.text, "line": quote.line,
        }  # fmt: skip
        for position, quote in enumerate(quotes)
    ]


def contact_rows(
    statement_id: int, contacts, people: Mapping[str, int], contact_id: Callable[[], int]
) -> tuple[list[Row], list[Row]]:
    """The contacts (with ids from `contact_id()`, so that their phones can point to them) and their phones."""
    contact_list, phones = [], []
    for position, contact in enumerate(contacts):
        identifier = contact_id()
        contact_list.append({
            "id": identifier, "statement_id": statement_id, "position": position,
            "person_id": people[person_key(contact.name)] if contact.name else None,
            "name": contact.name, "role": contact.role, "email": contact.email,
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

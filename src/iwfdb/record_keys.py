"""The keys a parsed statement is filed under, worked out from its record alone (keys.py's functions applied).

A parse worker makes them beside the parse, so that the loader, whose one process writes every row, spends
its time writing: they live here, beside keys.py and records.py, which is all a worker imports of the
archive's side (the store and the database stay out of a worker process).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import NamedTuple

from iwfdb import records
from iwfdb.keys import body_key, group_members, organisation_key, person_key, slug_base, statement_match_key


class StatementKeys(NamedTuple):
    """What a statement is filed under: its own keys, its cards' and those of the people and organisations it names."""

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
        tuple(
            (statement_match_key(card.title, card.date, ""), slug_base(card.title, card.date, "card"))
            for card in statement.related
        ),
        named(statement, "person"),
        named(statement, "organisation"),
    )


def speaker_names(quote: records.Quote, kind: str) -> list[str]:
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
    found = {key(name): name for quote in statement.quotes for name in speaker_names(quote, kind)}
    for contact in statement.contacts:
        if contact.name and contact.kind == kind:
            found.setdefault(key(contact.name), contact.name)
    return found

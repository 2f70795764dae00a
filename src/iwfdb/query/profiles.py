"""One person's or organisation's page: who they are, the roles printed with them over time, what they said
(a quote said together with others included), whom they were quoted with, and their press-contact details."""

from __future__ import annotations

from dataclasses import dataclass

from iwfdb.db import Archive, placeholders
from iwfdb.query.clauses import Page
from iwfdb.query.people import QuoteFilter, list_contacts, list_quotes, speaker_by_id
from iwfdb.records import ContactSummary, QuoteSummary

QUOTES_PER_PAGE = 100
PARTNERS_SHOWN = 20
CONTACTS_SHOWN = 20
# The two kinds of speaker a page is for: {kind: (table, id column of quotes, contacts and quote_speakers)}.
SPEAKER_TABLES = {"person": ("people", "person_id"), "organisation": ("organisations", "organisation_id")}


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role printed with the name: in how many places, first and last."""

    role: str
    first: str | None
    last: str | None
    times: int


@dataclass(frozen=True, slots=True)
class CoSpeaker:
    """Someone who said a quote together with the page's speaker (`kind`: person or organisation)."""

    kind: str
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class SpokenQuote:
    quote: QuoteSummary
    with_others: tuple[CoSpeaker, ...]


@dataclass(frozen=True, slots=True)
class Partner:
    """A person quoted in the same statements: in how many, and the latest."""

    id: int
    name: str
    statements: int
    latest: str | None


@dataclass(frozen=True, slots=True)
class SpeakerProfile:
    kind: str  # person or organisation
    id: int
    name: str
    person_kind: str | None  # `person` or `group` for a person, None for an organisation
    roles: tuple[RoleSpan, ...]
    quotes: Page[SpokenQuote]
    quoted_with: tuple[Partner, ...]
    contacts: Page[ContactSummary]


def speaker_profile(archive: Archive, kind: str, id_: int, offset: int = 0) -> SpeakerProfile:
    """The page of the person or organisation `id_`: its quotes newest first, QUOTES_PER_PAGE from `offset`."""
    table, column = SPEAKER_TABLES[kind]
    person_id, organisation_id = (id_, None) if kind == "person" else (None, id_)
    who = speaker_by_id(archive, person_id, organisation_id)  # NotFoundError when there is none
    person_kind = "kind" if kind == "person" else "NULL"
    name, person_kind = archive.execute(f"SELECT name, {person_kind} FROM {table} WHERE id = ?", (id_,)).fetchone()
    contacts = list_contacts(archive, limit=CONTACTS_SHOWN, who=who)
    wanted = QuoteFilter(limit=QUOTES_PER_PAGE, offset=offset, person_id=person_id, organisation_id=organisation_id)
    quotes = list_quotes(archive, wanted)
    return SpeakerProfile(
        kind,
        id_,
        name,
        person_kind,
        _roles(archive, column, id_),
        Page(_with_others(archive, quotes.items, kind, id_), quotes.total, quotes.offset),
        _partners(archive, column, id_),
        contacts,
    )


_ROLES = """
    SELECT r.role, min(s.published), max(s.published), count(*)
    FROM (SELECT statement_id, role FROM quotes WHERE {column} = ? AND role IS NOT NULL
          UNION ALL
          SELECT statement_id, role FROM contacts WHERE {column} = ? AND role IS NOT NULL) r
    JOIN statements s ON s.id = r.statement_id
    GROUP BY r.role
    ORDER BY min(s.published) IS NULL, min(s.published), r.role"""


def _roles(archive: Archive, column: str, id_: int) -> tuple[RoleSpan, ...]:
    return tuple(RoleSpan(*row) for row in archive.execute(_ROLES.format(column=column), (id_, id_)))


_CO_SPEAKERS = """
    SELECT x.quote_id, x.person_id, x.organisation_id, coalesce(p.name, o.name)
    FROM quote_speakers x LEFT JOIN people p ON p.id = x.person_id LEFT JOIN organisations o ON o.id = x.organisation_id
    WHERE x.quote_id IN ({ids})
    ORDER BY x.quote_id, x.position"""


def _with_others(archive: Archive, quotes: list[QuoteSummary], kind: str, id_: int) -> list[SpokenQuote]:
    """Each quote with whoever else said it (quote_speakers), the page's own speaker left out."""
    others: dict[int, list[CoSpeaker]] = {}
    ids = [quote.id for quote in quotes]
    rows = archive.execute(_CO_SPEAKERS.format(ids=placeholders(ids)), ids) if ids else []
    for quote_id, person_id, organisation_id, name in rows:
        if person_id is not None:
            speaker = CoSpeaker("person", person_id, name)
        else:
            speaker = CoSpeaker("organisation", organisation_id, name)
        if (speaker.kind, speaker.id) != (kind, id_):
            others.setdefault(quote_id, []).append(speaker)
    return [SpokenQuote(quote, tuple(others.get(quote.id, ()))) for quote in quotes]


_PARTNERS = """
    SELECT p.id, p.name, count(DISTINCT mine.statement_id), max(s.published)
    FROM quote_speakers a JOIN quotes mine ON mine.id = a.quote_id
    JOIN quotes theirs ON theirs.statement_id = mine.statement_id
    JOIN quote_speakers b ON b.quote_id = theirs.id
    JOIN people p ON p.id = b.person_id
    JOIN statements s ON s.id = mine.statement_id
    WHERE a.{column} = ? AND coalesce(b.{column}, -1) <> ?
    GROUP BY p.id, p.name
    ORDER BY count(DISTINCT mine.statement_id) DESC, max(s.published) DESC, p.name
    LIMIT ?"""


def _partners(archive: Archive, column: str, id_: int) -> tuple[Partner, ...]:
    """The people quoted in the same statements (a quote said together counts), most often first."""
    rows = archive.execute(_PARTNERS.format(column=column), (id_, id_, PARTNERS_SHOWN))
    return tuple(Partner(*row) for row in rows)

"""People, their quotes and their contact appearances: `iwfdb quotes`, `contacts`, `people`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from iwfdb.db import Archive, in_chunks, placeholders
from iwfdb.errors import NotFoundError
from iwfdb.keys import organisation_key, person_key
from iwfdb.query.clauses import Page, Where, paged
from iwfdb.query.dates import year_ranges
from iwfdb.query.search import search_terms
from iwfdb.records import ContactSummary, PersonSummary, QuoteSummary


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None
    years: tuple[int, ...] = ()
    text: str | None = None
    limit: int | None = None
    offset: int = 0
    oldest_first: bool = False


@dataclass(frozen=True, slots=True)
class Speakers:
    """Whom a name typed by a user means: people, or organisations (`Home Office`), by id."""

    people: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()

    def condition(self, table: str) -> tuple[str, list[int]]:
        """A condition on `table`'s person_id and organisation_id, and its parameters."""
        parts = [f"{table}.{column} IN ({placeholders(ids)})"
                 for column, ids in (("person_id", self.people), ("organisation_id", self.organisations)) if ids]
        return "(" + " OR ".join(parts) + ")", [*self.people, *self.organisations]  # fmt: skip


def find_people(archive: Archive, name: str) -> Speakers:
    """The people (else the organisations) `name` means, however it is spelled.

    The name gets the store's own key (no titles, honours, accents or punctuation, casefolded), so that "Ms
    Susie Hargreaves, OBE" is exactly Susie Hargreaves; a key that is no one's exactly means everyone whose
    key holds all its words ("Ms Hargreaves": everyone called Hargreaves). No match is an error with suggestions.
    """
    people = _matching(archive, "people", person_key(name))
    organisations = () if people else _matching(archive, "organisations", organisation_key(name))
    if people or organisations:
        return Speakers(people, organisations)
    names = [row[0] for row in archive.execute("SELECT name FROM people UNION SELECT name FROM organisations")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; see `iwfdb people`"
    raise NotFoundError(f"nobody called {name!r} in the archive{hint}")


def _matching(archive: Archive, table: str, wanted: str) -> tuple[int, ...]:
    exact = archive.execute(f"SELECT id FROM {table} WHERE name_key = ?", (wanted,)).fetchall()
    if exact:
        return tuple(row[0] for row in exact)
    words = set(wanted.split())
    rows = archive.execute(f"SELECT id, name_key FROM {table}").fetchall()
    return tuple(id_ for id_, key in rows if words and words <= set(key.split()))


def list_quotes(archive: Archive, wanted: QuoteFilter) -> Page[QuoteSummary]:
    """Quotes with their speaker and statement, newest first, narrowed by speaker, year and words."""
    where = Where()
    if wanted.speaker:
        condition, ids = find_people(archive, wanted.speaker).condition("q")
        where.add(condition, *ids)
    if wanted.years:
        where.add(*year_ranges("s.published", wanted.years))
    if wanted.text:
        where.add(f"q.id IN ({archive.side.matching_ids('quotes')})", search_terms(archive, wanted.text))
    direction = "ASC" if wanted.oldest_first else "DESC"
    limit, limit_params = archive.side.limit_clause(wanted.limit, wanted.offset)
    tables = "quotes q JOIN statements s ON s.id = q.statement_id LEFT JOIN people p ON p.id = q.person_id"
    sql = f"""
        SELECT q.id, q.statement_id, s.slug, s.published, coalesce(p.name, q.speaker), q.role, q.text, s.title
        FROM {tables} {where}
        ORDER BY s.published IS NULL, s.published {direction}, s.id {direction}, q.position {limit}"""
    items = [QuoteSummary(*row) for row in archive.execute(sql, [*where.params, *limit_params])]
    return paged(archive, items, wanted.limit, wanted.offset, f"SELECT count(*) FROM {tables} {where}", where.params)


def list_contacts(archive: Archive, name: str | None = None, limit: int | None = None,
                  offset: int = 0) -> Page[ContactSummary]:  # fmt: skip
    """Press contacts as printed in each statement, with their phones (E.164 where known), newest first."""
    where = Where()
    if name:
        condition, ids = find_people(archive, name).condition("c")
        where.add(condition, *ids)
    limit_sql, limit_params = archive.side.limit_clause(limit, offset)
    tables = "contacts c JOIN statements s ON s.id = c.statement_id"
    sql = f"""
        SELECT c.id, c.statement_id, s.slug, s.published, c.name, c.role, c.email, c.email_hidden, c.handles, s.title
        FROM {tables} {where}
        ORDER BY s.published IS NULL, s.published DESC, s.id DESC, c.position {limit_sql}"""
    rows = archive.execute(sql, [*where.params, *limit_params]).fetchall()
    phones = _phones(archive, [row[0] for row in rows])
    items = [
        ContactSummary(id_, statement_id, slug, published, name, role, email, bool(hidden),
                       tuple(phones.get(id_, ())), tuple((handles or "").split()), title)
        for id_, statement_id, slug, published, name, role, email, hidden, handles, title in rows
    ]  # fmt: skip
    return paged(archive, items, limit, offset, f"SELECT count(*) FROM {tables} {where}", where.params)


def _phones(archive: Archive, contact_ids: list[int]) -> dict[int, list[str]]:
    """Each contact's phones in the order printed, E.164 where known."""
    found: dict[int, list[str]] = {}
    for chunk in in_chunks(contact_ids):
        for contact_id, phone in archive.execute(
            f"SELECT contact_id, coalesce(e164, raw) FROM contact_phones WHERE contact_id IN ({placeholders(chunk)})"
            " ORDER BY contact_id, position", chunk):  # fmt: skip
            found.setdefault(contact_id, []).append(phone)
    return found


_PEOPLE = """
    WITH appearances AS (
        SELECT person_id, statement_id, 1 AS quoted, 0 AS contact FROM quotes WHERE person_id IS NOT NULL
        UNION ALL
        SELECT person_id, statement_id, 0, 1 FROM contacts WHERE person_id IS NOT NULL)
    SELECT p.id, p.name, p.kind, sum(a.quoted), sum(a.contact), min(s.published), max(s.published)
    FROM people p JOIN appearances a ON a.person_id = p.id JOIN statements s ON s.id = a.statement_id
    GROUP BY p.id
    ORDER BY sum(a.quoted) + sum(a.contact) DESC, p.name {limit}"""

_ROLES = """
    SELECT person_id, role FROM quotes WHERE role IS NOT NULL AND person_id IN ({ids})
    UNION
    SELECT person_id, role FROM contacts WHERE role IS NOT NULL AND person_id IN ({ids})
    ORDER BY 1, 2"""


def list_people(archive: Archive, limit: int | None = None, offset: int = 0) -> Page[PersonSummary]:
    """Each person with how often they were quoted or named as a contact, and the roles printed with them."""
    limit_sql, limit_params = archive.side.limit_clause(limit, offset)
    rows = archive.execute(_PEOPLE.format(limit=limit_sql), limit_params).fetchall()
    ids = [row[0] for row in rows]
    roles: dict[int, list[str]] = {}
    if ids:
        for person_id, role in archive.execute(_ROLES.format(ids=placeholders(ids)), ids + ids):
            roles.setdefault(person_id, []).append(role)
    items = [PersonSummary(*row, tuple(roles.get(row[0], ()))) for row in rows]
    count = "SELECT count(DISTINCT person_id) FROM (SELECT person_id FROM quotes UNION SELECT person_id FROM contacts) a"
    return paged(archive, items, limit, offset, count, ())


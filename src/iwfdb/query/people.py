"""People, their quotes and their contact appearances: `iwfdb quotes`, `contacts`, `people`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from iwfdb.db import Archive, in_chunks, placeholders
from iwfdb.errors import AmbiguousNameError, NotFoundError
from iwfdb.keys import organisation_key, person_key
from iwfdb.query.clauses import Page, Where, paged
from iwfdb.query.dates import year_ranges
from iwfdb.query.search import search_terms
from iwfdb.records import ContactSummary, NameCandidate, PersonSummary, QuoteSummary


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None
    years: tuple[int, ...] = ()
    text: str | None = None
    limit: int | None = None
    offset: int = 0
    oldest_first: bool = False
    person_id: int | None = None  # chosen by id: what `speaker` cannot do when several people share a name
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Speakers:
    """Whom a name typed by a user means: a person, or an organisation (`Home Office`), by id."""

    people: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()

    def condition(self, table: str) -> tuple[str, list[int]]:
        """A condition on `table`'s person_id and organisation_id, and its parameters."""
        parts = [
            f"{table}.{column} IN ({placeholders(ids)})"
            for column, ids in (("person_id", self.people), ("organisation_id", self.organisations))
            if ids
        ]
        return "(" + " OR ".join(parts) + ")", [*self.people, *self.organisations]

    def quoted(self, quote_id: str) -> tuple[str, list[int]]:
        """A condition on a quote's id: said by them, alone or together with others (quote_speakers)."""
        condition, ids = self.condition("x")
        return f"{quote_id} IN (SELECT x.quote_id FROM quote_speakers x WHERE {condition})", ids


# How many candidates an ambiguous name lists (the others are counted).
CANDIDATES_SHOWN = 20
_CANDIDATES = """
    SELECT t.id, t.name, (SELECT count(*) FROM quote_speakers x WHERE x.{column} = t.id),
           (SELECT count(*) FROM contacts c WHERE c.{column} = t.id)
    FROM {table} t WHERE t.id IN ({ids})
    ORDER BY 3 DESC, 4 DESC, t.name, t.id"""


def name_candidates(archive: Archive, name: str) -> list[NameCandidate]:
    """Everyone `name` may mean, however it is spelled: the people, else the organisations, most quoted first.

    The name gets the store's own key (no titles, honours, accents or punctuation, casefolded), so that "Ms
    Susie Hargreaves, OBE" is exactly Susie Hargreaves; a key that is no one's exactly means everyone whose
    key holds all its words ("Dubois": everyone called Dubois).
    """
    for table, kind, key in (("people", "person", person_key), ("organisations", "organisation", organisation_key)):
        ids = _matching(archive, table, key(name))
        if ids:
            return _candidates(archive, table, kind, ids)
    return []


def candidate_by_id(archive: Archive, kind: str, id_: int) -> NameCandidate | None:
    """The person (kind `person`) or organisation of this id, with how often they appear; None when there is none."""
    found = _candidates(archive, "people" if kind == "person" else "organisations", kind, (id_,))
    return found[0] if found else None


def _candidates(archive: Archive, table: str, kind: str, ids: tuple[int, ...]) -> list[NameCandidate]:
    column = "person_id" if kind == "person" else "organisation_id"
    found = []
    for chunk in in_chunks(list(ids)):
        sql = _CANDIDATES.format(column=column, table=table, ids=placeholders(chunk))
        found += [
            NameCandidate(id_, kind, name, quotes, contacts)
            for id_, name, quotes, contacts in archive.execute(sql, chunk)
        ]
    return sorted(found, key=lambda c: (-c.quotes, -c.contacts, c.name, c.id))


def find_people(archive: Archive, name: str) -> Speakers:
    """The one person (else organisation) `name` means (see name_candidates).

    A name that no one has is an error with suggestions; a name that several people share is an error that
    lists them with their ids: a surname alone never merges people.
    """
    candidates = name_candidates(archive, name)
    if len(candidates) == 1:
        return _speakers(candidates[0].kind, candidates[0].id)
    if candidates:
        raise AmbiguousNameError(name, candidates[:CANDIDATES_SHOWN], len(candidates))
    names = [row[0] for row in archive.execute("SELECT name FROM people UNION SELECT name FROM organisations")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; see `iwfdb people`"
    raise NotFoundError(f"nobody called {name!r} in the archive{hint}")


def speaker_by_id(archive: Archive, person_id: int | None = None, organisation_id: int | None = None) -> Speakers:
    """The person or organisation of this id; NotFoundError when the archive has none."""
    table, kind, id_ = (
        ("people", "person", person_id)
        if person_id is not None
        else ("organisations", "organisation", organisation_id or 0)
    )  # no id at all: found nowhere
    if archive.execute(f"SELECT 1 FROM {table} WHERE id = ?", (id_,)).fetchone() is None:
        raise NotFoundError(f"no {kind} has the id {id_}; `iwfdb quotes --speaker NAME` lists the ids a name has")
    return _speakers(kind, id_)


def _speakers(kind: str, id_: int) -> Speakers:
    return Speakers(people=(id_,)) if kind == "person" else Speakers(organisations=(id_,))


def _matching(archive: Archive, table: str, wanted: str) -> tuple[int, ...]:
    exact = archive.execute(f"SELECT id FROM {table} WHERE name_key = ?", (wanted,)).fetchall()
    if exact:
        return tuple(row[0] for row in exact)
    words = set(wanted.split())
    rows = archive.execute(f"SELECT id, name_key FROM {table}").fetchall()
    return tuple(id_ for id_, key in rows if words and words <= set(key.split()))


def _chosen_speakers(archive: Archive, wanted: QuoteFilter) -> Speakers | None:
    if wanted.person_id is not None or wanted.organisation_id is not None:
        return speaker_by_id(archive, wanted.person_id, wanted.organisation_id)
    return find_people(archive, wanted.speaker) if wanted.speaker else None


def list_quotes(archive: Archive, wanted: QuoteFilter) -> Page[QuoteSummary]:
    """Quotes with their speaker and statement, newest first, narrowed by speaker (a quote said together
    with others counts for each of them), year and words."""
    where = Where()
    speakers = _chosen_speakers(archive, wanted)
    if speakers is not None:
        where.add(*_flat(speakers.quoted("q.id")))
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


def _flat(condition: tuple[str, list[int]]) -> list:
    """(sql, params) as the arguments of Where.add."""
    return [condition[0], *condition[1]]


def list_contacts(
    archive: Archive, name: str | None = None, limit: int | None = None, offset: int = 0, who: Speakers | None = None
) -> Page[ContactSummary]:
    """Press contacts as printed in each statement, with their phones (E.164 where known), newest first;
    those of one person or organisation, named (`name`) or chosen by id (`who`), when given."""
    where = Where()
    if name:
        who = find_people(archive, name)
    if who is not None:
        where.add(*_flat(who.condition("c")))
    limit_sql, limit_params = archive.side.limit_clause(limit, offset)
    tables = "contacts c JOIN statements s ON s.id = c.statement_id"
    sql = f"""
        SELECT c.id, c.statement_id, s.slug, s.published, c.name, c.role, c.email, c.email_hidden, c.handles, s.title
        FROM {tables} {where}
        ORDER BY s.published IS NULL, s.published DESC, s.id DESC, c.position {limit_sql}"""
    rows = archive.execute(sql, [*where.params, *limit_params]).fetchall()
    phones = _phones(archive, [row[0] for row in rows])
    items = [
        ContactSummary(
            id_,
            statement_id,
            slug,
            published,
            name,
            role,
            email,
            bool(hidden),
            tuple(phones.get(id_, ())),
            tuple((handles or "").split()),
            title,
        )
        for id_, statement_id, slug, published, name, role, email, hidden, handles, title in rows
    ]
    return paged(archive, items, limit, offset, f"SELECT count(*) FROM {tables} {where}", where.params)


def _phones(archive: Archive, contact_ids: list[int]) -> dict[int, list[str]]:
    """Each contact's phones in the order printed, E.164 where known."""
    found: dict[int, list[str]] = {}
    for chunk in in_chunks(contact_ids):
        for contact_id, phone in archive.execute(
            f"SELECT contact_id, coalesce(e164, raw) FROM contact_phones WHERE contact_id IN ({placeholders(chunk)})"
            " ORDER BY contact_id, position",
            chunk,
        ):
            found.setdefault(contact_id, []).append(phone)
    return found


_MOST_QUOTED = """
    SELECT t.id, t.name, t.quotes, (SELECT count(*) FROM contacts c WHERE c.person_id = t.id)
    FROM (SELECT p.id, p.name, count(*) AS quotes FROM quote_speakers x JOIN people p ON p.id = x.person_id
          GROUP BY p.id, p.name ORDER BY count(*) DESC, p.name LIMIT ?) t
    ORDER BY t.quotes DESC, t.name"""


def most_quoted(archive: Archive, limit: int) -> list[NameCandidate]:
    """The people quoted most (a quote said together counts for each of its speakers), with their contact counts."""
    return [
        NameCandidate(id_, "person", name, quotes, contacts)
        for id_, name, quotes, contacts in archive.execute(_MOST_QUOTED, (limit,))
    ]


_PEOPLE = """
    WITH appearances AS (
        SELECT x.person_id, q.statement_id, 1 AS quoted, 0 AS contact
        FROM quote_speakers x JOIN quotes q ON q.id = x.quote_id WHERE x.person_id IS NOT NULL
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
    items = [
        PersonSummary(id_, name, kind, quotes, contacts, first, last, tuple(roles.get(id_, ())))
        for id_, name, kind, quotes, contacts, first, last in rows
    ]
    count = (
        "SELECT count(DISTINCT person_id) FROM (SELECT person_id FROM quote_speakers UNION "
        "SELECT person_id FROM contacts) a"
    )
    return paged(archive, items, limit, offset, count, ())

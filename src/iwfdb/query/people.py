"""People, their quotes and their contact appearances: `iwfdb quotes`, `contacts`, `people`."""

from __future__ import annotations

import difflib
import json
import sqlite3
from dataclasses import dataclass

from iwfdb.errors import NotFoundError
from iwfdb.query.connection import Where, fts_phrases, placeholders, rows_as_dicts, sql_limit
from iwfdb.query.dates import year_ranges
from iwfdb.keys import person_key

@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None
    years: tuple[int, ...] = ()
    text: str | None = None
    limit: int | None = None
    oldest_first: bool = False


def find_people(connection: sqlite3.Connection, name: str) -> list[int]:
    """The ids of the people `name` means, however it is spelled.

    The name gets the store's own key (no titles, honours or punctuation, casefolded), so that "Ms Susie
    Hargreaves, OBE" is exactly Susie Hargreaves; a key that is no one's exactly means everyone whose key
    holds all its words ("Ms Hargreaves": everyone called Hargreaves). No match is an error with suggestions.
    """
    wanted = person_key(name)
    exact = connection.execute("SELECT id FROM people WHERE name_key = ?", (wanted,)).fetchall()
    if exact:
        return [row[0] for row in exact]
    people = connection.execute("SELECT id, name, name_key FROM people").fetchall()
    words = set(wanted.split())
    partial = [row[0] for row in people if words and words <= set(row[2].split())]
    if partial:
        return partial
    close = difflib.get_close_matches(name, [row[1] for row in people], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; see `iwfdb people`"
    raise NotFoundError(f"nobody called {name!r} in the archive{hint}")


def list_quotes(connection: sqlite3.Connection, wanted: QuoteFilter) -> list[dict]:
    """Quotes with their speaker and statement, newest first, narrowed by speaker, year and words."""
    where = Where()
    if wanted.speaker:
        ids = find_people(connection, wanted.speaker)
        where.add(f"q.person_id IN ({placeholders(ids)})", *ids)
    if wanted.years:
        where.add(*year_ranges("s.published", wanted.years))
    if wanted.text:
        where.add("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", fts_phrases(wanted.text))
    direction = "ASC" if wanted.oldest_first else "DESC"
    sql = f"""
        SELECT q.id, q.statement_id, s.slug, s.published, coalesce(p.name, q.speaker) AS speaker,
               q.role, q.text, s.title AS statement_title
        FROM quotes q JOIN statements s ON s.id = q.statement_id LEFT JOIN people p ON p.id = q.person_id
        {where}
        ORDER BY s.published IS NULL, s.published {direction}, s.id {direction}, q.position
        LIMIT ?"""
    return rows_as_dicts(connection.execute(sql, [*where.params, sql_limit(wanted.limit)]))


def list_contacts(connection: sqlite3.Connection, name: str | None = None, limit: int | None = None) -> list[dict]:
    """Press contacts as printed in each statement, with their phones (E.164 where known), newest first."""
    where = Where()
    if name:
        ids = find_people(connection, name)
        where.add(f"c.person_id IN ({placeholders(ids)})", *ids)
    sql = f"""
        SELECT c.id, c.statement_id, s.slug, s.published, c.name, c.role, c.email, c.email_hidden,
               (SELECT json_group_array(coalesce(ph.e164, ph.raw))
                FROM (SELECT * FROM contact_phones WHERE contact_id = c.id ORDER BY position) ph) AS phones,
               c.handles, s.title AS statement_title
        FROM contacts c JOIN statements s ON s.id = c.statement_id {where}
        ORDER BY s.published IS NULL, s.published DESC, s.id DESC, c.position
        LIMIT ?"""
    rows = rows_as_dicts(connection.execute(sql, [*where.params, sql_limit(limit)]))
    for row in rows:
        row["email_hidden"] = bool(row["email_hidden"])
        row["phones"] = json.loads(row["phones"])
        row["handles"] = split_handles(row["handles"])
    return rows


def list_people(connection: sqlite3.Connection, limit: int | None = None) -> list[dict]:
    """Each person with how often they were quoted or named as a contact, and the roles printed with them."""
    sql = """
        WITH appearances AS (
            SELECT person_id, statement_id, role, 1 AS quoted, 0 AS contact FROM quotes
            WHERE person_id IS NOT NULL
            UNION ALL
            SELECT person_id, statement_id, role, 0, 1 FROM contacts WHERE person_id IS NOT NULL)
        SELECT p.id, p.name, p.kind, sum(a.quoted) AS quotes, sum(a.contact) AS contacts,
               min(s.published) AS first_seen, max(s.published) AS last_seen,
               json_group_array(DISTINCT a.role) FILTER (WHERE a.role IS NOT NULL) AS roles
        FROM people p JOIN appearances a ON a.person_id = p.id JOIN statements s ON s.id = a.statement_id
        GROUP BY p.id
        ORDER BY sum(a.quoted) + sum(a.contact) DESC, p.name
        LIMIT ?"""
    rows = rows_as_dicts(connection.execute(sql, (sql_limit(limit),)))
    for row in rows:
        row["roles"] = json.loads(row["roles"])
    return rows


def split_handles(handles: str | None) -> list[str]:
    """The store keeps a contact's social handles in one text column, one per line or space."""
    return (handles or "").split()

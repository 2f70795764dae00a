"""Statements: the list behind `iwfdb query` and the full record behind `iwfdb show`."""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from dataclasses import dataclass

from iwfdb.errors import NotFoundError
from iwfdb.query.connection import Where, fts_phrases, placeholders, rows_as_dicts, sql_limit
from iwfdb.query.dates import day_after_period, iso_day, year_ranges
from iwfdb.query.people import find_people, split_handles


@dataclass(frozen=True, slots=True)
class StatementFilter:
    """What `iwfdb query` narrows the list by; every value ends up as a bound parameter."""

    years: tuple[int, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    kind: str | None = None
    speaker: str | None = None
    contact: str | None = None
    text: str | None = None
    full_only: bool = False
    limit: int | None = None
    oldest_first: bool = False


def list_statements(connection: sqlite3.Connection, wanted: StatementFilter) -> list[dict]:
    """Statements matching every filter, newest first (undated ones last), with counts of their parts.

    A card-only statement's counts are None: its text, and so its quotes, contacts and links, are unknown.
    """
    where = _statement_conditions(connection, wanted)
    direction = "ASC" if wanted.oldest_first else "DESC"
    sql = f"""
        SELECT s.id, s.slug, s.published, s.kind, s.title, s.card_only,
               (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id) AS quotes,
               (SELECT count(*) FROM contacts c WHERE c.statement_id = s.id) AS contacts,
               (SELECT count(*) FROM links l WHERE l.statement_id = s.id) AS links,
               src.path AS source_path
        FROM statements s LEFT JOIN sources src ON src.id = s.source_id AND s.card_only = 0
        {where}
        ORDER BY s.published IS NULL, s.published {direction}, s.id {direction}
        LIMIT ?"""
    rows = rows_as_dicts(connection.execute(sql, [*where.params, sql_limit(wanted.limit)]))
    for row in rows:
        row["card_only"] = bool(row["card_only"])
        if row["card_only"]:
            row.update(quotes=None, contacts=None, links=None)
    return rows


def _statement_conditions(connection: sqlite3.Connection, wanted: StatementFilter) -> Where:
    where = Where()
    if wanted.years:
        where.add(*year_ranges("s.published", wanted.years))
    if wanted.date_from:
        where.add("s.published >= ?", iso_day(wanted.date_from, "--from"))
    if wanted.date_to:
        where.add("s.published < ?", day_after_period(wanted.date_to, "--to"))
    if wanted.kind:
        where.add("s.kind = ? COLLATE NOCASE", wanted.kind.strip())
    for name, table in ((wanted.speaker, "quotes"), (wanted.contact, "contacts")):
        if name:
            ids = find_people(connection, name)
            where.add(f"s.id IN (SELECT statement_id FROM {table} WHERE person_id IN ({placeholders(ids)}))", *ids)
    if wanted.text:
        phrases = fts_phrases(wanted.text)
        where.add("(s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)"
                  " OR s.id IN (SELECT statement_id FROM quotes WHERE id IN"
                  " (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)))", phrases, phrases)
    if wanted.full_only:
        where.add("s.card_only = 0")
    return where


def get_statement(connection: sqlite3.Connection, ref: str) -> dict:
    """One statement in full, by id or slug: its text, quotes, contacts, links, source and revisions."""
    row = _find_statement(connection, ref.strip())
    statement = dict(row)
    statement["card_only"] = bool(statement["card_only"])
    sid = statement["id"]
    statement["quotes"] = _parts(connection, """
        SELECT q.position, coalesce(p.name, q.speaker) AS speaker, q.role, q.honours, q.attribution, q.text, q.line
        FROM quotes q LEFT JOIN people p ON p.id = q.person_id WHERE q.statement_id = ? ORDER BY q.position""", sid)
    statement["contacts"] = _contacts(connection, sid)
    statement["links"] = _parts(connection, """
        SELECT l.position, CASE WHEN l.target_statement_id IS NULL THEN 'url' ELSE 'statement' END AS target,
               l.url, l.target_statement_id, t.slug AS target_slug, t.title AS target_title,
               t.published AS target_published, l.text, l.line
        FROM links l LEFT JOIN statements t ON t.id = l.target_statement_id
        WHERE l.statement_id = ? ORDER BY l.position""", sid)
    statement["cited_by"] = _parts(connection, """
        SELECT DISTINCT s.id, s.slug, s.title, s.published FROM links l JOIN statements s ON s.id = l.statement_id
        WHERE l.target_statement_id = ? ORDER BY s.published DESC, s.id""", sid)
    statement["sections"] = _parts(connection, """
        SELECT heading, text, line FROM sections WHERE statement_id = ? ORDER BY position""", sid)
    statement["source"] = _source(connection, statement.pop("source_id"), statement["card_only"])
    statement["revisions"] = _parts(connection, """
        SELECT id, sha256, source_path, loaded_at, replaced_at FROM revisions
        WHERE statement_id = ? ORDER BY replaced_at, id""", sid)
    return statement


def _find_statement(connection: sqlite3.Connection, ref: str) -> sqlite3.Row:
    columns = """SELECT id, slug, title, kind, published, byline, summary, body, card_only, source_id, sha256,
                        first_loaded_at, last_loaded_at FROM statements"""
    if ref.isdigit():
        row = connection.execute(f"{columns} WHERE id = ?", (int(ref),)).fetchone()
    else:
        row = connection.execute(f"{columns} WHERE slug = ?", (ref,)).fetchone()
        if row is None:
            # A unique beginning of a slug is enough: `iwfdb show 2017-03-07-iwfs`.
            prefixed = connection.execute(f"{columns} WHERE slug >= ? AND slug < ? ORDER BY slug LIMIT 4",
                                          (ref, ref + "\U0010ffff")).fetchall()
            if len(prefixed) > 1:
                some = ", ".join(row["slug"] for row in prefixed[:3]) + (", ..." if len(prefixed) > 3 else "")
                raise NotFoundError(f"{ref!r} begins several slugs ({some}); give more of one")
            row = prefixed[0] if prefixed else None
    if row is None:
        raise NotFoundError(f"no statement {ref!r} in the archive{_suggestions(connection, ref)}")
    return row


def _suggestions(connection: sqlite3.Connection, ref: str) -> str:
    """`; did you mean ...?` with the slugs nearest to `ref` (by slug or by title), or a pointer to `query`.

    Candidates come from the full-text index (any word of `ref`) and from the same day, so that the
    comparison stays quick on a large archive.
    """
    words = [word for word in re.split(r"[\W_]+", ref) if len(word) > 2 and not word.isdigit()]
    rows = []
    if words:
        rows += connection.execute(
            "SELECT s.slug, s.title FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid"
            " WHERE statements_fts MATCH ? ORDER BY rank LIMIT 200",
            (" OR ".join('"' + word.replace('"', '""') + '"' for word in words),)).fetchall()
    rows += connection.execute("SELECT slug, title FROM statements WHERE slug >= ? AND slug < ? LIMIT 200",
                               (ref[:10], ref[:10] + "\U0010ffff")).fetchall()
    by_title = {(row[1] or "").casefold(): row[0] for row in rows if row[1]}
    # A slug typed in part ('iwfs-work') is the likeliest meaning: slugs that contain it come first.
    near = [slug for (slug,) in connection.execute(
        "SELECT slug FROM statements WHERE instr(slug, ?) > 0 ORDER BY published DESC LIMIT 3",
        (ref.strip().casefold().replace(" ", "-"),))]  # fmt: skip
    near += difflib.get_close_matches(ref, [row[0] for row in rows], n=3, cutoff=0.5)
    near += [by_title[t] for t in difflib.get_close_matches(ref.casefold(), list(by_title), n=3, cutoff=0.6)]
    near = list(dict.fromkeys(near))[:3]
    if not near:
        return "; list statements with `iwfdb query`"
    return "; did you mean " + ", ".join(near) + "?"


def _parts(connection: sqlite3.Connection, sql: str, statement_id: int) -> list[dict]:
    return rows_as_dicts(connection.execute(sql, (statement_id,)))


def _contacts(connection: sqlite3.Connection, statement_id: int) -> list[dict]:
    contacts = _parts(connection, """
        SELECT c.id, c.name, c.role, c.email, c.email_hidden, c.handles, c.line,
               (SELECT json_group_array(json_object('raw', ph.raw, 'e164', ph.e164))
                FROM (SELECT * FROM contact_phones WHERE contact_id = c.id ORDER BY position) ph) AS phones
        FROM contacts c WHERE c.statement_id = ? ORDER BY c.position""", statement_id)
    for contact in contacts:
        contact["email_hidden"] = bool(contact["email_hidden"])
        contact["handles"] = split_handles(contact["handles"])
        contact["phones"] = json.loads(contact["phones"])
    return contacts


def _source(connection: sqlite3.Connection, source_id: int | None, card_only: bool) -> dict | None:
    """The file the statement was read from; for a card-only statement, the file whose card named it."""
    if source_id is None:
        return None
    row = connection.execute("SELECT path, sha256, size, outcome, first_loaded_at, last_loaded_at FROM sources"
                             " WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        return None
    return {**dict(row), "role": "card" if card_only else "text"}

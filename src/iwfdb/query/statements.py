"""Statements: the list behind `iwfdb query` and the full record behind `iwfdb show`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from iwfdb.db import Archive
from iwfdb.errors import NotFoundError
from iwfdb.keys import publisher_name
from iwfdb.query.clauses import Page, Where, like_prefix, paged
from iwfdb.query.dates import day_after_period, iso_day, year_ranges
from iwfdb.query.people import find_people
from iwfdb.query.search import search_terms
from iwfdb.records import StatementSummary, StoredStatement
from iwfdb.store.stored import read_statement


@dataclass(frozen=True, slots=True)
class StatementFilter:
    """What `iwfdb query` narrows the list by; every value ends up as a bound parameter."""

    years: tuple[int, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    kind: str | None = None
    publisher: str | None = None
    speaker: str | None = None
    contact: str | None = None
    text: str | None = None
    full_only: bool = False
    limit: int | None = None
    offset: int = 0
    oldest_first: bool = False


@dataclass(frozen=True, slots=True)
class StatementMatch:
    """The statement `iwfdb show REF` found, how REF was read (`id`, `slug` or `slug prefix`), and whether slugs
    also begin with a REF that was taken as an id (`iwfdb show 2020`)."""

    statement: StoredStatement
    matched_by: str
    slugs_begin_with_ref: bool = False


_LIST = """
    SELECT s.id, s.slug, s.published, s.kind, s.title, s.publisher, s.card_only,
           (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id),
           (SELECT count(*) FROM contacts c WHERE c.statement_id = s.id),
           (SELECT count(*) FROM links l WHERE l.statement_id = s.id),
           src.path
    FROM statements s LEFT JOIN sources src ON src.id = s.source_id AND NOT s.card_only"""


def list_statements(archive: Archive, wanted: StatementFilter) -> Page[StatementSummary]:
    """Statements matching every filter, newest first (undated ones last), with counts of their parts.

    A card-only statement's counts are None: its text, and so its quotes, contacts and links, are unknown.
    The page's ids are chosen first, so that the parts are counted for its rows only, not for every row sorted.
    """
    where = statement_conditions(archive, wanted)
    direction = "ASC" if wanted.oldest_first else "DESC"
    limit, limit_params = archive.side.limit_clause(wanted.limit, wanted.offset)
    order = f"ORDER BY s.published IS NULL, s.published {direction}, s.id {direction}"
    sql = f"{_LIST} WHERE s.id IN (SELECT s.id FROM statements s {where} {order} {limit}) {order}"
    items = [_summary(*row) for row in archive.execute(sql, [*where.params, *limit_params])]
    return paged(
        archive, items, wanted.limit, wanted.offset, f"SELECT count(*) FROM statements s {where}", where.params
    )


def _summary(
    id_, slug, published, kind, title, publisher, card_only, quotes, contacts, links, path
) -> StatementSummary:
    if card_only:
        quotes = contacts = links = None
    return StatementSummary(
        id_, slug, published, kind, title, bool(card_only), quotes, contacts, links, path, publisher
    )


def statement_conditions(archive: Archive, wanted: StatementFilter) -> Where:
    where = Where()
    if wanted.years:
        where.add(*year_ranges("s.published", wanted.years))
    if wanted.date_from:
        where.add("s.published >= ?", iso_day(wanted.date_from, "--from"))
    if wanted.date_to:
        where.add("s.published < ?", day_after_period(wanted.date_to, "--to"))
    if wanted.kind:
        where.add("lower(s.kind) = lower(?)", wanted.kind.strip())
    if wanted.publisher:
        where.add("lower(s.publisher) = lower(?)", publisher_name(wanted.publisher))
    if wanted.speaker:
        condition, ids = find_people(archive, wanted.speaker).quoted("quotes.id")
        where.add(f"s.id IN (SELECT statement_id FROM quotes WHERE {condition})", *ids)
    if wanted.contact:
        condition, ids = find_people(archive, wanted.contact).condition("contacts")
        where.add(f"s.id IN (SELECT statement_id FROM contacts WHERE {condition})", *ids)
    if wanted.text:
        terms = search_terms(archive, wanted.text)
        side = archive.side
        where.add(
            f"(s.id IN ({side.matching_ids('statements')}) OR s.id IN (SELECT statement_id FROM quotes "
            f"WHERE id IN ({side.matching_ids('quotes')})))",
            terms,
            terms,
        )
    if wanted.full_only:
        where.add("NOT s.card_only")
    return where


def find_statement(archive: Archive, ref: str) -> StatementMatch:
    """One statement in full, by id, slug or a unique start of a slug; NotFoundError suggests near matches."""
    ref = ref.strip()
    if ref.isdigit():
        row = archive.execute("SELECT id FROM statements WHERE id = ?", (int(ref),)).fetchone()
        if row is not None:
            return StatementMatch(read_statement(archive, row[0]), "id", _slugs_begin_with(archive, ref))
    row = archive.execute("SELECT id FROM statements WHERE slug = ?", (ref,)).fetchone()
    if row is not None:
        return StatementMatch(read_statement(archive, row[0]), "slug")
    prefixed = archive.execute(
        "SELECT id, slug FROM statements WHERE slug LIKE ? ESCAPE '\\' ORDER BY slug LIMIT 4",
        (like_prefix(ref.casefold()),),
    ).fetchall()
    if len(prefixed) > 1:
        some = ", ".join(slug for _, slug in prefixed[:3]) + (", ..." if len(prefixed) > 3 else "")
        raise NotFoundError(f"{ref!r} begins several slugs ({some}); give more of one")
    if prefixed:
        return StatementMatch(read_statement(archive, prefixed[0][0]), "slug prefix")
    raise NotFoundError(f"no statement {ref!r} in the archive{_suggestions(archive, ref)}")


def _slugs_begin_with(archive: Archive, ref: str) -> bool:
    row = archive.execute("SELECT 1 FROM statements WHERE slug LIKE ? ESCAPE '\\' LIMIT 1", (like_prefix(ref),))
    return row.fetchone() is not None


def _suggestions(archive: Archive, ref: str) -> str:
    """`; did you mean ...?` with the slugs nearest to `ref` (by slug or by title), or a pointer to `query`.

    Candidates come from the full-text index (any word of `ref`) and from the same day, so that the
    comparison stays quick on a large archive.
    """
    words = [word for word in re.split(r"[\W_]+", ref) if len(word) > 2 and not word.isdigit()]
    rows = []
    if words:
        rows += archive.execute(
            f"SELECT slug, title FROM statements WHERE id IN ({archive.side.matching_ids('statements')}) LIMIT 200",
            (archive.side.any_of_terms(words),),
        ).fetchall()
    rows += archive.execute(
        "SELECT slug, title FROM statements WHERE slug LIKE ? ESCAPE '\\' LIMIT 200",
        (like_prefix(ref[:10].casefold()),),
    ).fetchall()
    by_title = {(title or "").casefold(): slug for slug, title in rows if title}
    # A slug typed in part ('iwfs-work') is the likeliest meaning: slugs that contain it come first. A part
    # without a word ('0', '12') is in most slugs' dates, and close to none of them.
    typed = like_prefix(ref.strip().casefold().replace(" ", "-"))
    near = (
        [
            slug
            for (slug,) in archive.execute(
                "SELECT slug FROM statements WHERE slug LIKE ? ESCAPE '\\' ORDER BY published DESC LIMIT 3",
                ("%" + typed,),
            )
        ]
        if words
        else []
    )
    near += difflib.get_close_matches(ref, [slug for slug, _ in rows], n=3, cutoff=0.5)
    near += [by_title[t] for t in difflib.get_close_matches(ref.casefold(), list(by_title), n=3, cutoff=0.6)]
    near = list(dict.fromkeys(near))[:3]
    if not near:
        return ", nor one whose slug or title is close to it; list statements with `iwfdb query`"
    return "; did you mean " + ", ".join(near) + "?"

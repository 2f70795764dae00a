"""The files an archive was loaded from, and what became of each: `iwfdb sources`."""

from __future__ import annotations

from dataclasses import dataclass

from iwfdb.db import Archive
from iwfdb.query.clauses import Page, Where, paged
from iwfdb.records import SourceSummary

# By path, a number that ends it in numeric order: the pages of a web archive by offset (`#580` before `#1482`).
BY_PATH = "rtrim(path, '0123456789'), length(path), path"


@dataclass(frozen=True, slots=True)
class SourceFilter:
    failed_only: bool = False
    limit: int | None = None
    offset: int = 0


def list_sources(archive: Archive, wanted: SourceFilter) -> Page[SourceSummary]:
    """Every file (or page of a web archive) ever loaded, by path; with `failed_only`, those that failed and why."""
    where = Where()
    if wanted.failed_only:
        where.add("outcome = 'failed'")
    limit, limit_params = archive.side.limit_clause(wanted.limit, wanted.offset)
    sql = f"""SELECT path, outcome, error, size, sha256, parser_version, fetched_at, first_loaded_at, last_loaded_at
              FROM sources {where} ORDER BY {BY_PATH} {limit}"""
    items = [SourceSummary(*row) for row in archive.execute(sql, [*where.params, *limit_params])]
    return paged(archive, items, wanted.limit, wanted.offset, f"SELECT count(*) FROM sources {where}", where.params)

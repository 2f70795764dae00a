"""What the archive holds, in numbers: `iwfdb stats`."""

from __future__ import annotations

from iwfdb.db import Archive
from iwfdb.query.people import most_quoted
from iwfdb.records import StatRow

TOP_SPEAKERS = 10

_COUNTS = """
    SELECT (SELECT count(*) FROM statements),
           (SELECT count(*) FROM statements WHERE NOT card_only),
           (SELECT count(*) FROM statements WHERE card_only),
           (SELECT count(*) FROM quotes),
           (SELECT count(*) FROM people),
           (SELECT count(*) FROM organisations),
           (SELECT count(*) FROM contacts),
           (SELECT count(*) FROM links),
           (SELECT count(*) FROM sources)"""
COUNT_NAMES = (
    "statements",
    "full_statements",
    "card_only_statements",
    "quotes",
    "people",
    "organisations",
    "contacts",
    "links",
    "source_files",
)
_PER_YEAR = """
    SELECT year, count(*) FROM (SELECT coalesce(substr(published, 1, 4), 'undated') AS year FROM statements) y
    GROUP BY year ORDER BY year = 'undated', year"""


def get_stats(archive: Archive, top: int = TOP_SPEAKERS) -> list[StatRow]:
    """The archive's numbers as rows of {group, name, value}, so that every output format can carry them.

    Groups: `counts` (statements, full_statements, card_only_statements, quotes, people, organisations,
    contacts, links, source_files), `per_year` (statements per year, `undated` last) and `top_speakers` (by
    quotes; a quote said together counts for each of its speakers).
    """
    counts = archive.execute(_COUNTS).fetchone()
    rows = [StatRow("counts", name, value) for name, value in zip(COUNT_NAMES, counts, strict=False)]
    rows += [StatRow("per_year", year, n) for year, n in archive.execute(_PER_YEAR)]
    rows += [StatRow("top_speakers", person.name, person.quotes) for person in most_quoted(archive, top)]
    return rows

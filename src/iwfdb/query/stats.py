"""What the archive holds, in numbers: `iwfdb stats`."""

from __future__ import annotations

import sqlite3

TOP_SPEAKERS = 10

_COUNTS = """
    SELECT (SELECT count(*) FROM statements) AS statements,
           (SELECT count(*) FROM statements WHERE card_only = 0) AS full_statements,
           (SELECT count(*) FROM statements WHERE card_only = 1) AS card_only_statements,
           (SELECT count(*) FROM quotes) AS quotes,
           (SELECT count(*) FROM people) AS people,
           (SELECT count(*) FROM contacts) AS contacts,
           (SELECT count(*) FROM links) AS links,
           (SELECT count(*) FROM sources) AS source_files"""


def get_stats(connection: sqlite3.Connection, top: int = TOP_SPEAKERS) -> list[dict]:
    """The archive's numbers as rows of {group, name, value}, so that every output format can carry them.

    Groups: `counts` (statements, full_statements, card_only_statements, quotes, people, contacts, links,
    source_files), `per_year` (statements per year, `undated` last) and `top_speakers` (by quotes).
    """
    counts = dict(connection.execute(_COUNTS).fetchone())
    rows = [{"group": "counts", "name": name, "value": value} for name, value in counts.items()]
    per_year = connection.execute(
        "SELECT coalesce(substr(published, 1, 4), 'undated') AS year, count(*) FROM statements"
        " GROUP BY year ORDER BY year = 'undated', year").fetchall()
    rows += [{"group": "per_year", "name": year, "value": n} for year, n in per_year]
    speakers = connection.execute(
        "SELECT p.name, count(*) AS n FROM quotes q JOIN people p ON p.id = q.person_id"
        " GROUP BY p.id ORDER BY n DESC, p.name LIMIT ?", (top,)).fetchall()
    rows += [{"group": "top_speakers", "name": name, "value": n} for name, n in speakers]
    return rows

"""Full-text search over statements (title, summary, body) and quotes, best matches first."""

from __future__ import annotations

import sqlite3

from iwfdb.errors import IwfdbError
from iwfdb.query.connection import fts_phrases, rows_as_dicts

# bm25 weights of statements_fts(title, summary, body): a word in the title says most about a statement.
STATEMENT_WEIGHTS = "bm25(10.0, 4.0, 1.0)"
SNIPPET_WORDS = 16
DEFAULT_MARKS = ("[", "]")


def search(
    connection: sqlite3.Connection,
    words: str,
    *,
    raw: bool = False,
    limit: int = 20,
    marks: tuple[str, str] = DEFAULT_MARKS,
) -> list[dict]:
    """Statements and quotes matching `words`, best first (bm25), each with a snippet around the matches.

    The words are searched for as written (see fts_phrases) unless `raw`, which passes FTS5 query syntax
    through. Both tables are ranked inside FTS5 (`ORDER BY rank LIMIT n`), so that snippets are made only
    for the rows returned; the two lists are then merged by score.
    """
    query = words if raw else fts_phrases(words)
    params = {"query": query, "limit": limit, "start": marks[0], "end": marks[1], "words": SNIPPET_WORDS}
    try:
        statements = rows_as_dicts(connection.execute(_STATEMENT_HITS.format(weights=STATEMENT_WEIGHTS), params))
        quotes = rows_as_dicts(connection.execute(_QUOTE_HITS, params))
    except sqlite3.OperationalError as error:
        if raw:  # the SQL is ours and fixed: with --raw, an error can only come from the user's query
            raise IwfdbError(f"not a valid FTS5 query: {words!r} ({error}); "
                             "leave out --raw to search for the words as written") from None
        raise
    hits = sorted(statements + quotes, key=lambda hit: hit["score"])[:limit]
    for hit in hits:
        hit["score"] = round(hit["score"], 4)
    return hits


_STATEMENT_HITS = """
    SELECT 'statement' AS match, s.id AS statement_id, s.slug, s.published, s.title, NULL AS speaker,
           h.snippet, h.rank AS score
    FROM (SELECT rowid, rank, snippet(statements_fts, -1, :start, :end, '…', :words) AS snippet
          FROM statements_fts WHERE statements_fts MATCH :query AND rank MATCH '{weights}'
          ORDER BY rank LIMIT :limit) h
    JOIN statements s ON s.id = h.rowid
    ORDER BY h.rank"""

_QUOTE_HITS = """
    SELECT 'quote' AS match, s.id AS statement_id, s.slug, s.published, s.title,
           coalesce(p.name, q.speaker) AS speaker, h.snippet, h.rank AS score
    FROM (SELECT rowid, rank, snippet(quotes_fts, 0, :start, :end, '…', :words) AS snippet
          FROM quotes_fts WHERE quotes_fts MATCH :query ORDER BY rank LIMIT :limit) h
    JOIN quotes q ON q.id = h.rowid JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id
    ORDER BY h.rank"""

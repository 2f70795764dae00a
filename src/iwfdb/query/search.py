"""Full-text search over statements (title, summary, body) and quotes, best matches first.

The engine's own full-text search does the work (FTS5 with bm25 on SQLite, a tsvector with ts_rank_cd on
PostgreSQL); its SQL is the engine's side of the seam (iwfdb.db). Scores are "lower is better" on both.
"""

from __future__ import annotations

import re

from iwfdb.db import Archive
from iwfdb.errors import IwfdbError, UsageError
from iwfdb.query.clauses import Page, paged
from iwfdb.records import SearchHit

SNIPPET_WORDS = 16
DEFAULT_MARKS = ("[", "]")
_WORD_CHARACTER = re.compile(r"\w")


def search_terms(archive: Archive, words: str, raw: bool = False) -> str:
    """The user's words as the engine's query: searched for as written, or with `raw`, in the engine's syntax.

    A NUL separates words: FTS5 reads its query only up to one (a quoted word cut there is a syntax error), and
    PostgreSQL takes no text that holds one; no archive text holds one either (a web page's search may send it)."""
    words = words.replace("\x00", " ")
    if not raw and not _WORD_CHARACTER.search(words):
        raise UsageError(f"nothing to search for in {words!r}: give at least one word")
    return archive.side.search_terms(words, raw)


def index_is_built(archive: Archive) -> bool:
    """False while the full-text index waits for a rebuild (a first load running, or stopped before its end)."""
    return not archive.side.full_text_pending(archive.connection)


def search(
    archive: Archive,
    words: str,
    *,
    raw: bool = False,
    limit: int = 20,
    offset: int = 0,
    marks: tuple[str, str] = DEFAULT_MARKS,
) -> Page[SearchHit]:
    """Statements and quotes matching `words`, best first, each with a snippet around the matches.

    Both tables are ranked by the engine (`ORDER BY score LIMIT n`), so that snippets are made only for the
    rows returned; the two lists are then merged by score.
    """
    terms = search_terms(archive, words, raw)
    params = {"query": terms, "limit": limit + offset, "start": marks[0], "end": marks[1], "words": SNIPPET_WORDS}
    side = archive.side
    with side.searching(archive.connection):
        try:
            statements = archive.execute(_STATEMENT_HITS.format(hits=side.statement_hits()), params).fetchall()
            quotes = archive.execute(_QUOTE_HITS.format(hits=side.quote_hits()), params).fetchall()
        except side.Error as error:
            if raw and side.is_search_syntax_error(error):  # the SQL is ours and fixed: the user's query is at fault
                archive.rollback()
                raise IwfdbError(
                    f"not a valid {side.SEARCH_SYNTAX} query: {words!r} ({error}); "
                    "leave out --raw to search for the words as written"
                ) from None
            raise
        hits = sorted(map(_hit, statements + quotes), key=lambda hit: hit.score)
        return paged(
            archive,
            hits[offset : offset + limit],
            limit,
            offset,
            _COUNT.format(statements=side.matching_ids("statements"), quotes=side.matching_ids("quotes")),
            (terms, terms),
        )


def _hit(row) -> SearchHit:
    """A row as a hit: its snippet on one line (the engine keeps the text's paragraph breaks), and a score that
    is never -0.0 (adding 0.0 makes a negative zero positive)."""
    match, statement_id, slug, published, title, speaker, snippet, score = row
    return SearchHit(
        match,
        statement_id,
        slug,
        published,
        title,
        speaker,
        " ".join(snippet.split()) if snippet else snippet,
        round(score, 4) + 0.0,
    )


_COUNT = "SELECT (SELECT count(*) FROM ({statements}) s) + (SELECT count(*) FROM ({quotes}) q)"


_STATEMENT_HITS = """
    SELECT 'statement', s.id, s.slug, s.published, s.title, NULL, h.snippet, h.score
    FROM ({hits}) h JOIN statements s ON s.id = h.id
    ORDER BY h.score"""

_QUOTE_HITS = """
    SELECT 'quote', s.id, s.slug, s.published, s.title, coalesce(p.name, q.speaker), h.snippet, h.score
    FROM ({hits}) h JOIN quotes q ON q.id = h.id JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id
    ORDER BY h.score"""

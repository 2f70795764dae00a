"""The read API: what the read commands ask of the archive, answered as plain dicts of plain values.

Nothing here returns an ORM object or a cursor, so nothing lazy leaks upward, and every value a user
gives becomes a bound parameter. The read path uses the stdlib `sqlite3` module directly, not
SQLAlchemy, so that a read command starts as fast as `sqlite-utils query` (see query.connection).
"""

from iwfdb.query.connection import open_archive
from iwfdb.query.people import QuoteFilter, find_people, list_contacts, list_people, list_quotes
from iwfdb.query.search import search
from iwfdb.query.sql import DEFAULT_TIMEOUT, run_sql
from iwfdb.query.statements import StatementFilter, get_statement, list_statements
from iwfdb.query.stats import get_stats

__all__ = [
    "DEFAULT_TIMEOUT",
    "QuoteFilter",
    "StatementFilter",
    "find_people",
    "get_statement",
    "get_stats",
    "list_contacts",
    "list_people",
    "list_quotes",
    "list_statements",
    "open_archive",
    "run_sql",
    "search",
]

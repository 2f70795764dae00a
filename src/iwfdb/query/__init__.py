"""The read API: what the read commands ask of the archive, answered as typed records (iwfdb.records).

Nothing here returns a cursor or a row of the driver, and every value a user gives becomes a bound
parameter. The SQL is portable; what only one engine speaks (full-text search, pages) comes from the
archive's side of the seam (iwfdb.db). Open the archive with `iwfdb.db.open_archive`.
"""

from iwfdb.query.clauses import Page
from iwfdb.query.export import export_statements
from iwfdb.query.people import QuoteFilter, find_people, list_contacts, list_people, list_quotes
from iwfdb.query.revisions import list_versions, recent_changes, statement_diff
from iwfdb.query.search import index_is_built, search
from iwfdb.query.sources import SourceFilter, list_sources
from iwfdb.query.sql import DEFAULT_TIMEOUT, run_sql
from iwfdb.query.statements import StatementFilter, StatementMatch, find_statement, list_statements
from iwfdb.query.stats import get_stats

__all__ = [
    "DEFAULT_TIMEOUT",
    "Page",
    "QuoteFilter",
    "SourceFilter",
    "StatementFilter",
    "StatementMatch",
    "export_statements",
    "find_people",
    "find_statement",
    "index_is_built",
    "get_stats",
    "list_contacts",
    "list_people",
    "list_quotes",
    "list_sources",
    "list_statements",
    "list_versions",
    "recent_changes",
    "run_sql",
    "search",
    "statement_diff",
]

"""`iwfdb sql`: the user's own statement, which may only read and may not run past its time limit.

How each engine keeps to that is its side's business (iwfdb.db.sqlite and iwfdb.db.postgres,
`run_untrusted`); here the rows stream as dicts keyed by unique column names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from iwfdb.config import DEFAULT_SQL_TIMEOUT
from iwfdb.db import Archive
from iwfdb.errors import IwfdbError, UsageError

DEFAULT_TIMEOUT = DEFAULT_SQL_TIMEOUT
# What a statement says outside its literals and comments: a `?` parameter, or a `:name` one (not a `::` cast).
_PARTS = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|(?P<comment>--[^\n]*|/\*.*?(?:\*/|$))"""
    r"|(?P<positional>\?\d*)|(?<!:):(?P<name>[A-Za-z_]\w*)",
    re.DOTALL,
)
NAMED_ONLY = "iwfdb sql takes named parameters only: write :name in its place and give it with --param NAME VALUE"


def run_sql(
    archive: Archive, sql: str, params: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], Iterator[dict]]:
    """The column names and a stream of rows (dicts keyed by column) of one read-only SQL statement.

    An error in the statement is raised here, before any row; one met while reading (the time limit)
    is raised by the stream. Read the stream to its end or close() it.
    """
    if timeout <= 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
    params = params or {}
    positional = _check_parameters(sql, params)
    try:
        columns, rows = archive.side.run_untrusted(archive.location, sql, params, timeout)
    except IwfdbError as error:
        if not positional:
            raise
        if archive.location.is_sqlite:  # where `?` can only be a parameter
            raise UsageError(f"the statement has a parameter `{positional}`; {NAMED_ONLY}") from None
        # PostgreSQL reads `?` as an operator (jsonb's, among others): the error may be about something else.
        raise type(error)(f"{error}; if its `{positional}` is meant as a parameter: {NAMED_ONLY}") from None
    columns = _unique(columns)
    return columns, _as_dicts(columns, rows)


def _check_parameters(sql: str, params: dict[str, str]) -> str:
    """Refuse an empty statement, or a `:name` without its --param; returns the first `?` parameter, if any."""
    positional = ""
    for part in _PARTS.finditer(sql):
        if part["name"] and part["name"] not in params:
            raise UsageError(
                f"the statement names :{part['name']}, which has no value; give it with --param {part['name']} VALUE"
            )
        positional = positional or (part["positional"] or "")
    if not _PARTS.sub(lambda part: " " if part["comment"] else part.group(), sql).strip(" \t\r\n;"):
        raise UsageError(
            'iwfdb sql needs a statement, and was given none; e.g. iwfdb sql "SELECT count(*) FROM statements"'
        )
    return positional


def _as_dicts(columns: list[str], rows) -> Iterator[dict]:
    try:
        for row in rows:
            yield dict(zip(columns, row, strict=False))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _unique(columns: list[str]) -> list[str]:
    """Column names as keys: a repeated name gets `_2`, `_3`... so that no value is lost in a dict."""
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique

"""What a parsing process runs: a chunk of files in, their statements (or refusals) out.

A module of its own, outside the store package, so that a fresh worker process imports the parser and
nothing else (importing `iwfdb.store` would bring in SQLAlchemy for nothing).
"""

from __future__ import annotations

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes
from iwfdb.records import ParsedFile

Outcome = ParsedFile | ParseError


def parse_chunk(chunk: list[tuple[bytes, str, dict | None]]) -> list[tuple]:
    """Each file parsed; a refusal travels back as its parts (an exception with arguments pickles poorly)."""
    results: list[tuple] = []
    for data, source, hints in chunk:
        try:
            results.append(("parsed", parse_bytes(data, source, **(hints or {}))))
        except ParseError as error:
            results.append(("error", error.message, error.source, error.line, error.column))
    return results


def outcome(result: tuple) -> Outcome:
    """A result of `parse_chunk` as what the parser gave: a ParsedFile, or the ParseError it raised."""
    if result[0] == "error":
        return ParseError(*result[1:])
    return result[1]

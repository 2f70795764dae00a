"""What a file read again does to the archive: the decisions of a load, as pure functions of what is known.

- A file whose bytes are archived already (same SHA-256, read by this parser) goes no further; nor does one
  that failed before with the same bytes and parser (it is counted, not parsed or reported again).
- A file whose bytes an older parser read is read again (`reread`): what it gives is stored like a changed
  file's, and its earlier version is kept as a revision if the reading differs.
- A statement not yet known is added; one known only from a related card is completed in place (same id, so
  every link to it stays valid); one archived in full with the very same text gets nothing but its warnings;
  one archived in full with other text is replaced in place, its previous version kept as a revision.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, TypeGuard

from iwfdb.parse.refusal import NOT_A_STATEMENT_PAGE
from iwfdb.store.known import StatementState

ARCHIVED = ("loaded", "updated")


class SourceState(NamedTuple):
    """What `sources` holds of a file from an earlier load (a tuple: a re-load makes one per file)."""

    id: int
    sha256: str | None
    outcome: str
    error: str | None
    parser_version: int | None


class Action(Enum):
    ADD = "add"
    COMPLETE = "complete"
    SAME_TEXT = "same text"
    REPLACE = "replace"


def is_unchanged(previous: SourceState | None, sha256: str, parser_version: int) -> bool:
    """The file's bytes are archived already, read by this parser: nothing to read again."""
    return is_same_bytes(previous, sha256) and previous.parser_version == parser_version


def is_same_bytes(previous: SourceState | None, sha256: str) -> TypeGuard[SourceState]:
    """The file's bytes are archived already (perhaps read by an older parser)."""
    return previous is not None and previous.sha256 == sha256 and previous.outcome != "failed"


def failed_before(previous: SourceState | None, sha256: str, parser_version: int) -> bool:
    """The file failed with these very bytes, under this parser, last time: it would fail the same way."""
    return (
        previous is not None
        and previous.outcome == "failed"
        and previous.sha256 == sha256
        and previous.parser_version == parser_version
    )


def is_not_a_statement(previous: SourceState | None) -> bool:
    """The file was found to be no statement page (an about page, a listing): counted apart, not as a failure.
    Its `sources` row says so as a failed one does (`path:line:col: not a statement page: ...`)."""
    return (
        previous is not None and previous.outcome == "failed" and f": {NOT_A_STATEMENT_PAGE}:" in (previous.error or "")
    )


def is_same_failure(previous: SourceState | None, sha256: str | None, message: str) -> bool:
    """The file failed the same way last time: its `sources` row says so already."""
    return previous is not None and (previous.outcome, previous.error, previous.sha256) == ("failed", message, sha256)


def statement_action(state: StatementState | None, sha256: str) -> Action:
    """What a parsed file does to the statement its natural key names (`state`, or None when there is none)."""
    if state is None:
        return Action.ADD
    if state.card_only:
        return Action.COMPLETE
    if state.sha256 == sha256:
        return Action.SAME_TEXT
    return Action.REPLACE

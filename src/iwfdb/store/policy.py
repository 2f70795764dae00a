"""What a file read again does to the archive: the decisions of a load, as pure functions of what is known.

- A file whose bytes are archived already (same SHA-256, read by this parser) goes no further.
- A statement not yet known is added; one known only from a related card is completed in place (same id, so
  every link to it stays valid); one archived in full with the very same text gets nothing but its warnings;
  one archived in full with other text is replaced in place, its previous version kept as a revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iwfdb.store.known import StatementState

ARCHIVED = ("loaded", "updated")


@dataclass(frozen=True, slots=True)
class SourceState:
    """What `sources` holds of a file from an earlier load."""

    id: int
    sha256: str | None
    outcome: str
    error: str | None


class Action(Enum):
    ADD = "add"
    COMPLETE = "complete"
    SAME_TEXT = "same text"
    REPLACE = "replace"


def is_unchanged(previous: SourceState | None, sha256: str) -> bool:
    """The file's bytes are archived already, as they are: nothing to read again."""
    return previous is not None and previous.sha256 == sha256 and previous.outcome != "failed"


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

"""Which statement a file is: the archived statement a new reading names (by its title and date, its address
or its opening paragraphs), when two readings are kept apart, and when a file is only a copy of another's.

Decided from what the writer knows (known.py); what is then done to that statement is policy.py's decision.
A file with the very bytes of another (a twin) goes no further than its `sources` row (Known.twin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from iwfdb.keys import UNTITLED, apart_key, is_other_address
from iwfdb.records import ParsedFile, Statement
from iwfdb.store.known import Known, StatementState
from iwfdb.store.policy import SourceState
from iwfdb.store.stored import same_words

MERGED_BY_ADDRESS, MERGED_BY_OPENING = "the same address", "the same opening paragraphs"


class Identity(NamedTuple):
    """The statement a reading is (`key`), the match key it is filed under, and how it was found."""

    key: str
    match_key: str
    merged_by: str | None
    declined: str | None


def _declined(same: str, archived: str) -> str:
    return f"the same {same} as the page at {archived}, but another address: kept apart"


def identify(known: Known, statement: Statement, key: str, body: str | None) -> Identity:
    """The statement this reading is: by its own key, else by its address or opening paragraphs.

    The same address is the same page; the same opening paragraphs are the same article when one of the
    two renderings has no title (a body-only text of a titled page, or the reverse). Two pages with other
    addresses are never one statement, whatever their titles: the second is keyed apart (`declined`).
    """
    found, declined = known.statement(key), None
    if found is not None and is_other_address(found.url, statement.url):
        declined = _declined("title and date", found.url or "")  # both addresses known: they differ
        key = apart_key(key, statement.url or "")
        found = known.statement(key)
    if found is not None:
        return Identity(key, key, None, declined)
    match, merged_by = None, None
    if statement.url:
        match, merged_by = known.by_address(statement.url), MERGED_BY_ADDRESS
    if match is None and body:
        match, merged_by = known.by_opening(body, not key.startswith(UNTITLED)), MERGED_BY_OPENING
        other = match and known.statement(match)
        if other and is_other_address(other.url, statement.url):
            match, declined = None, _declined("opening paragraphs", other.url or "")
    if match is None:
        return Identity(key, key, None, declined)
    # A title and date, once known, stay the statement's key.
    return Identity(match, match if key.startswith(UNTITLED) else key, merged_by, declined)


def is_copy(
    state: StatementState | None, parsed: ParsedFile, previous: SourceState | None, archived: Callable[[int], Statement]
) -> bool:
    """Whether this file says the archived statement (`state`) word for word, in other bytes, and is another file
    than the statement's own (the same page fetched, and read again from a web archive or saved twice: only its
    lines moved). `archived(id)` reads the statement as the archive holds it."""
    if state is None or state.card_only or state.sha256 == parsed.sha256 or state.source_id is None:
        return False
    if previous is not None and previous.id == state.source_id:  # the file itself, changed
        return False
    return same_words(archived(state.id), parsed.statement)

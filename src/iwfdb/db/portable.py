"""Helpers for iwfdb's portable SQL (`?` and `:name` parameters), which every engine's side translates.

Below the door and both engines: `iwfdb.db.sqlite` writes its IN lists with them as the store does.
"""

from __future__ import annotations

from collections.abc import Sequence

IDS_PER_QUERY = 500  # bound parameters in one IN list: well under every engine's limit


def placeholders(values: Sequence) -> str:
    """`?, ?, ?` for an IN list of bound parameters, in the portable SQL that each side translates."""
    return ", ".join("?" * len(values))


def in_chunks(values: Sequence) -> list[Sequence]:
    """`values` in pieces of at most IDS_PER_QUERY, one IN list each."""
    return [values[start : start + IDS_PER_QUERY] for start in range(0, len(values), IDS_PER_QUERY)]

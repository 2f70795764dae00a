"""Keeping a statement's previous version before a load replaces it: nothing once archived is lost.

The version is read back from the rows the archive holds (iwfdb.store.stored) and kept as JSON in the shape
of `iwfdb parse --format json`, so that a revision reads like any parsed statement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import cast

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.store.stored import as_parsed, read_statements


def save_revisions(archive: Archive, statement_ids: Sequence[int], now: str) -> None:
    """Copy each statement as it stands into `revisions`, before it is replaced. Read all together, one query a
    table (one statement at a time, a 1% changed re-load of 10,000 files spent 19 ms in 620 queries here)."""
    rows = []
    for stored in read_statements(archive, statement_ids, surroundings=False):
        path = stored.source.path if stored.source and not stored.card_only else None
        # A card's statement was read from no file: its version's source and sha256 are null, as its columns are
        # (ParsedFile types them for the files a load reads).
        parsed = records.ParsedFile(
            source=cast(str, path), sha256=cast(str, stored.sha256), size=0, statement=as_parsed(stored)
        )
        rows.append(
            (
                stored.id,
                stored.sha256,
                path,
                stored.last_loaded_at,
                now,
                json.dumps(records.parsed_file_to_dict(parsed), ensure_ascii=False),
            )
        )
    archive.cursor().executemany(
        archive.side.sql(
            "INSERT INTO revisions (statement_id, sha256, source_path, loaded_at, replaced_at, record) "
            "VALUES (?, ?, ?, ?, ?, ?)"
        ),
        rows,
    )

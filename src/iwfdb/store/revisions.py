"""Keeping a statement's previous version before a load replaces it: nothing once archived is lost.

The version is read back from the rows the archive holds (iwfdb.store.stored) and kept as JSON in the shape
of `iwfdb parse --format json`, so that a revision reads like any parsed statement.
"""

from __future__ import annotations

import json

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.store.stored import as_parsed, read_statement


def save_revision(archive: Archive, statement_id: int, now: str) -> None:
    """Copy the statement as it stands into `revisions`, before it is replaced."""
    stored = read_statement(archive, statement_id)
    path = stored.source.path if stored.source and not stored.card_only else None
    parsed = records.ParsedFile(source=path, sha256=stored.sha256, size=0, statement=as_parsed(stored))
    archive.execute(
        "INSERT INTO revisions (statement_id, sha256, source_path, loaded_at, replaced_at, record) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (statement_id, stored.sha256, path, stored.last_loaded_at, now,
         json.dumps(records.parsed_file_to_dict(parsed), ensure_ascii=False)),
    )  # fmt: skip

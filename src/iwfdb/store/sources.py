"""A load's bookkeeping of files, the `sources` table: what an earlier load recorded of each file, and this
load's row for it (archived, updated, failed, a duplicate, a web archive read whole), pending with its batch.

A file's row is written with the rest of its batch, as its statement's are; its id is handed out at once
(known.Ids), so that the statement can name it before either is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iwfdb.db import Archive, placeholders
from iwfdb.files import is_web_archive
from iwfdb.store import rows
from iwfdb.store.batch import PendingRows
from iwfdb.store.known import Ids, Known
from iwfdb.store.policy import ARCHIVED, SourceState, is_same_failure


@dataclass(frozen=True, slots=True)
class FileToSave:
    """A file as `sources` records it: its archive key (absolute path), its name, and what was read of it."""

    key: str
    name: str
    previous: SourceState | None
    values: dict  # of rows.FILE_COLUMNS


class SourceRows:
    """Reads and writes `sources` rows for a write session (the batch's ids and pending rows are the session's)."""

    def __init__(self, archive: Archive, now: str, known: Known, ids: Ids, pending: PendingRows):
        self.archive = archive
        self.now = now
        self.known = known
        self.ids = ids
        self.pending = pending

    def states(self, keys: list[str]) -> dict[str, SourceState]:
        """What `sources` holds for these paths, in one query (nothing to ask when the archive was empty)."""
        if self.known.complete or not keys:
            return {}
        query = (
            f"SELECT path, id, sha256, outcome, error, parser_version FROM sources WHERE path IN ({placeholders(keys)})"
        )
        return {row[0]: SourceState._make(row[1:]) for row in self.archive.execute(query, keys)}

    def path(self, source_id: int) -> str | None:
        row = self.archive.execute("SELECT path FROM sources WHERE id = ?", (source_id,)).fetchone()
        return row[0] if row else None

    def has_statement(self, source_id: int) -> bool:
        """Whether a full statement was archived from this source (by an earlier version of the file)."""
        query = "SELECT 1 FROM statements WHERE source_id = ? AND NOT card_only LIMIT 1"
        return self.archive.execute(query, (source_id,)).fetchone() is not None

    def save(self, file: FileToSave, outcome: str, error: str | None = None) -> int:
        """The file's row, pending with the batch (updated in place when an earlier load recorded it); its id."""
        # Every row of a batch has the same columns (one executemany): what the file did not say is NULL.
        values: dict[str, Any] = {column: file.values.get(column) for column in rows.FILE_COLUMNS}
        values.update(outcome=outcome, error=error, last_loaded_at=self.now)
        if file.previous is None:
            identifier = self.ids.new("sources")
            self.pending.add("sources", [{**values, "id": identifier, "path": file.key, "first_loaded_at": self.now}])
        else:
            identifier = file.previous.id
            self.pending.update_source(identifier, values)
        if outcome in ARCHIVED:
            self.known.twins[values["sha256"]] = file.key
        return identifier

    def save_failure(self, file: FileToSave, message: str) -> None:
        """Record a failed file (its row untouched if it failed the same way last time)."""
        if not is_same_failure(file.previous, file.values.get("sha256"), message):
            self.save(file, "failed", message)

    def set_publisher(self, key: str, publisher: str) -> int:
        """The statements read from this file (a web archive: from its pages) that state no publisher take this
        one; how many did."""
        values: tuple[int | str, ...]
        if is_web_archive(key):  # its pages, `crawl.warc.gz#1234`: a prefix, not a range (collations differ)
            sources, values = "SELECT id FROM sources WHERE substr(path, 1, ?) = ?", (len(key) + 1, key + "#")
        else:
            sources, values = "SELECT id FROM sources WHERE path = ?", (key,)
        cursor = self.archive.execute(
            f"UPDATE statements SET publisher = ? WHERE publisher IS NULL AND NOT card_only "
            f"AND source_id IN ({sources})",
            (publisher, *values),
        )
        return max(cursor.rowcount, 0)

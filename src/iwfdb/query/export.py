"""The whole archive as JSON-ready records, a chunk of statements at a time: `iwfdb export`, for other tools."""

from __future__ import annotations

from collections.abc import Iterator

from iwfdb import records
from iwfdb.db import Archive, in_chunks
from iwfdb.store.stored import as_parsed, read_statements


def export_statements(archive: Archive) -> Iterator[dict]:
    """Each statement, oldest id first, in the shape of `iwfdb parse --format json` with the archive's own
    keys first: `id`, `slug`, `card_only`, `source` (the file it was read from; for a card-only statement,
    None), `sha256`. Read a chunk of statements at a time (one query a table for each, not one a statement:
    on PostgreSQL each query is a round trip): memory stays flat whatever the archive's size."""
    ids = [statement_id for (statement_id,) in archive.execute("SELECT id FROM statements ORDER BY id").fetchall()]
    for chunk in in_chunks(ids):
        for stored in read_statements(archive, chunk, surroundings=False):
            source = stored.source.path if stored.source and not stored.card_only else None
            yield {
                "id": stored.id,
                "slug": stored.slug,
                "card_only": stored.card_only,
                "source": source,
                "sha256": stored.sha256,
                **records.to_jsonable(as_parsed(stored)),
            }

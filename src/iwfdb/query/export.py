"""The whole archive as JSON-ready records, one statement at a time: `iwfdb export`, for other tools."""

from __future__ import annotations

from collections.abc import Iterator

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.store.stored import as_parsed, read_statement


def export_statements(archive: Archive) -> Iterator[dict]:
    """Each statement, oldest id first, in the shape of `iwfdb parse --format json` with the archive's own
    keys first: `id`, `slug`, `card_only`, `source` (the file it was read from; for a card-only statement,
    None), `sha256`. Read one by one: memory stays flat whatever the archive's size."""
    ids = archive.execute("SELECT id FROM statements ORDER BY id").fetchall()
    for (statement_id,) in ids:
        stored = read_statement(archive, statement_id)
        source = stored.source.path if stored.source and not stored.card_only else None
        yield {"id": stored.id, "slug": stored.slug, "card_only": stored.card_only, "source": source,
               "sha256": stored.sha256, **records.to_jsonable(as_parsed(stored))}  # fmt: skip

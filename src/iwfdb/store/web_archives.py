"""A web archive in a load: each HTML page of a WARC file is a source of its own, `crawl.warc.gz#1234`.

The WARC file itself gets a `sources` row too, written with its last page: a file whose bytes are archived
already is not read again (a crawl is large), nor one that failed with the same bytes (it is counted as failed
before, quietly, as any other file); one cut short by a killed load is read again whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from iwfdb.files import FileContent, FoundFile
from iwfdb.parse import PARSER_VERSION
from iwfdb.store.policy import SourceState, failed_before, is_unchanged


@dataclass(slots=True)
class WebArchive:
    """A WARC file being loaded: what `sources` knew of it, its bytes' hash, and the pages still to be saved."""

    content: FileContent
    previous: SourceState | None
    pages_left: int = 0
    read_through: bool = False
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.read_through and self.pages_left == 0


@dataclass(frozen=True, slots=True)
class Page:
    found: FoundFile  # `crawl.warc.gz#1234`, absolute in its key
    payload: bytes
    hints: dict  # what the record says of the page: its address and the charset of its HTTP header
    fetched_at: str | None


def pages(found: FoundFile, max_size: int, skipped: Counter, notes: list[str]) -> Iterator[Page]:
    """The HTML pages of a web archive, each at most `max_size` bytes; what else it holds is counted in `skipped`,
    by reason, and what a person should know of it (records too large, warcio's warnings) added to `notes`.

    WarcError (raised after the pages before the fault) when the file cannot be read to its end.
    """
    from iwfdb.warc import read_warc

    reading = read_warc(found.path, max_size)
    try:
        for page in reading:
            where = f"#{page.offset}"
            yield Page(
                FoundFile(found.path + where, found.key + where),
                page.payload,
                {"url": page.uri or None, "charset": page.charset},
                page.date,
            )
    finally:
        skipped.update(reading.skipped)
        notes.extend(f"{found.path}: {note}" for note in reading.notes())


def is_settled(previous: SourceState | None, sha256: str, retrying_failures: bool) -> bool:
    """Whether a web archive needs no reading: its bytes are archived, read by this parser, or they failed the
    same way last time (a crawl is large: it is read again only when failures are retried, by --publisher)."""
    return is_unchanged(previous, sha256, PARSER_VERSION) or (
        failed_before(previous, sha256, PARSER_VERSION) and not retrying_failures
    )

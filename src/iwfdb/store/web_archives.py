"""A web archive in a load: each HTML page of a WARC file is a source of its own, `crawl.warc.gz#1234`.

The WARC file itself gets a `sources` row too, written with its last page: a file whose bytes are archived
already is not read again (a crawl is large), and one cut short by a killed load is read again whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from iwfdb.files import FileContent, FoundFile
from iwfdb.store.policy import SourceState


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


def pages(found: FoundFile, skipped: Counter) -> Iterator[Page]:
    """The HTML pages of a web archive; what else it holds is counted in `skipped`, by reason.

    WarcError (raised after the pages before the fault) when the file cannot be read to its end.
    """
    from iwfdb.warc import read_warc

    reading = read_warc(found.path)
    try:
        for page in reading:
            where = f"#{page.offset}"
            yield Page(FoundFile(found.path + where, found.key + where), page.payload,
                       {"url": page.uri or None, "charset": page.charset}, page.date)  # fmt: skip
    finally:
        skipped.update(reading.skipped)

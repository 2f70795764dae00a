"""Web archives (`.warc`, `.warc.gz`): the HTML pages a crawl stored, each with where and when it was fetched.

A WARC file (from wget, a crawler, the Internet Archive or Common Crawl) is a sequence of records; each
HTTP `response` record whose payload is an HTML page with status 200 is a page. Everything else (requests,
metadata, `revisit` records that carry no payload, images, redirects and errors) is skipped and counted
by reason, so that a user can see what a crawl held. Each page keeps the byte offset of its record, so a
row archived from it leads back to its bytes (`crawl.warc.gz#1234`).

warcio is imported when a WARC file is read.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from iwfdb.errors import IwfdbError
from iwfdb.parse.html import looks_like_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
NOT_A_RESPONSE = "not a response record"
REVISIT = "revisit record (no payload)"
NOT_HTTP = "not an HTTP response"
NOT_HTML = "not HTML"
NOT_200 = "HTTP status other than 200"


class WarcError(IwfdbError):
    """A web archive that cannot be read (on from some record): its path, the offset, and why."""


@dataclass(frozen=True, slots=True)
class WarcPage:
    """An HTML page stored in a web archive: its address, fetch date (WARC-Date, ISO 8601), record offset,
    HTTP status, content type and charset (from the HTTP header), and its body (transfer and content
    encodings removed). `source` names the file and the record: `crawl.warc.gz#1234`."""

    uri: str
    date: str | None
    offset: int
    status: int
    content_type: str | None
    charset: str | None
    payload: bytes
    source: str


class WarcReading:
    """The pages of one web archive, read as they are iterated; `skipped` counts the other records by reason."""

    def __init__(self, path: str):
        self.path = str(path)
        self.skipped: Counter[str] = Counter()

    def __iter__(self) -> Iterator[WarcPage]:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        end = 0  # where the last whole record ends: where reading resumes, and where a fault is told to be
        try:
            with open(self.path, "rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    page = self._page(record, records)
                    # Offsets only after the record is read: asking earlier reads it to its end, payload lost.
                    end = records.get_record_offset() + records.get_record_length()
                    _refuse_if_cut(record)
                    if page is not None:
                        yield page
                _refuse_if_cut_after(stream, end)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            raise WarcError(f"{self.path}: the web archive cannot be read from byte {end} on ({error}); "
                            "the pages before it were read") from None  # fmt: skip
        except OSError as error:
            raise WarcError(f"{self.path}: cannot read: {error.strerror or error}") from None

    def _page(self, record, records) -> WarcPage | None:
        """The record as a page, or None (counted in `skipped`) when it is not an HTML page fetched whole."""
        if record.rec_type != "response":
            self.skipped[REVISIT if record.rec_type == "revisit" else NOT_A_RESPONSE] += 1
            return None
        if record.http_headers is None:
            self.skipped[NOT_HTTP] += 1
            return None
        status = _status(record.http_headers.get_statuscode())
        if status != 200:
            self.skipped[NOT_200] += 1
            return None
        content_type, charset = _content_type(record.http_headers.get_header("Content-Type"))
        payload = record.content_stream().read()
        if content_type not in HTML_TYPES and not (content_type is None and looks_like_html(payload)):
            self.skipped[NOT_HTML] += 1
            return None
        offset = records.get_record_offset()
        return WarcPage(
            uri=record.rec_headers.get_header("WARC-Target-URI") or "", date=record.rec_headers.get_header("WARC-Date"),
            offset=offset, status=status, content_type=content_type, charset=charset, payload=payload,
            source=f"{self.path}#{offset}",
        )  # fmt: skip


def read_warc(path: str) -> WarcReading:
    """The HTML pages of the web archive at `path` (iterate it once); its `skipped` counts the rest by reason.

    A file that stops being readable part-way raises WarcError once the pages before the fault are read.
    """
    return WarcReading(path)


def _refuse_if_cut(record) -> None:
    """ValueError when the file ended inside this record (an uncompressed WARC cut off)."""
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise ValueError(f"the file ends {record.raw_stream.limit} bytes before the record's end: cut off?")


def _refuse_if_cut_after(stream, end: int) -> None:
    """ValueError when bytes that are not a whole record follow the last one (a gzipped WARC cut off)."""
    stream.seek(end)
    rest = stream.read(4096)
    if rest.strip():
        raise ValueError(f"{len(rest)}{'+' if len(rest) == 4096 else ''} bytes that are not a whole record: cut off?")


def _status(code: str | None) -> int:
    try:
        return int(code or 0)
    except ValueError:
        return 0


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset=UTF-8'; None for what the header does not say."""
    if not header:
        return None, None
    mime, *parameters = header.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            charset = value.strip(" \"'").lower()
    return mime.strip().lower() or None, charset

"""Web archives (`.warc`, `.warc.gz`): the HTML pages a crawl stored, each with where and when it was fetched.

A WARC file (from wget, a crawler, the Internet Archive or Common Crawl) is a sequence of records; each
HTTP `response` record whose payload is an HTML page with status 200 is a page. Everything else (requests,
metadata, `revisit` records that carry no payload, images, redirects and errors) is skipped and counted
by reason, so that a user can see what a crawl held. Each page keeps the byte offset of its record, so a
row archived from it leads back to its bytes (`crawl.warc.gz#1234`).

A crawl may be gigabytes, a record anything: records are streamed, and no record's body is held whole
unless it is an HTML page of at most `max_size` bytes once its transfer and content encodings are removed.
A body is inflated a piece at a time and given up as soon as it passes the limit (a gzip bomb stops
there), and a record whose Content-Type is not HTML is passed over unread. warcio writes its warnings
to stderr: they are counted here, by kind, and never shown as it writes them.

warcio is imported when a WARC file is read.
"""

from __future__ import annotations

import gzip
import itertools
import logging
import shlex
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from iwfdb.config import DEFAULT_MAX_SIZE
from iwfdb.errors import IwfdbError
from iwfdb.parse.html import SNIFF_BYTES, looks_like_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
NOT_A_RESPONSE = "not a response record"
REVISIT = "revisit record (no payload)"
NOT_HTTP = "not an HTTP response"
NOT_HTML = "not HTML"
NOT_200 = "HTTP status other than 200"
TOO_LARGE = "larger than --max-size"
UNDECODABLE = "body that cannot be decoded"
# Bytes read from a record's body, and inflated from them, at a time.
PIECE = 64 * 1024
# The compressed bytes warcio reads at a time from a gzipped WARC: its default, 16 kB, can inflate to 16 MB at
# once, 4 kB to 4 MB, at about the same speed (a 20 MB crawl of 6,000 pages, best of 4: 0.89 s, 0.94 s).
WARC_BLOCK = 4096
# The header lines of a record (WARC's and HTTP's) may take this many bytes: warcio would gather a line of any
# length (in time that grows with its square: minutes for 50 MB of a damaged file with no line feed), and keep
# any number of them.
HEADER_BUDGET = 256 * 1024
LONGEST_CHUNK_LINE = 1024  # `1a2b;name=value\r\n` before each piece of a chunked body
# zlib's window bits for each content encoding, in the order tried: deflate is a zlib stream, or raw from some.
INFLATE = {
    "gzip": (16 + zlib.MAX_WBITS,),
    "x-gzip": (16 + zlib.MAX_WBITS,),
    "deflate": (zlib.MAX_WBITS, -zlib.MAX_WBITS),
}
NOT_ENCODED = ("", "identity")
# warcio's warnings, by what they say: how the summary names them.
WARCIO_WARNINGS = (
    ("not followed by newline", "records not followed by a blank line (a wrong Content-Length?)"),
    ("Replacing spaces", "addresses with spaces"),
    ("while decompressing", "records whose compressed bytes are damaged part-way"),
)
OTHER_WARNING = "other warnings"


class WarcError(IwfdbError):
    """A web archive that cannot be read (on from some record): its path, the offset, and why."""


class _NotAPage(Exception):
    """A record that is no page, and why (one of the reasons above)."""


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
    """The pages of one web archive, read as they are iterated; `skipped` counts the other records by reason,
    `too_large` holds the offsets of the records larger than `max_size`, `warnings` counts warcio's by kind.

    A WARC gzipped as one whole file (not a gzip member per record, as the standard asks) is read all the
    same, through one stream: its offsets are then those of the uncompressed bytes.
    """

    def __init__(self, path: str, max_size: int = DEFAULT_MAX_SIZE):
        self.path = str(path)
        self.max_size = max_size
        self.skipped: Counter[str] = Counter()
        self.too_large: list[int] = []
        self.warnings: Counter[str] = Counter()
        self.whole_file_gzip = False

    def __iter__(self) -> Iterator[WarcPage]:
        try:
            with open(self.path, "rb") as stream:
                read = yield from self._pages(stream, 0)
            if read is not None:  # gzipped as one file: read again as one stream, after the records seen
                self.whole_file_gzip = True
                with gzip.open(self.path, "rb") as stream:
                    yield from self._pages(stream, read)
        except OSError as error:
            raise WarcError(f"{self.path}: cannot read: {error.strerror or error}") from None

    def notes(self) -> list[str]:
        """What a person should know of this archive beyond the counts of `skipped`, in one line each."""
        notes = []
        if self.too_large:
            shown = ", ".join(str(offset) for offset in self.too_large[:5]) + (", …" if len(self.too_large) > 5 else "")
            notes.append(
                f"{_plural(len(self.too_large), 'record')} larger than the limit of {self.max_size} bytes "
                f"(see --max-size) skipped, at byte {shown}"
            )
        if self.warnings:
            kinds = "; ".join(f"{kind}: {count}" for kind, count in sorted(self.warnings.items()))
            notes.append(f"warcio warned {_plural(sum(self.warnings.values()), 'time')}: {kinds}")
        if self.whole_file_gzip:
            notes.append(
                "gzipped as one whole file, read as one stream: its offsets are in the uncompressed bytes; "
                f"`{_recompress(self.path)}` gives one gzip member per record"
            )
        return notes

    def _pages(self, stream, already: int):
        """The pages of the records after the first `already`; returns the number of records read when the file
        turns out gzipped as one whole file (to be read again as one stream), else None."""
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        records = ArchiveIterator(stream, block_size=WARC_BLOCK)
        records.reader = _HeaderBudget(records.reader)
        seen, end = 0, 0  # end: where the last whole record ends, where a fault is told to be
        try:
            while True:
                with _warcio_heard(self._heard):
                    taken = self._next(records)
                if taken is None:
                    break
                seen, (page, reason, offset, end) = seen + 1, taken
                if seen <= already:  # told already, before the file turned out gzipped as one
                    continue
                if page is not None:
                    yield page
                elif reason is not None:  # a record that is no page always says why
                    self._skip(reason, offset)
            _refuse_if_cut_after(stream, end)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, gzip.BadGzipFile) as error:
            # Gzipped as one file, warcio reads the first record, then fails on the second (saying so, or not).
            if seen == 1 and not self.whole_file_gzip and _first_gzip_member_runs_past(self.path, end):
                return seen
            raise self._unreadable(end, error) from None
        return None

    def _next(self, records) -> tuple[WarcPage | None, str | None, int, int] | None:
        """The next record as a page, or else why it is none, with where it begins and ends; None at the end."""
        record = _next_record(records)
        if record is None:
            return None
        try:
            page, reason = self._page(record), None
        except _NotAPage as not_a_page:
            page, reason = None, str(not_a_page)
        # Offsets only after the body is read: asking earlier reads the record to its end, body lost.
        offset = records.get_record_offset()
        _refuse_if_cut(record)
        if page is not None:
            page = replace(page, offset=offset, source=f"{self.path}#{offset}")
        return page, reason, offset, offset + records.get_record_length()

    def _skip(self, reason: str, offset: int) -> None:
        self.skipped[reason] += 1
        if reason == TOO_LARGE:
            self.too_large.append(offset)

    def _page(self, record) -> WarcPage:
        """The record as a page, its offset yet unknown; _NotAPage when it is not an HTML page fetched whole."""
        if record.rec_type != "response":
            raise _NotAPage(REVISIT if record.rec_type == "revisit" else NOT_A_RESPONSE)
        if record.http_headers is None:
            raise _NotAPage(NOT_HTTP)
        status = _status(record.http_headers.get_statuscode())
        if status != 200:
            raise _NotAPage(NOT_200)
        content_type, charset = _content_type(record.http_headers.get_header("Content-Type"))
        if content_type is not None and content_type not in HTML_TYPES:
            raise _NotAPage(NOT_HTML)  # its body is left unread
        payload = _body(record, self.max_size, sniff=content_type is None)
        return WarcPage(
            uri=record.rec_headers.get_header("WARC-Target-URI") or "",
            date=record.rec_headers.get_header("WARC-Date"),
            offset=-1,
            status=status,
            content_type=content_type,
            charset=charset,
            payload=payload,
            source="",
        )

    def _heard(self, said: str) -> None:
        kind = next((kind for marker, kind in WARCIO_WARNINGS if marker in said), OTHER_WARNING)
        self.warnings[kind] += 1

    def _unreadable(self, end: int, error: BaseException) -> WarcError:
        why = " ".join(str(error).split()) or type(error).__name__  # warcio's messages span lines
        why = why if len(why) <= 200 else why[:200] + "…"  # and may quote a whole line of the file
        if not self.whole_file_gzip:
            return WarcError(
                f"{self.path}: the web archive cannot be read from byte {end} on ({why}); the pages before it were read"
            )
        return WarcError(
            f"{self.path}: the web archive is gzipped as one whole file, and cannot be read from byte "
            f"{end} of its uncompressed bytes on ({why}); the pages before it were read; a gzip member "
            f"per record may mend it: {_recompress(self.path)}"
        )


class _HeaderBudget:
    """warcio's reader of the file, but what it reads a line at a time (header lines, the blank lines between
    records) between two reads of bodies is held to HEADER_BUDGET bytes: past that, ValueError."""

    def __init__(self, reader):
        self.reader = reader
        self.spent = 0

    def read(self, length=None) -> bytes:
        self.spent = 0
        return self.reader.read(length)

    def readline(self, length: int | None = None) -> bytes:
        line = self.reader.readline(HEADER_BUDGET + 1 if length is None else min(length, HEADER_BUDGET + 1))
        self.spent += len(line)
        if self.spent > HEADER_BUDGET:
            raise ValueError(f"over {HEADER_BUDGET} bytes of header lines: not a web archive's record?")
        return line

    def __getattr__(self, name: str):
        return getattr(self.reader, name)


def _first_gzip_member_runs_past(path: str, end: int) -> bool:
    """Whether the file at `path` is gzipped, and its first gzip member does not end at `end`, where its first record
    ends: one member for the whole file (or for more than a record), where the standard asks one per record. The
    member is inflated to its end, a piece at a time, and nothing of it kept."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    read = 0
    with open(path, "rb") as stream:
        if stream.read(2) != b"\x1f\x8b":
            return False
        stream.seek(0)
        while not inflater.eof:
            data = stream.read(PIECE)
            if not data:
                return True  # the member runs to the end of the file, and past it: cut off
            read += len(data)
            try:
                while data and not inflater.eof:
                    inflater.decompress(data, PIECE)
                    data = inflater.unconsumed_tail
            except zlib.error:
                return True  # damaged past the first record
    return read - len(inflater.unused_data) != end


def _next_record(records):
    """warcio's next record (None at the end); its faults on damaged bytes (an AttributeError for a record that
    names no address...) as ValueError, like the damage it does report."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        return next(records, None)
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError):
        raise
    except Exception as error:  # whatever warcio raises of the bytes it reads, the record cannot be read
        raise ValueError(f"a damaged record ({type(error).__name__}: {error})") from None


def read_warc(path: str, max_size: int = DEFAULT_MAX_SIZE) -> WarcReading:
    """The HTML pages of the web archive at `path` (iterate it once), each body at most `max_size` bytes (0: no
    limit); its `skipped` counts the rest by reason.

    A file that stops being readable part-way raises WarcError once the pages before the fault are read.
    """
    return WarcReading(path, max_size)


def _recompress(path: str) -> str:
    """The command that writes the web archive at `path` again with a gzip member per record, beside it."""
    stem = path.removesuffix(".gz").removesuffix(".warc")
    return f"warcio recompress {shlex.quote(path)} {shlex.quote(stem + '-recompressed.warc.gz')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Reading a record's body


def _body(record, max_size: int, sniff: bool) -> bytes:
    """The record's HTTP body, transfer and content encodings removed; _NotAPage when it is larger than `max_size`
    (0: no limit), cannot be decoded, or (`sniff`: a body of no stated type) does not begin as a web page."""
    headers = record.http_headers
    declared = getattr(record.raw_stream, "limit", None)  # the bytes left in the record: its body as stored
    chunked = (headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
    encoding = (headers.get_header("Content-Encoding") or "").strip().lower()
    if max_size and declared is not None and declared > max_size and not chunked and encoding in NOT_ENCODED:
        raise _NotAPage(TOO_LARGE)  # known from the header: not a byte of it is read
    pieces = _dechunked(record.raw_stream) if chunked else _pieces(record.raw_stream)
    if encoding not in NOT_ENCODED:
        if encoding not in INFLATE:
            raise _NotAPage(UNDECODABLE)
        pieces = _inflated(pieces, INFLATE[encoding])
    body = bytearray()
    for piece in pieces:
        body += piece
        if max_size and len(body) > max_size:
            raise _NotAPage(TOO_LARGE)
        if sniff and len(body) >= SNIFF_BYTES:
            _refuse_unless_html(body)
            sniff = False
    if sniff:
        _refuse_unless_html(body)
    return bytes(body)


def _refuse_unless_html(start: bytearray) -> None:
    if not looks_like_html(bytes(start[:SNIFF_BYTES])):
        raise _NotAPage(NOT_HTML)


def _pieces(stream) -> Iterator[bytes]:
    while piece := stream.read(PIECE):
        yield piece


def _dechunked(stream) -> Iterator[bytes]:
    """A body sent in chunks (`Transfer-Encoding: chunked`), a piece at a time; a body that turns out not to be
    chunked, whatever its header says, is read as it is from there (as warcio does)."""
    while True:
        line = stream.readline(LONGEST_CHUNK_LINE)
        size = _chunk_size(line)
        if size is None:
            yield from itertools.chain((line,) if line else (), _pieces(stream))
            return
        if size == 0:
            return
        while size > 0:
            piece = stream.read(min(size, PIECE))
            if not piece:
                return  # cut off: what came is the body
            size -= len(piece)
            yield piece
        stream.read(2)  # the CRLF after the chunk


def _chunk_size(line: bytes) -> int | None:
    if not line.endswith(b"\r\n"):
        return None
    try:
        return int(line[:-2].split(b";")[0], 16)
    except ValueError:
        return None


def _inflated(pieces: Iterator[bytes], window_bits: tuple[int, ...]) -> Iterator[bytes]:
    """A gzip or deflate body inflated a piece (at most PIECE bytes) at a time: the caller stops when it has enough,
    and no more is inflated. A body that does not begin as its encoding says, and is not raw deflate either, is
    taken as it is, not compressed (as warcio does); one that begins so but cannot be inflated is _NotAPage."""
    first = next(pieces, b"")
    for bits in window_bits:
        inflater = zlib.decompressobj(bits)
        try:
            head = inflater.decompress(first, PIECE)
        except zlib.error:
            if _begins_as(first, bits):
                raise _NotAPage(UNDECODABLE) from None
            continue
        return _inflating(inflater, head, pieces)
    return itertools.chain((first,), pieces)


def _begins_as(data: bytes, window_bits: int) -> bool:
    """Whether `data` begins with the header of a gzip (window bits over 15) or zlib stream (raw deflate has none)."""
    if window_bits > zlib.MAX_WBITS:
        return data.startswith(b"\x1f\x8b")
    return window_bits > 0 and len(data) >= 2 and data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0


def _inflating(inflater, head: bytes, pieces: Iterator[bytes]) -> Iterator[bytes]:
    yield head
    data = inflater.unconsumed_tail
    while not inflater.eof:
        data = data or next(pieces, b"")
        if not data:
            return  # cut off: what was inflated is the body
        try:
            piece = inflater.decompress(data, PIECE)
        except zlib.error:
            raise _NotAPage(UNDECODABLE) from None
        data = inflater.unconsumed_tail
        yield piece


# What warcio says


@contextmanager
def _warcio_heard(heard: Callable[[str], None]) -> Iterator[None]:
    """While warcio reads: what it writes on stderr, or logs, from this thread goes to `heard`, a message at a time."""
    real = sys.stderr
    sink = _ThreadsStderr(real, threading.get_ident(), heard)
    logger = logging.getLogger("warcio")
    handler = _Heard(heard)
    propagates, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    sys.stderr = sink
    try:
        yield
    finally:
        if sys.stderr is sink:
            sys.stderr = real
        logger.removeHandler(handler)
        logger.propagate = propagates


class _ThreadsStderr:
    """sys.stderr for a while: one thread's writes are heard, the others' (a progress bar's) go where they went."""

    def __init__(self, real, thread: int, heard: Callable[[str], None]):
        self.real, self.thread, self.heard = real, thread, heard

    def write(self, text: str) -> int:
        if threading.get_ident() != self.thread:
            return self.real.write(text)
        if text.strip():
            self.heard(text)
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


class _Heard(logging.Handler):
    def __init__(self, heard: Callable[[str], None]):
        super().__init__()
        self.heard = heard

    def emit(self, record: logging.LogRecord) -> None:
        self.heard(record.getMessage())


# A file cut off


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

"""Web archives: a .warc.gz written here with warcio; its HTML pages come out with address, date and offset."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tracemalloc
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from helpers import SEED, iwfdb, rows, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iwfdb.config import DEFAULT_MAX_SIZE
from iwfdb.parse.html import parse_html
from iwfdb.warc import (
    NOT_200, NOT_A_RESPONSE, NOT_HTML, NOT_HTTP, REVISIT, TOO_LARGE, UNDECODABLE, WARC_BLOCK, WarcError,
    read_warc,
)  # fmt: skip

SEED_PAGE = (Path(__file__).parent / "fixtures" / "html" / "seed.html").read_bytes()
CP1252_PAGE = b"<!DOCTYPE html><html><body><main><h1>Caf\xe9 news</h1><p>Published: Tue 7 Mar 2017</p></main></body></html>"
SITE = "https://www.iwf.org.uk/news/"


def _response(writer, uri, body, status="200 OK", headers=(("Content-Type", "text/html; charset=utf-8"),)):
    http = StatusAndHeaders(status, list(headers), protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"})
    writer.write_record(record)


def _write_crawl(path: Path, gzipped: bool = True) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "a test"}))
        request = writer.create_warc_record(SITE + "seed", "request", payload=BytesIO(b"GET /news/seed HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
        _response(writer, SITE + "seed", SEED_PAGE)
        _response(writer, SITE + "gone", b"<html><body>Not found</body></html>", status="404 Not Found")
        _response(writer, SITE + "logo.png", b"\x89PNG\r\n", headers=(("Content-Type", "image/png"),))
        _response(writer, SITE + "old", b"", status="301 Moved Permanently", headers=(("Location", SITE + "seed"),))
        _response(writer, SITE + "no-type", SEED_PAGE.replace(b"Emma Hardy", b"Emma Hardie"), headers=())
        _response(writer, SITE + "cafe", CP1252_PAGE, headers=(("Content-Type", "text/html; charset=ISO-8859-1"),))
        zipped = gzip.compress(SEED_PAGE)
        _response(writer, SITE + "zipped", zipped, headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")))
        revisit = writer.create_revisit_record(SITE + "seed", digest="sha1:AAAA", refers_to_uri=SITE + "seed",
                                               refers_to_date="2024-05-01T10:00:00Z")
        writer.write_record(revisit)
        writer.write_record(writer.create_warc_record("dns:www.iwf.org.uk", "response", payload=BytesIO(b"1.2.3.4")))


@pytest.mark.parametrize("name, gzipped", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_are_pages_and_the_rest_is_counted(tmp_path, name, gzipped):
    path = tmp_path / name
    _write_crawl(path, gzipped)
    reading = read_warc(path)
    pages = list(reading)
    assert [page.uri for page in pages] == [SITE + "seed", SITE + "no-type", SITE + "cafe", SITE + "zipped"]
    assert {page.date for page in pages} == {"2024-05-01T10:00:00Z"}
    assert [page.payload for page in pages if page.uri.endswith(("seed", "zipped"))] == [SEED_PAGE, SEED_PAGE]
    assert [(page.content_type, page.charset) for page in pages] == [
        ("text/html", "utf-8"), (None, None), ("text/html", "iso-8859-1"), ("text/html", None),
    ]  # fmt: skip
    assert reading.skipped == {NOT_A_RESPONSE: 2, NOT_200: 2, NOT_HTML: 1, REVISIT: 1, NOT_HTTP: 1}


def test_each_page_leads_back_to_its_record_by_offset(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_crawl(path)
    for page in read_warc(path):
        assert page.source == f"{path}#{page.offset}"
        with open(path, "rb") as stream:
            stream.seek(page.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == page.uri


def test_a_page_from_a_crawl_parses_with_its_address_charset_and_email(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_crawl(path)
    pages = {page.uri.rpartition("/")[2]: page for page in read_warc(path)}
    seed = parse_html(pages["no-type"].payload, pages["no-type"].source, url=pages["no-type"].uri).statement
    assert seed.url.endswith("/statement-iwf-s-work-with-industry-and-social-networks/")  # the canonical address
    assert (seed.contacts[0].name, seed.contacts[0].email) == ("Emma Hardie", "media@iwf.org.uk")
    cafe = pages["cafe"]
    assert parse_html(cafe.payload, cafe.source, url=cafe.uri, charset=cafe.charset).statement.title == "Café news"


@pytest.mark.parametrize("name, gzipped", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_a_crawl_cut_off_mid_record_gives_the_pages_before_then_an_error(tmp_path, name, gzipped):
    path = tmp_path / name
    _write_crawl(path, gzipped)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    reading = read_warc(path)
    seen = []
    with pytest.raises(WarcError, match=r"crawl\.warc(\.gz)?: the web archive cannot be read from byte \d+ on \(.*cut off\?\)"):
        for page in reading:
            seen.append(page.uri)
    assert seen and seen == [SITE + "seed", SITE + "no-type"][: len(seen)]


def test_a_file_that_is_not_a_web_archive_is_refused(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("just some notes\n")
    with pytest.raises(WarcError, match="notes.warc: the web archive cannot be read from byte 0 on"):
        list(read_warc(path))


# Web archives in `iwfdb load`


def test_a_web_archive_loads_each_page_as_a_source_with_its_address_and_fetch_date(db, tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    _write_crawl(crawl)
    result = iwfdb(db, "load", "--json", tmp_path)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["web_archive_records_skipped"] == {NOT_A_RESPONSE: 2, NOT_200: 2, NOT_HTML: 1, REVISIT: 1, NOT_HTTP: 1}
    pages = rows(db, "SELECT path, fetched_at, outcome FROM sources WHERE path LIKE ? ORDER BY path", f"{crawl}#%")
    assert len(pages) == 4 and all(at == "2024-05-01T10:00:00Z" for _, at, _ in pages)
    assert {outcome for *_, outcome in pages} == {"loaded", "duplicate"}  # the zipped record is the seed again
    assert rows(db, "SELECT outcome, fetched_at FROM sources WHERE path = ?", str(crawl)) == [("loaded", None)]
    urls = {url for (url,) in rows(db, "SELECT url FROM statements WHERE NOT card_only")}
    # The page's own canonical address comes first; the record's address where the page states none.
    assert urls == {"https://www.iwf.org.uk/news-media/news/statement-iwf-s-work-with-industry-and-social-networks/",
                    SITE + "cafe"}  # fmt: skip
    offset = int(pages[0][0].rpartition("#")[2])
    with open(crawl, "rb") as stream:  # a row leads back to its bytes: the record at that offset
        stream.seek(offset)
        assert next(iter(ArchiveIterator(stream))).rec_headers.get_header("WARC-Target-URI").startswith(SITE)


def test_an_unchanged_web_archive_is_not_read_again(db, tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    _write_crawl(crawl)
    assert iwfdb(db, "load", crawl).exit_code == 0
    before = snapshot(db)
    again = json.loads(iwfdb(db, "load", "--json", crawl).stdout)
    assert again["files"]["unchanged"] == 1 and again["web_archive_records_skipped"] == {}
    assert snapshot(db) == before


def test_a_web_archive_cut_off_loads_the_pages_before_and_fails_alone(db, tmp_path):
    crawl = tmp_path / "crawl.warc"
    _write_crawl(crawl, gzipped=False)
    data = crawl.read_bytes()
    crawl.write_bytes(data[: int(len(data) * 0.9)])
    shutil.copy(SEED, tmp_path / "seed.txt")
    result = iwfdb(db, "load", tmp_path)
    assert result.exit_code == 1
    assert f"{crawl}: the web archive cannot be read from byte" in result.stderr
    assert rows(db, "SELECT outcome FROM sources WHERE path = ?", str(crawl)) == [("failed",)]
    assert rows(db, "SELECT count(*) FROM sources WHERE path LIKE ? AND outcome = 'loaded'", f"{crawl}#%")[0][0] >= 1
    assert rows(db, "SELECT outcome FROM sources WHERE path LIKE '%seed.txt'") == [("loaded",)]


# Every byte bounded: records larger than --max-size, gzip bombs, bodies that are not pages

LIMIT = 1024 * 1024  # --max-size in these tests
# What reading any of these archives may take at its peak: a body of LIMIT bytes (and its copy), and in a gzipped
# WARC a few copies of the block warcio inflates at once (up to 1,032 times WARC_BLOCK for a run of one byte).
MEMORY_BOUND = 2 * LIMIT + 4 * 1032 * WARC_BLOCK


def _bomb(size: int, window_bits: int) -> bytes:
    """`size` zero bytes compressed (a few kB each MB), made without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, window_bits)
    zeros = bytes(1024 * 1024)
    return b"".join(compressor.compress(zeros) for _ in range(size // len(zeros))) + compressor.flush()


def _chunked(body: bytes, size: int = 100_000) -> bytes:
    pieces = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


HTML = ("Content-Type", "text/html")
BIG = 60 * LIMIT  # what the large records hold, decoded
LARGE_RECORDS = {  # name: (headers, body as stored)
    "gzip-bomb": ((HTML, ("Content-Encoding", "gzip")), _bomb(BIG, 16 + zlib.MAX_WBITS)),
    "deflate-bomb": ((HTML, ("Content-Encoding", "deflate")), _bomb(BIG, zlib.MAX_WBITS)),
    "raw-deflate-bomb": ((HTML, ("Content-Encoding", "deflate")), _bomb(BIG, -zlib.MAX_WBITS)),
    "chunked-gzip-bomb": ((HTML, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")),
                          _chunked(_bomb(BIG, 16 + zlib.MAX_WBITS))),
    "large-html": ((HTML,), b"<html><body>" + b"<p>words</p>" * (3 * LIMIT // 12)),
    "large-chunked-html": ((HTML, ("Transfer-Encoding", "chunked")), _chunked(b"<html>" + b"<p>x</p>" * (LIMIT // 4))),
}  # fmt: skip
NOT_PAGES = {  # name: (headers, body as stored)
    "video": ((("Content-Type", "video/mp4"),), bytes(range(256)) * (20 * LIMIT // 256)),
    "untyped-binary": ((), b"\x00\x00\x00\x18ftypmp42" + bytes(20 * LIMIT)),
}


def _write_large_crawl(path: Path, records: dict, gzipped: bool) -> None:
    """The seed page, each record of `records`, then the cafe page."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        _response(writer, SITE + "seed", SEED_PAGE)
        for name, (headers, body) in records.items():
            _response(writer, SITE + name, body, headers=headers)
        _response(writer, SITE + "cafe", CP1252_PAGE, headers=(("Content-Type", "text/html; charset=ISO-8859-1"),))


def _read_measured(path: Path, max_size: int):
    tracemalloc.start()
    try:
        reading = read_warc(path, max_size)
        pages = list(reading)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return reading, pages, peak


def _offsets(path: Path, names) -> list[int]:
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        return [records.get_record_offset() for record in records
                if record.rec_headers.get_header("WARC-Target-URI").rpartition("/")[2] in names]  # fmt: skip


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("name", LARGE_RECORDS)
def test_a_record_larger_than_max_size_once_decoded_is_skipped_unread_and_named(tmp_path, name, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    _write_large_crawl(path, {name: LARGE_RECORDS[name]}, gzipped)
    reading, pages, peak = _read_measured(path, LIMIT)
    assert [page.uri for page in pages] == [SITE + "seed", SITE + "cafe"]
    assert reading.skipped == {TOO_LARGE: 1} and reading.too_large == _offsets(path, {name})
    assert peak < MEMORY_BOUND, f"{peak:,} bytes at the peak"
    (note,) = reading.notes()
    assert note == f"1 record larger than the limit of {LIMIT} bytes (see --max-size) skipped, at byte {reading.too_large[0]}"


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("name", NOT_PAGES)
def test_a_large_record_that_is_not_html_is_never_read_into_memory(tmp_path, name, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    _write_large_crawl(path, {name: NOT_PAGES[name]}, gzipped)
    reading, pages, peak = _read_measured(path, 0)  # no limit at all: still not read
    assert [page.uri for page in pages] == [SITE + "seed", SITE + "cafe"]
    assert reading.skipped == {NOT_HTML: 1} and reading.notes() == []
    assert peak < (MEMORY_BOUND if gzipped else LIMIT // 4), f"{peak:,} bytes at the peak"


def test_pages_within_the_limit_are_read_whatever_their_encoding(tmp_path):
    page = SEED_PAGE + b"<!--" + b"x" * (LIMIT - len(SEED_PAGE) - 7) + b"-->"
    assert len(page) == LIMIT
    records = {"gzip": ((HTML, ("Content-Encoding", "gzip")), gzip.compress(page)),
               "deflate": ((HTML, ("Content-Encoding", "deflate")), zlib.compress(page)),
               "chunked": ((HTML, ("Transfer-Encoding", "chunked")), _chunked(page, 1000)),
               "mislabelled": ((HTML, ("Content-Encoding", "gzip")), page),  # not compressed, whatever it says
               "identity": ((HTML, ("Content-Encoding", "identity")), page)}  # fmt: skip
    path = tmp_path / "crawl.warc.gz"
    _write_large_crawl(path, records, gzipped=True)
    found = {item.uri.rpartition("/")[2]: item.payload for item in read_warc(path, LIMIT)}
    assert found == {"seed": SEED_PAGE, "cafe": CP1252_PAGE, **dict.fromkeys(records, page)}


def test_a_body_that_cannot_be_decoded_is_skipped_and_counted(tmp_path):
    broken = gzip.compress(SEED_PAGE)
    records = {"broken-gzip": ((HTML, ("Content-Encoding", "gzip")), broken[:30] + bytes(200) + broken[230:]),
               "brotli": ((HTML, ("Content-Encoding", "br")), b"\x1b\x03\x00\xf8\xa5\x40\x02")}  # fmt: skip
    path = tmp_path / "crawl.warc"
    _write_large_crawl(path, records, gzipped=False)
    reading = read_warc(path)
    assert [page.uri for page in reading] == [SITE + "seed", SITE + "cafe"]
    assert reading.skipped == {UNDECODABLE: 2}


def test_load_honours_max_size_for_the_records_of_a_web_archive(db, tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    _write_large_crawl(crawl, {"gzip-bomb": LARGE_RECORDS["gzip-bomb"], "video": NOT_PAGES["video"]}, gzipped=True)
    result = iwfdb(db, "load", "--max-size", "1MB", tmp_path)
    assert result.exit_code == 0, result.output
    (offset,) = _offsets(crawl, {"gzip-bomb"})
    assert (f"{crawl}: 1 record larger than the limit of {LIMIT} bytes (see --max-size) skipped, at byte {offset}"
            in result.stderr.splitlines())  # fmt: skip
    assert "web archives: records that are not pages, skipped: 1 larger than --max-size, 1 not HTML" in result.stderr
    loaded = rows(db, "SELECT path FROM sources WHERE path LIKE ? ORDER BY path", f"{crawl}#%")
    assert [path.rpartition("#")[0] for (path,) in loaded] == [str(crawl)] * 2
    again = json.loads(iwfdb(db, "load", "--json", "--max-size", "1MB", tmp_path).stdout)
    assert again["files"]["unchanged"] == 1 and again["web_archive_notes"] == []


# warcio's warnings, a WARC gzipped as one whole file, and unreadable WARCs loaded again


def _write_crawl_with_warnings(path: Path) -> None:
    """A crawl on which warcio warns twice: a record whose Content-Length stops short, an address with spaces."""
    _write_crawl(path, gzipped=False)
    data = path.read_bytes().replace(b"</html>\r\n\r\nWARC/1.0", b"</html>junk\r\n\r\nWARC/1.0", 1)
    path.write_bytes(data.replace(b"WARC-Target-URI: " + SITE.encode() + b"cafe",
                                  b"WARC-Target-URI: " + SITE.encode() + b"caf e", 1))  # fmt: skip


def test_warcios_warnings_are_counted_never_printed(tmp_path, capfd, caplog):
    path = tmp_path / "crawl.warc"
    _write_crawl_with_warnings(path)
    reading = read_warc(path)
    assert [page.uri for page in reading] == [SITE + "seed", SITE + "no-type", SITE + "caf%20e", SITE + "zipped"]
    said = capfd.readouterr()
    assert (said.out, said.err, caplog.records) == ("", "", [])
    assert reading.notes() == ["warcio warned 2 times: addresses with spaces: 1; "
                               "records not followed by a blank line (a wrong Content-Length?): 1"]  # fmt: skip


def test_a_load_summarises_warcios_warnings_in_one_line_and_says_nothing_with_quiet(db, tmp_path):
    crawl = tmp_path / "crawl.warc"
    _write_crawl_with_warnings(crawl)
    quiet = iwfdb(db, "load", "-q", tmp_path)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    crawl.write_bytes(crawl.read_bytes() + b"\r\n")  # changed: read again
    told = iwfdb(db, "load", tmp_path)
    assert told.exit_code == 0 and "WARNING" not in told.stderr and "Remainder" not in told.stderr
    assert f"{crawl}: warcio warned 2 times: addresses with spaces: 1; records not followed" in told.stderr


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.gz.warc"])
def test_a_warc_gzipped_as_one_whole_file_is_read_as_one_stream(tmp_path, name):
    plain = tmp_path / "plain.warc"
    _write_crawl(plain, gzipped=False)
    path = tmp_path / name
    path.write_bytes(gzip.compress(plain.read_bytes()))
    reading = read_warc(path)
    pages = list(reading)
    assert [(page.uri, page.offset, page.payload) for page in pages] == [
        (page.uri, page.offset, page.payload) for page in read_warc(plain)]  # offsets of the uncompressed bytes
    assert reading.skipped == {NOT_A_RESPONSE: 2, NOT_200: 2, NOT_HTML: 1, REVISIT: 1, NOT_HTTP: 1}
    (note,) = reading.notes()
    assert note.startswith("gzipped as one whole file, read as one stream") and "warcio recompress" in note


def test_a_damaged_warc_gzipped_as_one_whole_file_says_in_one_line_how_to_recompress(tmp_path):
    plain = tmp_path / "plain.warc"
    _write_crawl(plain, gzipped=False)
    path = tmp_path / "crawl.warc.gz"
    whole = gzip.compress(plain.read_bytes())
    path.write_bytes(whole[: len(whole) * 9 // 10])
    seen = []
    with pytest.raises(WarcError) as raised:
        seen.extend(page.uri for page in read_warc(path))
    message = str(raised.value)
    assert "\n" not in message and "byte -" not in message and seen[:1] == [SITE + "seed"]
    assert re.fullmatch(rf"{re.escape(str(path))}: the web archive is gzipped as one whole file, and cannot be read "
                        r"from byte \d+ of its uncompressed bytes on \(.+\); the pages before it were read; a gzip "
                        rf"member per record may mend it: warcio recompress {re.escape(str(path))} "
                        rf"{re.escape(str(tmp_path / 'crawl-recompressed.warc.gz'))}",
                        message)  # fmt: skip


def _cut(path: Path, gzipped: bool) -> None:
    _write_crawl(path, gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


UNREADABLE = {  # name: how to make it
    "cut.warc": lambda path: _cut(path, gzipped=False),
    "cut.warc.gz": lambda path: _cut(path, gzipped=True),
    "notes.warc": lambda path: path.write_text("just some notes\n"),
    "whole.warc.gz": lambda path: path.write_bytes(gzip.compress(b"WARC/1.0\r\nContent-Length: 10\r\n\r\nshort")[:-9]),
    "empty-gzip.warc.gz": lambda path: path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(20)),
}


@pytest.mark.parametrize("name", UNREADABLE)
def test_an_unreadable_warc_fails_once_then_an_unchanged_reload_is_quiet(db, tmp_path, name):
    path = tmp_path / name
    UNREADABLE[name](path)
    first = iwfdb(db, "load", "-q", tmp_path)
    assert first.exit_code == 1 and first.stdout == ""
    (line,) = first.stderr.splitlines()  # one line: warcio's message is not pasted in
    assert line.startswith(f"{path}: ") and "byte -" not in line and "\\n" not in line
    again = iwfdb(db, "load", "-q", tmp_path)
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    counted = json.loads(iwfdb(db, "load", "--json", tmp_path).stdout)
    assert counted["files"]["failed_before"] == 1 and counted["failures"] == []
    assert rows(db, "SELECT outcome FROM sources WHERE path = ?", str(path)) == [("failed",)]
    path.write_bytes(path.read_bytes() + b"\n")  # changed bytes: read again, and told again
    assert iwfdb(db, "load", "-q", tmp_path).exit_code == 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gzipped=st.booleans(), cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                                  max_size=4))  # fmt: skip
def test_a_damaged_warc_gives_pages_or_one_line_error_never_a_crash(tmp_path, gzipped, cut, flips):
    path = tmp_path / "crawl.warc"
    _write_crawl(path, gzipped)
    data = bytearray(path.read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    path.write_bytes(bytes(data[: max(1, int(len(data) * cut))]))
    try:
        for page in read_warc(path):
            assert page.offset >= 0 and len(page.payload) <= DEFAULT_MAX_SIZE
    except WarcError as error:
        assert "\n" not in str(error) and "byte -" not in str(error)


def _with_long_lines(data: bytes, size: int) -> dict[str, bytes]:
    """A crawl damaged by `size` bytes without a line feed, or of header lines, in each place warcio reads lines."""
    return {
        "after the last record": data + b"A" * size,
        "in a WARC header": data.replace(b"WARC-Date: ", b"WARC-Date: " + b"9" * size, 1),
        "in an HTTP header": data.replace(b"charset=utf-8", b"charset=utf-8" + b"x" * size, 1),
        "as many header lines": data.replace(b"WARC-Date: ", b"X-A: b\r\n" * (size // 8) + b"WARC-Date: ", 1),
    }


@pytest.mark.parametrize("where", _with_long_lines(b"", 0))
def test_megabytes_of_header_lines_are_refused_in_bounded_memory_and_one_short_line(tmp_path, where, capfd):
    path = tmp_path / "crawl.warc"
    _write_crawl(path, gzipped=False)
    path.write_bytes(_with_long_lines(path.read_bytes(), 5 * LIMIT)[where])
    tracemalloc.start()
    try:
        with pytest.raises(WarcError) as raised:
            list(read_warc(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * LIMIT, f"{peak:,} bytes at the peak"  # 256 kB of header lines, as warcio's objects
    message = str(raised.value)
    assert "\n" not in message and len(message) < 400 + len(str(path))
    assert capfd.readouterr().err == ""

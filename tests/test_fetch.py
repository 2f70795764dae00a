"""`iwfdb fetch` against a web site served by the test on 127.0.0.1: sitemaps, robots.txt, retries,
redirects, time-outs, conditional re-fetches, answers without end (endless, trickling, gzip bombs), names
a file system refuses; then the folder loads into the archive. Nothing is fetched from elsewhere: a test
that tries fails (see only_this_machine)."""

from __future__ import annotations

import json
import socket
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from helpers import iwfdb, rows
from hypothesis import given, settings
from hypothesis import strategies as st
from site_server import Site, endless, gzip_bomb, gzipped, head, serve, trickle
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.db import locate
from iwfdb.fetch import (
    INDEX_NAME, LONGEST_NAME, ROBOTS_LIMIT, Fetcher, FetchOptions, saved_path, unique_path, web_address_problem,
    with_saved_from,
)  # fmt: skip
from iwfdb.parse.html import parse_html

PAGES = Path(__file__).parent / "fixtures" / "html"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = ["seed", "byline", "flaky", "moved", "contacts", "missing", "slow", "private/secret", "report.pdf", "busy"]


def _urlset(base: str, entries: list[tuple[str, str]]) -> bytes:
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></url>" for path, lastmod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{urls}</urlset>'.encode()


def _index(base: str, entries: list[tuple[str, str]]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>" for path, lastmod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{maps}</sitemapindex>'.encode()


@pytest.fixture(autouse=True)
def only_this_machine(monkeypatch):
    """Every connection a test makes goes to 127.0.0.1; one to any other host is refused, and fails the test."""
    elsewhere, connect = [], socket.create_connection

    def guarded(address, *args, **kwargs):
        if address[0] != "127.0.0.1":
            elsewhere.append(address)
            raise ConnectionRefusedError(f"the tests connect to 127.0.0.1 only, not {address[0]}")
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    yield
    assert elsewhere == []


@pytest.fixture
def site():
    site = Site()
    server, base = serve(site)
    site.base = base
    html = {name: (PAGES / f"{name}.html").read_bytes() for name in ("seed", "byline_by", "contacts_multiline")}
    xml = {"Content-Type": "application/xml"}
    site.page("/robots.txt", b"User-agent: *\nDisallow: /news/private/\nCrawl-delay: 1\n", headers={"Content-Type": "text/plain"})
    site.page("/sitemap.xml", _index(base, [("/sitemaps/news.xml.gz", "2024-06-01"), ("/sitemaps/old.xml", "2019-01-01")]), headers=xml)
    news = [(f"/news/{name}", "2024-05-0{}".format(1 + index % 9)) for index, name in enumerate(NEWS)]
    site.page("/sitemaps/news.xml.gz", gzipped(_urlset(base, [*news, ("/about/us", "2024-05-01"), ("/news/older", "2018-01-01")])),
              headers={"Content-Type": "application/gzip"})
    site.page("/sitemaps/old.xml", _urlset(base, [("/news/archived", "2019-01-01")]), headers=xml)
    site.page("/news/seed", html["seed"], etag='"v1"')
    site.page("/news/byline", html["byline_by"], last_modified="Mon, 15 Jan 2024 08:00:00 GMT")
    site.page("/news/contacts", html["contacts_multiline"])
    site.page("/news/flaky", html["seed"].replace(b"Emma Hardy", b"Emma Hardie"))
    site.routes["/news/flaky"].answers.insert(0, (500, {}, b"oops"))
    site.page("/news/moved", b"", status=301, headers={"Location": "/news/contacts"})
    site.page("/news/slow", html["seed"], pause=5)
    site.page("/news/private/secret", html["seed"])
    site.page("/news/report.pdf", b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    site.page("/news/busy", html["seed"].replace(b"Emma Hardy", b"Emma Busy"))
    site.routes["/news/busy"].answers.insert(0, (429, {"Retry-After": "2"}, b"slow down"))
    yield site
    site.stopping.set()
    server.shutdown()
    server.server_close()


def _fetcher(tmp_path: Path, pauses: list[float], **options) -> Fetcher:
    options = {"into": tmp_path / "pages", "delay": 0, "timeout": 0.3, "retries": 1, "backoff": 0.01, **options}
    return Fetcher(FetchOptions(**options), sleep=pauses.append)  # pauses are recorded, not slept: the test stays fast


def test_a_sitemap_index_gives_the_matching_pages_changed_since_a_day(site, tmp_path):
    from datetime import date

    with _fetcher(tmp_path, []) as fetcher:
        listing = fetcher.sitemap_pages(site.base + "/sitemap.xml", match="/news/", since=date(2024, 1, 1))
    assert listing.pages == [f"{site.base}/news/{name}" for name in NEWS]
    assert listing.failures == [] and listing.notes == []
    assert site.asked("/sitemaps/old.xml") == []  # the index says it has not changed since


def test_fetch_is_polite_and_says_what_became_of_each_page(site, tmp_path):
    pauses: list[float] = []
    with _fetcher(tmp_path, pauses) as fetcher:
        summary = fetcher.fetch_all(f"{site.base}/news/{name}" for name in NEWS)
    # moved and contacts are one page: saved once, the second time found unchanged
    assert summary.counts == {"fetched": 5, "unchanged": 1, "robots": 1, "not_html": 1, "failed": 2}
    assert sorted(summary.failures) == [
        f"{site.base}/news/missing: HTTP 404 Not Found",
        f"{site.base}/news/slow: no complete answer within 0.3 s (2 attempts)",
    ]  # fmt: skip
    assert summary.redirects == [f"{site.base}/news/moved -> {site.base}/news/contacts"]
    assert site.asked("/news/private/secret") == []
    assert len(site.asked("/news/flaky")) == 2 and len(site.asked("/robots.txt")) == 1
    assert 2.0 in pauses  # Retry-After
    assert sum(0.9 < pause <= 1.0 for pause in pauses) >= 8  # robots.txt's Crawl-delay, between requests
    assert all(headers["user-agent"].startswith("iwfdb/") for _, headers in site.requests)


def test_saved_pages_keep_their_address_and_load_with_it(site, tmp_path):
    with _fetcher(tmp_path, []) as fetcher:
        fetcher.fetch_all([site.base + "/news/seed", site.base + "/news/moved"])
    folder = tmp_path / "pages"
    saved = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    host = site.base.removeprefix("http://").replace(":", "_")
    assert saved == [f"{host}/news/contacts.html", f"{host}/news/seed.html"]
    contacts = (folder / host / "news" / "contacts.html").read_bytes()
    assert contacts.startswith(b'<!doctype html>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
                               b"<!-- saved from url=(")
    statement = parse_html(contacts, "contacts.html").statement
    assert statement.url == "https://www.iwf.org.uk/news-media/news/iwf-statement-on-new-research/"  # its og:url
    assert (folder / INDEX_NAME).exists()


def test_a_second_fetch_asks_only_for_changes(site, tmp_path):
    addresses = [f"{site.base}/news/{name}" for name in ("seed", "byline", "contacts")]
    with _fetcher(tmp_path, []) as fetcher:
        fetcher.fetch_all(addresses)
    saved = {path: path.stat().st_mtime_ns for path in (tmp_path / "pages").rglob("*.html")}
    with _fetcher(tmp_path, []) as fetcher:
        summary = fetcher.fetch_all(addresses)
    assert summary.counts["unchanged"] == 3 and summary.counts["fetched"] == 0
    assert site.asked("/news/seed")[-1]["if-none-match"] == '"v1"'
    assert site.asked("/news/byline")[-1]["if-modified-since"] == "Mon, 15 Jan 2024 08:00:00 GMT"
    assert {path: path.stat().st_mtime_ns for path in saved} == saved  # nothing rewritten
    next(iter(saved)).unlink()
    with _fetcher(tmp_path, []) as fetcher:
        assert fetcher.fetch_all(addresses).counts["fetched"] == 1  # a deleted page is fetched whole again


@pytest.mark.parametrize("status, outcome", [(404, "fetched"), (500, "failed")])
def test_without_robots_txt_all_is_allowed_and_with_an_unreadable_one_nothing(site, tmp_path, status, outcome):
    site.page("/robots.txt", b"", status=status)
    with _fetcher(tmp_path, []) as fetcher:
        result = fetcher.fetch_page(site.base + "/news/seed")
    assert result.outcome == outcome
    if outcome == "failed":  # nothing fetched, and said so as a failure, not as the site's wish
        assert result.reason.startswith("its site's robots.txt could not be read (HTTP 500")
        assert site.asked("/news/seed") == []


def test_iwfdb_fetch_sitemap_match_load_builds_the_archive(tmp_path):
    site = Site()
    server, base = serve(site)
    try:
        news = ("seed", "contacts_multiline", "contacts_inline_and_organisation")  # the IWF's: loaded without --publisher
        for name in news:
            site.page(f"/news/{name}", (PAGES / f"{name}.html").read_bytes())
        site.page("/about", (PAGES / "byline_by.html").read_bytes())
        urls = [(f"/news/{name}", "2024-05-01") for name in news] + [("/about", "2024-05-01")]
        site.page("/sitemap.xml", _urlset(base, urls), headers={"Content-Type": "application/xml"})
        database, folder = tmp_path / "archive.sqlite", tmp_path / "pages"
        arguments = ["--db", str(database), "fetch", "--sitemap", base + "/sitemap.xml", "--match", "/news/",
                     "--into", str(folder), "--delay", "0.01", "--load"]
        result = CliRunner().invoke(app, arguments)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert "3 pages into" in result.stderr and "3 fetched, 0 unchanged, 0 skipped by robots.txt" in result.stderr
    assert "3 files: 3 new" in result.stderr
    emails = rows(locate(str(database)), "SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY email")
    assert emails == [("media@iwf.org.uk",), ("media@iwf.org.uk",), ("press@iwf.org.uk",)]


@pytest.mark.parametrize("arguments, message", [
    ([], "nothing to fetch"), (["--sitemap", "http://127.0.0.1:9/s.xml", "--since", "May 2024"], "not a day"),
    (["--sitemap", "http://127.0.0.1:9/s.xml", "--match", "news/("], "not a regular expression"),
    (["http://127.0.0.1:9/a", "--max-size", "0"], "--max-size '0': fetch needs a limit"),
    (["http://127.0.0.1:9/a", "--max-size", "lots"], "not a size: 'lots'"),
])  # fmt: skip
def test_usage_errors_exit_2(tmp_path, arguments, message):
    result = CliRunner().invoke(app, ["fetch", "--into", str(tmp_path), *arguments])
    assert result.exit_code == 2 and message in result.stderr


def test_saved_names_follow_the_address_and_are_never_hidden():
    assert saved_path("https://www.iwf.org.uk/news/a-b/") == Path("www.iwf.org.uk/news/a-b/index.html")
    assert saved_path("https://www.iwf.org.uk/news/page.htm") == Path("www.iwf.org.uk/news/page.htm")
    assert saved_path("https://x.org/.secret/../a b?q=1").parent == Path("x.org/_.secret")
    assert saved_path("https://x.org/a?q=1") != saved_path("https://x.org/a?q=2")
    assert saved_path("https://x.org") == Path("x.org/index.html")


def test_the_saved_from_comment_goes_after_the_doctype():
    assert with_saved_from(b"<!DOCTYPE html>\n<html>", "https://a.b/c") == (
        b"<!DOCTYPE html>\n<!-- saved from url=(0013)https://a.b/c -->\n<html>"
    )
    assert with_saved_from(b"<html>", "https://a.b/c").startswith(b"<!-- saved from url=(0013)https://a.b/c -->\n<html>")


def test_the_json_summary_says_what_became_of_each_page(site, tmp_path):
    site.page("/robots.txt", b"User-agent: *\nDisallow: /news/private/\n", headers={"Content-Type": "text/plain"})
    arguments = ["fetch", site.base + "/news/seed", site.base + "/news/missing", site.base + "/news/moved",
                 "--into", str(tmp_path / "pages"), "--delay", "0", "--retries", "0", "--json"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["folder"] == str(tmp_path / "pages")
    assert document["fetch"]["pages"] == {"fetched": 2, "unchanged": 0, "robots": 0, "not_html": 0, "failed": 1}
    assert document["fetch"]["failures"] == [f"{site.base}/news/missing: HTTP 404 Not Found"]
    assert document["fetch"]["redirects"] == [f"{site.base}/news/moved -> {site.base}/news/contacts"]
    assert document["fetch"]["sitemap_failures"] == [] and document["fetch"]["notes"] == []
    assert "load" not in document


def test_an_interrupted_fetch_keeps_what_it_fetched_and_exits_130(site, tmp_path, monkeypatch):
    from iwfdb.fetch import Fetcher as RealFetcher

    def interrupted(self, address):
        if address.endswith("/news/byline"):
            raise KeyboardInterrupt
        return real_fetch_page(self, address)

    real_fetch_page = RealFetcher.fetch_page
    monkeypatch.setattr(RealFetcher, "fetch_page", interrupted)
    site.page("/robots.txt", b"User-agent: *\n", headers={"Content-Type": "text/plain"})
    folder = tmp_path / "pages"
    result = CliRunner().invoke(app, ["fetch", site.base + "/news/seed", site.base + "/news/byline",
                                      "--into", str(folder), "--delay", "0"])
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert json.loads((folder / INDEX_NAME).read_text())["pages"].keys() == {site.base + "/news/seed"}


# Every byte bounded: size (pages by --max-size, robots.txt by RFC 9309's 500 KiB), inflating, and time.

HTML_HEAD = {"Content-Type": "text/html; charset=utf-8"}


def _without_crawl_delay(site: Site) -> None:
    """For a test through the command line, which sleeps for real."""
    site.page("/robots.txt", b"User-agent: *\nDisallow: /news/private/\n", headers={"Content-Type": "text/plain"})


def _peak_while(action):
    """What `action` returns, and the most memory Python held meanwhile, in bytes."""
    tracemalloc.start()
    try:
        return action(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("route", ["endless", "declared", "bomb"])
def test_a_page_larger_than_max_size_fails_without_being_held_whole(site, tmp_path, route):
    limit = 256 * 1024
    if route == "endless":  # 64 MB without end in sight
        site.stream("/news/big", endless(HTML_HEAD, b"<p>" + b"x" * 65533))
    elif route == "declared":  # said at once by Content-Length
        site.page("/news/big", b"<p>" + b"x" * (limit * 2))
    else:  # 256 KB on the wire that inflate to 256 MB
        site.stream("/news/big", gzip_bomb(HTML_HEAD))
    started = time.monotonic()
    with _fetcher(tmp_path, [], max_size=limit, timeout=10) as fetcher:
        result, peak = _peak_while(lambda: fetcher.fetch_page(site.base + "/news/big"))
    assert result.outcome == "failed" and result.reason == f"larger than --max-size ({limit} bytes): not saved"
    assert peak < 8 * limit + 2 * 1024**2  # the limit, httpcore's 64 KiB reads, and no more
    assert time.monotonic() - started < 5
    assert list((tmp_path / "pages").rglob("*.html")) == []


def test_max_size_is_honoured_from_the_command_line(site, tmp_path):
    _without_crawl_delay(site)
    arguments = ["fetch", site.base + "/news/seed", "--into", str(tmp_path / "pages"), "--delay", "0"]
    small = CliRunner().invoke(app, [*arguments, "--max-size", "1KB"])
    assert small.exit_code == 1
    assert f"{site.base}/news/seed: larger than --max-size (1024 bytes): not saved" in small.stderr
    assert CliRunner().invoke(app, [*arguments, "--max-size", "64KB"]).exit_code == 0


@pytest.mark.parametrize("encoding, pack", [
    ("gzip", gzipped), ("deflate", zlib.compress),
    ("deflate", lambda data: (raw := zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)).compress(data) + raw.flush()),
])  # fmt: skip
def test_a_compressed_page_is_inflated_whole_under_the_limit(site, tmp_path, encoding, pack):
    page = (PAGES / "seed.html").read_bytes()
    site.page("/news/packed", pack(page), headers={"Content-Encoding": encoding})
    with _fetcher(tmp_path, [], max_size=len(page)) as fetcher:
        result = fetcher.fetch_page(site.base + "/news/packed")
    assert result.outcome == "fetched" and result.path.read_bytes().endswith(page.split(b"<html", 1)[1])


def test_a_compressed_page_cut_short_fails(site, tmp_path):
    site.page("/news/cut", gzipped((PAGES / "seed.html").read_bytes())[:-100], headers={"Content-Encoding": "gzip"})
    with _fetcher(tmp_path, []) as fetcher:
        result = fetcher.fetch_page(site.base + "/news/cut")
    assert result.outcome == "failed" and result.reason == "its gzip body was cut short (2 attempts)"


def test_a_body_in_an_encoding_not_asked_for_fails_at_once(site, tmp_path):
    site.page("/news/brotli", b"\x1b\x00\x00", headers={"Content-Encoding": "br"})
    with _fetcher(tmp_path, []) as fetcher:
        result = fetcher.fetch_page(site.base + "/news/brotli")
    assert result.outcome == "failed" and "encoded as 'br', which was not asked for" in result.reason
    assert len(site.asked("/news/brotli")) == 1  # no retry can mend it
    assert site.asked("/news/brotli")[0]["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("start", [head(HTML_HEAD), b"HTTP/1.1 200 OK\r\nX-Slow: "], ids=["body", "headers"])
def test_a_server_that_trickles_is_stopped_at_the_time_out(site, tmp_path, start):
    site.stream("/news/trickle", trickle(start, every=0.05))  # each read gets a byte well within the time-out
    _without_crawl_delay(site)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["fetch", site.base + "/news/trickle", "--into", str(tmp_path / "pages"),
                                      "--delay", "0", "--timeout", "1", "--retries", "0"])
    assert time.monotonic() - started < 2
    assert result.exit_code == 1
    assert f"{site.base}/news/trickle: no complete answer within 1 s (1 attempt)" in result.stderr


def test_robots_txt_is_read_up_to_500_kib_and_the_rest_ignored(site, tmp_path):
    rules = b"User-agent: *\nDisallow: /news/private/\n"
    padding = b"# " + b"-" * 97 + b"\n"
    site.page("/robots.txt", rules + padding * (ROBOTS_LIMIT // 100) + b"Disallow: /news/seed\n",
              headers={"Content-Type": "text/plain"})  # fmt: skip
    with _fetcher(tmp_path, []) as fetcher:
        assert fetcher.fetch_page(site.base + "/news/seed").outcome == "fetched"  # past 500 KiB: ignored
        assert fetcher.fetch_page(site.base + "/news/private/secret").outcome == "robots"


def test_an_endless_robots_txt_is_read_no_further_than_500_kib(site, tmp_path):
    site.stream("/robots.txt", endless({"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /news/private/\n"))
    with _fetcher(tmp_path, [], timeout=10) as fetcher:
        result, peak = _peak_while(lambda: fetcher.fetch_page(site.base + "/news/private/secret"))
        assert fetcher.fetch_page(site.base + "/news/seed").outcome == "fetched"
    assert result.outcome == "robots"
    assert peak < 8 * ROBOTS_LIMIT


# The charset the server sent is kept with the page.


def test_fetch_load_reads_a_page_in_the_charset_its_server_gave(db, tmp_path):
    site = Site()
    server, base = serve(site)
    # The page says <meta charset="utf-8"> but is windows-1252, as its server says: the header wins.
    page = (PAGES / "seed.html").read_text(encoding="utf-8").replace("Emma Hardy", "Zoë Hardy–Smith")
    site.page("/news/latin", page.encode("windows-1252"), headers={"Content-Type": "text/html; charset=windows-1252"})
    try:
        result = iwfdb(db, "fetch", base + "/news/latin", "--into", tmp_path / "pages", "--delay", "0", "--load")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.stderr
    assert ("Zoë Hardy–Smith",) in rows(db, "SELECT name FROM contacts")
    saved = next((tmp_path / "pages").rglob("*.html")).read_bytes()
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' in saved
    assert "Zoë Hardy–Smith".encode("windows-1252") in saved  # the bytes as served, not transcoded


@pytest.mark.parametrize("data, charset, declared", [
    (b"<!DOCTYPE html><html><p>\xe9</p>", "windows-1252", b"charset=windows-1252"),
    (b"<html lang=en><head><meta charset=utf-8>\xe9", "iso-8859-1", b"<html lang=en><meta http-equiv"),
    (b"\xef\xbb\xbf<!DOCTYPE html><p>\xc3\xa9", "windows-1252", None),  # a byte-order mark outranks the header
    (b"<!DOCTYPE html><p>x", "no-such-codec", None), (b"<!DOCTYPE html><p>x", 'x"><script>', None),
    (b"<!DOCTYPE html><p>x", None, None),
])  # fmt: skip
def test_the_header_charset_is_kept_where_a_load_reads_it(data, charset, declared):
    from iwfdb.parse.html import looks_like_html

    saved = with_saved_from(data, "https://a.b/c", charset)
    assert (b"<meta http-equiv" in saved) is (declared is not None)
    if declared:
        assert declared in saved and saved.index(b"http-equiv") < saved.index(b"\xe9")
    assert looks_like_html(saved) is looks_like_html(data)


# A page that cannot be saved is that page's failure; two addresses never share a file.


def _saved_from(path: Path) -> str:
    from iwfdb.parse.html_meta import saved_from

    return saved_from(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("order", [("/collide.html", "/collide.html/"), ("/collide.html/", "/collide.html")])
def test_addresses_of_one_name_are_saved_apart(site, tmp_path, order):
    long_start = "/news/" + "a" * (LONGEST_NAME + 10)
    paths = [*order, long_start + "1", long_start + "2", "/" + "/".join(["b" * 100] * 28)]
    for path in paths:
        site.page(path, b"<!DOCTYPE html><html><body><p>" + path.encode() + b"</p></body></html>")
    deep = tmp_path.joinpath(*["d" * 200] * 7)  # with it, the last address makes a path longer than Linux's 4,096
    with _fetcher(tmp_path, [], into=deep) as fetcher:
        summary = fetcher.fetch_all(site.base + path for path in paths)
        results = [fetcher.fetch_page(site.base + path) for path in paths]  # again: each is found where it was
    assert summary.counts["fetched"] == len(paths) and summary.failures == []
    saved = {result.path for result in results}
    assert len(saved) == len(paths) and {result.outcome for result in results} == {"unchanged"}
    assert [_saved_from(result.path) for result in results] == [site.base + path for path in paths]
    assert all(len(part) <= LONGEST_NAME + 40 for path in saved for part in path.relative_to(deep).parts)


def test_a_page_that_cannot_be_saved_fails_alone_and_the_run_goes_on(site, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / saved_path(site.base).parts[0]).write_text("a file where the site's folder goes")  # on both names
    _without_crawl_delay(site)
    second = Site()
    server, base = serve(second)
    second.page("/news/seed", (PAGES / "seed.html").read_bytes())
    try:
        result = CliRunner().invoke(app, ["fetch", site.base + "/news/seed", base + "/news/seed", "--into", str(folder),
                                          "--delay", "0", "--retries", "0"])  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1
    in_the_way = folder / saved_path(site.base).parts[0]
    assert f"{site.base}/news/seed: cannot be saved as a file in {folder} (File exists: {in_the_way})" in result.stderr
    assert "2 pages into" in result.stderr and "1 fetched" in result.stderr and "1 failed" in result.stderr
    assert _saved_from(folder / saved_path(base + "/news/seed")) == base + "/news/seed"
    assert not list(folder.rglob(".*.part"))


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=600))
def test_a_saved_name_is_bounded_never_hidden_and_stays_in_its_folder(path):
    for address in ("https://x.org/" + path, "https://x.org/a?" + path):
        for name in (saved_path(address), unique_path(address)):
            assert all(0 < len(part) <= LONGEST_NAME + 20 and not part.startswith(".") for part in name.parts[1:])
            assert ".." not in name.parts and not name.is_absolute() and name.suffix in (".html", ".htm")


# Sitemaps: one that fails is that sitemap's failure; a sitemap lists only its own host's pages.


def test_a_sitemap_that_cannot_be_read_fails_alone(site, tmp_path, monkeypatch):
    import iwfdb.fetch

    base = site.base
    monkeypatch.setattr(iwfdb.fetch, "MAX_SITEMAP_BYTES", 1024**2)
    site.page("/sitemap.xml", _index(base, [("/gone.xml", "2024-06-01"), ("/prose.xml", "2024-06-01"),
                                            ("/huge.xml", "2024-06-01"), ("/fine.xml", "2024-06-01")]))  # fmt: skip
    site.page("/prose.xml", b"this is not XML", headers={"Content-Type": "text/plain"})
    site.page("/huge.xml", _urlset(base, [("/news/contacts", "2024-01-01")]) + b" " * 1024**2)
    site.page("/fine.xml", _urlset(base, [("/news/seed", "2024-01-01")]))
    _without_crawl_delay(site)
    result = CliRunner().invoke(app, ["fetch", "--sitemap", base + "/sitemap.xml", "--into", str(tmp_path / "pages"),
                                      "--delay", "0", "--retries", "0"])
    assert result.exit_code == 1
    assert f"{base}/gone.xml: the sitemap could not be had (HTTP 404 Not Found)" in result.stderr
    assert f"{base}/prose.xml: not a sitemap: the XML cannot be read" in result.stderr
    assert f"{base}/huge.xml: larger than 1 MB, the sitemaps protocol's limit" in result.stderr
    assert "1 page into" in result.stderr and "1 fetched" in result.stderr
    assert "3 sitemaps could not be read" in result.stderr


def test_a_sitemap_lists_only_pages_of_its_own_host(site, tmp_path):
    other = site.base.replace("127.0.0.1", "localhost")
    urls = "".join(f"<url><loc>{address}</loc></url>" for address in (
        site.base + "/news/seed", other + "/news/seed", other + "/news/contacts", "ftp://127.0.0.1/x", "/news/byline"))
    site.page("/sitemap.xml", f"<urlset {NS}>{urls}</urlset>".encode())
    with _fetcher(tmp_path, []) as fetcher:
        listing = fetcher.sitemap_pages(site.base + "/sitemap.xml")
    assert listing.pages == [site.base + "/news/seed", site.base + "/news/byline"]
    host = site.base.removeprefix("http://")
    assert listing.notes == [f"{site.base}/sitemap.xml: 3 addresses not on its host {host} skipped (a sitemap may "
                             f"list only its own host's pages): localhost:{site.base.rpartition(':')[2]} (2), "
                             "127.0.0.1 (1)"]  # fmt: skip
    assert all(headers["host"] == host for _, headers in site.requests)


# Messages that say what is true.


@pytest.mark.parametrize("address", ["www.iwf.org.uk/sitemap.xml", "ftp://127.0.0.1/s.xml", "http://", "not an address",
                                     "http://exa mple.org/", "http://127.0.0.1:port/"])  # fmt: skip
@pytest.mark.parametrize("option", [[], ["--sitemap"]])
def test_an_address_that_is_not_http_is_a_usage_error_at_once(tmp_path, address, option):
    started = time.monotonic()
    result = CliRunner().invoke(app, ["fetch", *option, address, "--into", str(tmp_path), "--retries", "3"])
    assert result.exit_code == 2 and time.monotonic() - started < 1
    assert f"{'--sitemap' if option else 'URL'} {address!r}: not a web address" in result.stderr
    assert web_address_problem(address) is not None and not (tmp_path / INDEX_NAME).exists()


def test_a_site_that_is_down_says_so(tmp_path):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["fetch", "--sitemap", down + "/sitemap.xml", down + "/news/a", down + "/news/b",
                                      "--into", str(tmp_path), "--delay", "0", "--retries", "0"])  # fmt: skip
    assert result.exit_code == 1 and time.monotonic() - started < 3
    reason = f"cannot reach {down.removeprefix('http://')}: connection refused (1 attempt)"
    assert result.stderr.splitlines()[:3] == [f"{down}/sitemap.xml: {reason}", f"{down}/news/a: {reason}",
                                              f"{down}/news/b: {reason}"]  # fmt: skip
    assert "disallowed" not in result.stderr and "robots.txt could not be read" not in result.stderr


@pytest.mark.parametrize("text, said", [
    ("[Errno -2] Name or service not known", "no such host (its name does not resolve)"),
    ("[Errno -3] Temporary failure in name resolution", "no such host (its name does not resolve)"),
    ("[Errno 111] Connection refused", "connection refused"),
])  # fmt: skip
def test_why_a_site_cannot_be_reached_is_said_plainly(text, said):
    import httpx

    from iwfdb.download import _why_unreachable

    assert _why_unreachable(httpx.ConnectError(text), 3) == said
    assert _why_unreachable(httpx.ConnectTimeout(text), 3) == "no connection within 3 s"


def test_a_sitemap_gives_at_most_the_protocols_50000_entries(site, tmp_path, monkeypatch):
    import iwfdb.fetch
    from iwfdb.sitemaps import MAX_ENTRIES, parse_sitemap

    listed = parse_sitemap(_urlset("https://x.org", [(f"/{number}", "2024-01-01") for number in range(50_001)]), "s")
    assert MAX_ENTRIES == 50_000 and len(listed.pages) == 50_000 and listed.left_out == 1
    monkeypatch.setattr(iwfdb.sitemaps, "MAX_ENTRIES", 2)
    monkeypatch.setattr(iwfdb.fetch, "MAX_ENTRIES", 2)
    site.page("/sitemap.xml", _urlset(site.base, [("/news/seed", ""), ("/news/byline", ""), ("/news/contacts", "")]))
    with _fetcher(tmp_path, []) as fetcher:
        listing = fetcher.sitemap_pages(site.base + "/sitemap.xml")
    assert listing.pages == [site.base + "/news/seed", site.base + "/news/byline"]
    assert listing.notes == [f"{site.base}/sitemap.xml: lists 1 more than the protocol's 2 entries: those are left out"]

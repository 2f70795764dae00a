"""`iwfdb fetch` against a web site served by the test on 127.0.0.1: sitemaps, robots.txt, retries,
redirects, time-outs, conditional re-fetches; then the folder loads into the archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import rows
from site_server import Site, gzipped, serve
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.db import locate
from iwfdb.fetch import INDEX_NAME, Fetcher, FetchOptions, saved_path, with_saved_from
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


def _fetcher(tmp_path: Path, pauses: list[float]) -> Fetcher:
    options = FetchOptions(into=tmp_path / "pages", delay=0, timeout=0.3, retries=1, backoff=0.01)
    return Fetcher(options, sleep=pauses.append)  # pauses are recorded, not slept: the test stays fast


def test_a_sitemap_index_gives_the_matching_pages_changed_since_a_day(site, tmp_path):
    from datetime import date

    with _fetcher(tmp_path, []) as fetcher:
        pages = fetcher.sitemap_pages(site.base + "/sitemap.xml", match="/news/", since=date(2024, 1, 1))
    assert pages == [f"{site.base}/news/{name}" for name in NEWS]
    assert site.asked("/sitemaps/old.xml") == []  # the index says it has not changed since


def test_fetch_is_polite_and_says_what_became_of_each_page(site, tmp_path):
    pauses: list[float] = []
    with _fetcher(tmp_path, pauses) as fetcher:
        summary = fetcher.fetch_all(f"{site.base}/news/{name}" for name in NEWS)
    # moved and contacts are one page: saved once, the second time found unchanged
    assert summary.counts == {"fetched": 5, "unchanged": 1, "robots": 1, "not_html": 1, "failed": 2}
    assert sorted(summary.failures) == [
        f"{site.base}/news/missing: HTTP 404 Not Found",
        f"{site.base}/news/slow: no answer within 0.3 s (2 attempts)",
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
    assert contacts.startswith(b"<!doctype html>\n<!-- saved from url=(")
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

"""Downloading statement pages into a folder that `iwfdb load` reads, politely.

Polite by default: robots.txt is read first on each site and obeyed (its Crawl-delay too); one request
at a time, `delay` seconds apart at least; an honest User-Agent naming iwfdb and its version; time-outs,
5xx and 429 answers retried with a growing pause (or the pause `Retry-After` asks for); and a page
fetched before is asked for again only if it changed (ETag / Last-Modified, kept in the folder's index
file `.iwfdb-fetch.json`), so that a re-run costs the site almost nothing.

Each page is saved with its address in a `<!-- saved from url=(NNNN)... -->` comment after the doctype,
the form browsers use, which iwfdb.parse.html reads: a folder of saved pages loads the same anywhere,
with or without its index file. httpx is imported when a fetch starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from iwfdb import __version__
from iwfdb.config import DEFAULT_FETCH_DELAY, DEFAULT_FETCH_FOLDER, DEFAULT_FETCH_RETRIES, DEFAULT_FETCH_TIMEOUT
from iwfdb.errors import IwfdbError
from iwfdb.parse.html import looks_like_html
from iwfdb.sitemaps import Sitemap, SitemapEntry, SitemapError, parse_sitemap

INDEX_NAME = ".iwfdb-fetch.json"
DEFAULT_BACKOFF = 2.0  # seconds before the first retry; doubled for each one after
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
LONGEST_WAIT = 300.0  # a Retry-After longer than this is a failure, not a wait
MAX_REDIRECTS = 10
MAX_SITEMAPS = 1000
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?\s*<!doctype[^>]{0,500}>", re.IGNORECASE)
OUTCOMES = ("fetched", "unchanged", "robots", "not_html", "failed")


class FetchError(IwfdbError):
    """A download that failed for good (after its retries): the address and why."""


def user_agent() -> str:
    """`iwfdb/<version> (+<project address>)`: who is asking, and where to read about it."""
    from importlib import metadata

    try:
        addresses = metadata.metadata("iwfdb").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        addresses = []
    address = next((entry.partition(",")[2].strip() for entry in addresses), "")
    return f"iwfdb/{__version__} (+{address})" if address else f"iwfdb/{__version__}"


@dataclass(frozen=True)
class FetchOptions:
    """Where pages go and how gently they are asked for; tests use tiny delays and time-outs."""

    into: Path = Path(DEFAULT_FETCH_FOLDER)
    delay: float = DEFAULT_FETCH_DELAY
    timeout: float = DEFAULT_FETCH_TIMEOUT
    retries: int = DEFAULT_FETCH_RETRIES
    backoff: float = DEFAULT_BACKOFF
    user_agent: str = field(default_factory=user_agent)


@dataclass(frozen=True, slots=True)
class PageResult:
    """What became of one address: an outcome of OUTCOMES, the file it is saved in, and why it failed."""

    url: str
    outcome: str
    path: Path | None = None
    reason: str | None = None
    redirected_to: str | None = None


@dataclass
class FetchSummary:
    """Counts by outcome, and the failures and redirects as `address: reason` lines."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    failures: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)

    def add(self, result: PageResult) -> None:
        self.counts[result.outcome] += 1
        if result.reason and result.outcome == "failed":
            self.failures.append(f"{result.url}: {result.reason}")
        if result.redirected_to:
            self.redirects.append(f"{result.url} -> {result.redirected_to}")

    def to_dict(self) -> dict:
        return {"pages": dict(self.counts), "failures": list(self.failures), "redirects": list(self.redirects)}


class Fetcher:
    """One polite client: robots.txt per site, one request at a time, retries, conditional re-fetches."""

    def __init__(self, options: FetchOptions, sleep: Callable[[float], None] = time.sleep):
        import httpx

        self.options = options
        self.sleep = sleep
        self.client = httpx.Client(timeout=options.timeout, follow_redirects=False,
                                   headers={"User-Agent": options.user_agent})  # fmt: skip
        self.robots: dict[str, RobotFileParser] = {}
        self.robots_unread: dict[str, str] = {}  # site -> why its robots.txt could not be read
        self.next_request_at = 0.0
        self.index = _Index(options.into / INDEX_NAME)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
        self.index.save()

    def sitemap_pages(self, address: str, match: str | None = None, since: date | None = None) -> list[str]:
        """The page addresses a sitemap (or a sitemap index, followed down) lists, matching `match` (a regular
        expression searched in each address) and changed on or after `since` (an entry with no lastmod is kept)."""
        wanted = re.compile(match) if match else None
        pages: list[str] = []
        queue, seen = [address], set()
        while queue and len(seen) < MAX_SITEMAPS:
            current = queue.pop(0)
            if current not in seen:
                seen.add(current)
                listed = self._sitemap(current)
                queue += [urljoin(current, entry.url) for entry in listed.sitemaps if _changed_since(entry, since)]
                pages += [urljoin(current, entry.url) for entry in listed.pages if _changed_since(entry, since)]
        return [page for page in dict.fromkeys(pages) if wanted is None or wanted.search(page)]

    def _sitemap(self, address: str) -> Sitemap:
        if not self._allowed(address):
            raise SitemapError(f"{address}: the sitemap is disallowed by robots.txt")
        response = self._get(address, {})
        if response.status_code != 200:
            raise SitemapError(f"{address}: the sitemap could not be had ({_status_text(response)})")
        return parse_sitemap(response.content, address)

    def fetch_all(self, addresses: Iterable[str], on_page: Callable[[PageResult], None] | None = None) -> FetchSummary:
        """Each address fetched once, in order; the summary says what became of them."""
        summary = FetchSummary()
        try:
            for address in dict.fromkeys(addresses):
                result = self.fetch_page(address)
                summary.add(result)
                if on_page:
                    on_page(result)
        finally:
            self.index.save()
        return summary

    def fetch_page(self, address: str) -> PageResult:
        """Fetch one page (following redirects) and save it, unless it has not changed since the last time."""
        known = self.index.get(address)
        current, hops = address, 0
        try:
            while True:
                if not self._allowed(current):
                    return self._refused(address, current)
                response = self._get(current, _conditions(known, self.options.into))
                if response.status_code not in (301, 302, 303, 307, 308) or "location" not in response.headers:
                    break
                hops += 1
                if hops > MAX_REDIRECTS:
                    return PageResult(address, "failed", reason=f"more than {MAX_REDIRECTS} redirects")
                current = urljoin(current, response.headers["location"])
        except FetchError as error:
            return PageResult(address, "failed", reason=str(error))
        return self._keep(address, current if hops else None, response, known)

    def _keep(self, address: str, redirected_to: str | None, response, known: dict | None) -> PageResult:
        final = redirected_to or address
        if response.status_code == 304 and known:
            return PageResult(address, "unchanged", self.options.into / known["path"], redirected_to=redirected_to)
        if response.status_code != 200:
            return PageResult(address, "failed", reason=_status_text(response), redirected_to=redirected_to)
        kind = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml") and not (not kind and looks_like_html(response.content)):
            return PageResult(address, "not_html", reason=f"{kind or 'no content type'}, not a web page")
        data = with_saved_from(response.content, final)
        digest = hashlib.sha256(data).hexdigest()
        path = self.options.into / saved_path(final)
        outcome = "unchanged" if _holds(path, digest) else "fetched"
        if outcome == "fetched":
            _write_atomically(path, data)
        self.index.put(address, path.relative_to(self.options.into), final, response.headers, digest)
        return PageResult(address, outcome, path, redirected_to=redirected_to)

    def _refused(self, address: str, current: str) -> PageResult:
        """Disallowed by the site's robots.txt, or failed: a robots.txt that cannot be read forbids everything
        (RFC 9309), and a site that is down or broken is a failure to report, not the site's wish."""
        unread = self.robots_unread.get(_site(current))
        if unread:
            return PageResult(address, "failed", reason=f"its site's robots.txt could not be read ({unread}): "
                                                         "nothing is fetched from the site until it can")  # fmt: skip
        return PageResult(address, "robots", reason=f"{current} is disallowed by robots.txt")

    def _allowed(self, address: str) -> bool:
        return self._robots_of(address).can_fetch(self.options.user_agent, address)

    def _robots_of(self, address: str) -> RobotFileParser:
        """The site's robots.txt rules: none when it has none (4xx), all forbidden when it cannot be read (RFC 9309)."""
        site = _site(address)
        if site not in self.robots:
            rules = RobotFileParser(site + "/robots.txt")
            try:
                response = self._get(site + "/robots.txt", {}, check_robots=False)
            except FetchError as error:
                response, self.robots_unread[site] = None, str(error)
            if response is not None and response.status_code == 200:
                rules.parse(response.text.splitlines())
            elif response is not None and 400 <= response.status_code < 500:
                rules.allow_all = True
            else:
                rules.disallow_all = True
                if response is not None:
                    self.robots_unread[site] = _status_text(response)
            self.robots[site] = rules
        return self.robots[site]

    def _get(self, address: str, headers: dict, check_robots: bool = True):
        """One GET, paced and retried; FetchError once the retries are spent on time-outs or broken connections."""
        import httpx

        problem = "no attempt"
        for attempt in range(self.options.retries + 1):
            self._wait_turn(address, check_robots)
            try:
                response = self.client.get(address, headers=headers)
            except httpx.TimeoutException:
                problem = f"no answer within {self.options.timeout:g} s"
            except httpx.HTTPError as error:
                problem = f"cannot connect ({error.__class__.__name__}: {error})"
            else:
                if response.status_code not in RETRY_STATUSES or attempt == self.options.retries:
                    return response
                pause = _retry_after(response)
                if pause is not None and pause > LONGEST_WAIT:
                    return response
                problem = _status_text(response)
                self.sleep(pause if pause is not None else self.options.backoff * 2**attempt)
                continue
            if attempt < self.options.retries:
                self.sleep(self.options.backoff * 2**attempt)
        raise FetchError(f"{problem} ({self.options.retries + 1} attempts)")

    def _wait_turn(self, address: str, check_robots: bool) -> None:
        """Sleep until the delay since the last request (or the site's Crawl-delay, if longer) has passed."""
        delay = self.options.delay
        if check_robots:
            crawl_delay = self._robots_of(address).crawl_delay(self.options.user_agent)
            delay = max(delay, float(crawl_delay or 0))
        wait = self.next_request_at + delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self.next_request_at = time.monotonic()


class _Index:
    """The folder's record of what was fetched: per address, its file, final address and validators."""

    def __init__(self, path: Path):
        self.path = path
        self.pages: dict[str, dict] = {}
        self.changed = False
        try:
            self.pages = json.loads(path.read_text(encoding="utf-8")).get("pages", {})
        except (OSError, ValueError, AttributeError):
            self.pages = {}  # no index yet, or an unreadable one: every page is fetched whole

    def get(self, address: str) -> dict | None:
        return self.pages.get(address)

    def put(self, address: str, path: Path, final: str, headers, digest: str) -> None:
        self.pages[address] = {
            "path": path.as_posix(), "url": final, "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"), "sha256": digest,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }  # fmt: skip
        self.changed = True

    def save(self) -> None:
        if self.changed:
            _write_atomically(self.path, json.dumps({"version": 1, "pages": self.pages}, indent=1).encode())
            self.changed = False


def _holds(path: Path, digest: str) -> bool:
    """Whether the file is there with these very bytes (a site without validators, or two addresses of one page)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _changed_since(entry: SitemapEntry, since: date | None) -> bool:
    return since is None or entry.lastmod is None or entry.lastmod >= since


def _conditions(known: dict | None, into: Path) -> dict:
    """If-None-Match / If-Modified-Since for a page fetched before whose file is still there."""
    if not known or not (into / known["path"]).exists():
        return {}
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    return headers


def _retry_after(response) -> float | None:
    """The pause a 429 or 503 answer asks for (seconds or an HTTP date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def _site(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def _status_text(response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def saved_path(address: str) -> Path:
    """Where a page is saved, under the fetch folder: host, then the address's path; `.html` added."""
    parts = urlsplit(address)
    host = SAFE_NAME.sub("_", parts.netloc.lower()) or "no-host"
    segments = [_safe(segment) for segment in unquote(parts.path).split("/") if segment not in ("", ".", "..")]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    stem, extension = os.path.splitext(segments[-1])
    if extension.lower() not in (".html", ".htm"):
        stem, extension = segments[-1], ".html"
    if parts.query:
        stem += "_" + hashlib.sha1(parts.query.encode()).hexdigest()[:10]
    return Path(host, *segments[:-1], stem + extension)


def _safe(segment: str) -> str:
    """A path segment as a file name: no separators or odd characters, never hidden (a load skips those)."""
    name = SAFE_NAME.sub("_", segment)[:120]
    return "_" + name if name.startswith(".") else name


def with_saved_from(data: bytes, address: str) -> bytes:
    """The page with a `<!-- saved from url=(NNNN)address -->` comment after its doctype (at the top if none)."""
    comment = f"<!-- saved from url=({len(address):04d}){address} -->\n".encode()
    doctype = DOCTYPE.match(data)
    if doctype:
        return data[: doctype.end()] + b"\n" + comment + data[doctype.end() :].lstrip(b"\r\n")
    return comment + data


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, path)

"""Downloading statement pages into a folder that `iwfdb load` reads, politely.

Polite by default: robots.txt is read first on each site and obeyed (its Crawl-delay too); one request
at a time, `delay` seconds apart at least; an honest User-Agent naming iwfdb and its version; time-outs,
5xx and 429 answers retried with a growing pause (or the pause `Retry-After` asks for); and a page
fetched before is asked for again only if it changed (ETag / Last-Modified, kept in the folder's index
file `.iwfdb-fetch.json`), so that a re-run costs the site almost nothing. Every answer is bounded (see
iwfdb.download): a page by `max_size`, a sitemap by the protocol's 50 MB, a robots.txt by RFC 9309's 500 KiB
(what lies past it is ignored); and a sitemap lists only pages of its own host.

Each page is saved with its address in a `<!-- saved from url=(NNNN)... -->` comment after the doctype,
the form browsers use, which iwfdb.parse.html reads, and with the charset its HTTP header gave as a
`<meta http-equiv="Content-Type">`, the header's stand-in in a page: a folder of saved pages loads the same
anywhere, with or without its index file. httpx is imported when a fetch starts.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from iwfdb import __version__
from iwfdb.config import (
    DEFAULT_FETCH_DELAY,
    DEFAULT_FETCH_FOLDER,
    DEFAULT_FETCH_RETRIES,
    DEFAULT_FETCH_TIMEOUT,
    DEFAULT_MAX_SIZE,
)
from iwfdb.download import REDIRECTS, Answer, BadAnswer, FetchError, HttpClient, TooLarge, Unreachable
from iwfdb.parse.html import looks_like_html
from iwfdb.sitemaps import MAX_ENTRIES, MAX_SITEMAP_BYTES, Sitemap, SitemapEntry, SitemapError, parse_sitemap

INDEX_NAME = ".iwfdb-fetch.json"
DEFAULT_BACKOFF = 2.0  # seconds before the first retry; doubled for each one after
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
LONGEST_WAIT = 300.0  # a Retry-After longer than this is a failure, not a wait
MAX_REDIRECTS = 10
MAX_SITEMAPS = 1000
ROBOTS_LIMIT = 500 * 1024  # RFC 9309: a crawler reads at least 500 KiB of robots.txt; the rest is ignored
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
LONGEST_NAME = 120  # characters of a file or folder name taken from an address
DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?\s*<!doctype[^>]{0,500}>", re.IGNORECASE)
HTML_TAG = re.compile(rb"<html(?:\s[^>]{0,2000})?>", re.IGNORECASE)
CHARSET_NAME = re.compile(r"[A-Za-z0-9._:-]{1,40}")
BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# What a file system says of a name it cannot take: too long, or a file where a folder must be (or the reverse).
NAME_ERRORS = frozenset({errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EEXIST})
OUTCOMES = ("fetched", "unchanged", "robots", "not_html", "failed")


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
    """Where pages go, how large one may be, and how gently they are asked for; tests use tiny delays and time-outs."""

    into: Path = Path(DEFAULT_FETCH_FOLDER)
    delay: float = DEFAULT_FETCH_DELAY
    timeout: float = DEFAULT_FETCH_TIMEOUT
    retries: int = DEFAULT_FETCH_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_size: int = DEFAULT_MAX_SIZE
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
class SitemapListing:
    """The pages sitemaps list, the sitemaps that could not be read (`address: reason`), and notes on what
    was left out (addresses on other hosts)."""

    pages: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: SitemapListing) -> None:
        self.pages += other.pages
        self.failures += other.failures
        self.notes += other.notes


@dataclass
class FetchSummary:
    """Counts by outcome, and the failures and redirects as `address: reason` lines; the sitemaps' too."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    failures: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    sitemaps: SitemapListing = field(default_factory=SitemapListing)

    def add(self, result: PageResult) -> None:
        self.counts[result.outcome] += 1
        if result.reason and result.outcome == "failed":
            self.failures.append(f"{result.url}: {result.reason}")
        if result.redirected_to:
            self.redirects.append(f"{result.url} -> {result.redirected_to}")

    @property
    def failed(self) -> bool:
        return bool(self.failures or self.sitemaps.failures)

    def to_dict(self) -> dict:
        return {
            "pages": dict(self.counts),
            "failures": list(self.failures),
            "redirects": list(self.redirects),
            "sitemap_failures": list(self.sitemaps.failures),
            "notes": list(self.sitemaps.notes),
        }


def web_address_problem(address: str) -> str | None:
    """What keeps `address` from being a web page's address (None when it is one): fetch takes http(s) only."""
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 (a port that is not a number raises ValueError here)
    except ValueError as error:
        return f"not a web address ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return "not a web address: expected one starting http:// or https:// (e.g. https://www.iwf.org.uk/)"
    if not parts.hostname or re.search(r"[\s\x00-\x1f\x7f]", address):
        return "not a web address: no host, or blank space or control characters in it"
    return None


class Fetcher:
    """Pages and sitemaps from their addresses, politely (see Politeness), into the folder (see PageSaver)."""

    def __init__(self, options: FetchOptions, sleep: Callable[[float], None] = time.sleep):
        self.options = options
        self.polite = Politeness(options, sleep)
        self.saver = PageSaver(options.into)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.polite.close()
        self.saver.index.save()

    def sitemap_pages(self, address: str, match: str | None = None, since: date | None = None) -> SitemapListing:
        """The page addresses a sitemap (or a sitemap index, followed down) lists, matching `match` (a regular
        expression searched in each address) and changed on or after `since` (an entry with no lastmod is kept).
        A sitemap that cannot be read is a failure of its own: the others are read all the same."""
        wanted = re.compile(match) if match else None
        listing = SitemapListing()
        queue, seen = [address], set[str]()
        while queue and len(seen) < MAX_SITEMAPS:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            try:
                listed = self._sitemap(current)
            except SitemapError as error:
                listing.failures.append(str(error))
                continue
            if listed.left_out:
                listing.notes.append(
                    f"{current}: lists {listed.left_out} more than the protocol's {MAX_ENTRIES} "
                    "entries: those are left out"
                )
            queue += _own_addresses(current, listed.sitemaps, since, listing.notes)
            listing.pages += _own_addresses(current, listed.pages, since, listing.notes)
        if queue:
            listing.notes.append(
                f"{address}: {len(set(queue) - seen)} more sitemaps not read (at most {MAX_SITEMAPS} are followed)"
            )
        listing.pages = [page for page in dict.fromkeys(listing.pages) if wanted is None or wanted.search(page)]
        return listing

    def _sitemap(self, address: str) -> Sitemap:
        refusal = self.polite.refusal(address)
        if refusal:
            outcome, reason = refusal
            raise SitemapError(
                f"{address}: the sitemap is disallowed by robots.txt" if outcome == "robots" else f"{address}: {reason}"
            )
        try:
            answer = self.polite.get(address, {}, MAX_SITEMAP_BYTES)
        except TooLarge:
            raise SitemapError(
                f"{address}: larger than {MAX_SITEMAP_BYTES // 1024**2} MB, the sitemaps protocol's limit"
            ) from None
        except FetchError as error:
            raise SitemapError(f"{address}: {error}") from None
        if answer.status != 200:
            raise SitemapError(f"{address}: the sitemap could not be had ({answer.status_text})")
        return parse_sitemap(answer.body, address)

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
            self.saver.index.save()
        return summary

    def fetch_page(self, address: str) -> PageResult:
        """Fetch one page (following redirects) and save it, unless it has not changed since the last time."""
        known = self.saver.index.get(address)
        current, hops = address, 0
        try:
            while True:
                refusal = self.polite.refusal(current)
                if refusal:
                    return PageResult(address, refusal[0], reason=refusal[1])
                answer = self.polite.get(current, _conditions(known, self.options.into), self.options.max_size)
                if answer.status not in REDIRECTS or "location" not in answer.headers:
                    break
                hops += 1
                current = urljoin(current, answer.headers["location"])
                problem = web_address_problem(current)
                if hops > MAX_REDIRECTS:
                    problem = f"more than {MAX_REDIRECTS} redirects"
                if problem:
                    return PageResult(address, "failed", reason=f"redirected to {current}: {problem}")
        except TooLarge as error:
            return PageResult(address, "failed", reason=f"larger than --max-size ({error.limit} bytes): not saved")
        except FetchError as error:
            return PageResult(address, "failed", reason=str(error))
        return self._keep(address, current if hops else None, answer, known)

    def _keep(self, address: str, redirected_to: str | None, answer: Answer, known: dict | None) -> PageResult:
        if answer.status == 304 and known:
            return PageResult(address, "unchanged", self.options.into / known["path"], redirected_to=redirected_to)
        if answer.status != 200:
            return PageResult(address, "failed", reason=answer.status_text, redirected_to=redirected_to)
        kind = answer.headers.get("content-type", "").partition(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml") and not (not kind and looks_like_html(answer.body)):
            return PageResult(address, "not_html", reason=f"{kind or 'no content type'}, not a web page")
        return self.saver.save(address, redirected_to, answer)


class Politeness:
    """The client's manners: each site's robots.txt (and its Crawl-delay) obeyed, one request at a time at
    least `delay` apart, and time-outs, broken connections, 5xx and 429 tried again after a growing pause."""

    def __init__(self, options: FetchOptions, sleep: Callable[[float], None]):
        self.options = options
        self.sleep = sleep
        self.http = HttpClient(options.timeout, options.user_agent)
        self.robots: dict[str, RobotFileParser] = {}
        self.robots_unread: dict[str, FetchError] = {}  # site -> why its robots.txt could not be read
        self.next_request_at = 0.0

    def close(self) -> None:
        self.http.close()

    def refusal(self, address: str) -> tuple[str, str] | None:
        """None when robots.txt allows the address; else its outcome and why: disallowed, or failed because a
        robots.txt that cannot be read forbids everything (RFC 9309), and a site that is down or broken is a
        failure to report, not the site's wish."""
        if self._robots_of(address).can_fetch(self.options.user_agent, address):
            return None
        unread = self.robots_unread.get(_site(address))
        if isinstance(unread, Unreachable):
            return "failed", str(unread)
        if unread:
            return "failed", (
                f"its site's robots.txt could not be read ({unread}): nothing is fetched from the site until it can"
            )
        return "robots", f"{address} is disallowed by robots.txt"

    def _robots_of(self, address: str) -> RobotFileParser:
        """The site's robots.txt rules: none when it has none (4xx), all forbidden when it cannot be read."""
        site = _site(address)
        if site not in self.robots:
            rules = RobotFileParser(site + "/robots.txt")
            try:
                answer = self.get(site + "/robots.txt", {}, ROBOTS_LIMIT, truncate=True, paced_by_robots=False)
            except FetchError as error:
                answer, self.robots_unread[site] = None, error
            if answer is not None and answer.status == 200:
                rules.parse(_robots_lines(answer.body))
            elif answer is not None and 400 <= answer.status < 500:
                rules.allow_all = True  # type: ignore[attr-defined]  # RobotFileParser's own flag, not in typeshed
            else:
                rules.disallow_all = True  # type: ignore[attr-defined]  # RobotFileParser's own flag, not in typeshed
                if answer is not None:
                    self.robots_unread[site] = FetchError(answer.status_text)
            self.robots[site] = rules
        return self.robots[site]

    def get(
        self, address: str, headers: dict, limit: int, *, truncate: bool = False, paced_by_robots: bool = True
    ) -> Answer:
        """One GET, paced and retried; the last FetchError once the retries are spent (a BadAnswer at once)."""
        problem, pause = FetchError("no attempt"), 0.0
        for attempt in range(self.options.retries + 1):
            if attempt:
                self.sleep(pause)
            self._wait_turn(address, paced_by_robots)
            try:
                answer = self.http.get(address, headers, limit, truncate=truncate)
            except BadAnswer:
                raise
            except FetchError as error:
                problem, pause = error, self.options.backoff * 2**attempt
                continue
            wanted = _retry_after(answer)
            if answer.status not in RETRY_STATUSES or attempt == self.options.retries or (wanted or 0) > LONGEST_WAIT:
                return answer
            problem = FetchError(answer.status_text)
            pause = self.options.backoff * 2**attempt if wanted is None else wanted
        attempts = self.options.retries + 1
        raise type(problem)(f"{problem} ({attempts} {'attempt' if attempts == 1 else 'attempts'})")

    def _wait_turn(self, address: str, paced_by_robots: bool) -> None:
        """Sleep until the delay since the last request (or the site's Crawl-delay, if longer) has passed."""
        delay = self.options.delay
        if paced_by_robots:
            crawl_delay = self._robots_of(address).crawl_delay(self.options.user_agent)
            delay = max(delay, float(crawl_delay or 0))
        wait = self.next_request_at + delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self.next_request_at = time.monotonic()


class PageSaver:
    """Pages into the folder, each under a name its address gives, and the folder's index of them."""

    def __init__(self, into: Path):
        self.into = into
        self.index = _Index(into / INDEX_NAME)

    def save(self, address: str, redirected_to: str | None, answer: Answer) -> PageResult:
        """The page written (unless the file holds it already); a file that cannot be written is this page's
        failure, not the run's."""
        final = redirected_to or address
        data = with_saved_from(answer.body, final, answer.charset)
        digest = hashlib.sha256(data).hexdigest()
        try:
            relative, outcome = self._place(final, data, digest)
        except OSError as error:
            where = f"{error.strerror}: {error.filename}" if error.filename else str(error)
            return PageResult(
                address,
                "failed",
                reason=f"cannot be saved as a file in {self.into} ({where})",
                redirected_to=redirected_to,
            )
        self.index.put(address, relative, final, answer.headers, digest)
        return PageResult(address, outcome, self.into / relative, redirected_to=redirected_to)

    def _place(self, final: str, data: bytes, digest: str) -> tuple[Path, str]:
        """The page under the name its address gives; under a name made unique by a hash of the address when
        another page has that name, or the file system refuses it (too long, or a file where a folder is)."""
        relative = saved_path(final)
        if self.index.holder(relative) in (None, final):
            try:
                return relative, self._put(relative, data, digest)
            except OSError as error:
                if error.errno not in NAME_ERRORS:
                    raise
        relative = unique_path(final)
        return relative, self._put(relative, data, digest)

    def _put(self, relative: Path, data: bytes, digest: str) -> str:
        path = self.into / relative
        if _holds(path, digest):
            return "unchanged"
        _write_atomically(path, data)
        return "fetched"


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
        self.holders = {entry.get("path"): entry.get("url") for entry in self.pages.values() if isinstance(entry, dict)}

    def get(self, address: str) -> dict | None:
        return self.pages.get(address)

    def holder(self, path: Path) -> str | None:
        """The (final) address of the page saved in this file, if one is."""
        return self.holders.get(path.as_posix())

    def put(self, address: str, path: Path, final: str, headers, digest: str) -> None:
        self.pages[address] = {
            "path": path.as_posix(),
            "url": final,
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "sha256": digest,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.holders[path.as_posix()] = final
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


def _own_addresses(sitemap: str, entries: Iterable[SitemapEntry], since: date | None, notes: list[str]) -> list[str]:
    """The addresses of the entries changed since `since` that are on the sitemap's own host (the sitemaps
    protocol lets a sitemap list no others); the others are left out, with one note naming their hosts."""
    own_host = _host(sitemap)
    kept, others = [], Counter[str]()
    for entry in entries:
        if _changed_since(entry, since):
            address = urljoin(sitemap, entry.url)
            if web_address_problem(address) is None and _host(address) == own_host:
                kept.append(address)
            else:
                others[_host(address) or "addresses that are not web addresses"] += 1
    if others:
        hosts = ", ".join(f"{host} ({count})" for host, count in others.most_common(5))
        more = f" and {len(others) - 5} more hosts" if len(others) > 5 else ""
        notes.append(
            f"{sitemap}: {others.total()} addresses not on its host {own_host} skipped (a sitemap may list "
            f"only its own host's pages): {hosts}{more}"
        )
    return kept


def _changed_since(entry: SitemapEntry, since: date | None) -> bool:
    return since is None or entry.lastmod is None or entry.lastmod >= since


def _robots_lines(body: bytes) -> list[str]:
    """robots.txt's lines (UTF-8, RFC 9309); a body cut at ROBOTS_LIMIT loses its last, partial line."""
    if len(body) >= ROBOTS_LIMIT:
        body = body[: body.rfind(b"\n") + 1]
    return body.decode("utf-8", "replace").splitlines()


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


def _retry_after(answer: Answer) -> float | None:
    """The pause a 429 or 503 answer asks for (seconds or an HTTP date), or None."""
    value = answer.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _site(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def _host(address: str) -> str:
    """The host (and port) of an address, without the user name a netloc may carry."""
    return urlsplit(address).netloc.rpartition("@")[2].lower()


def saved_path(address: str) -> Path:
    """Where a page is saved, under the fetch folder: host, then the address's path; `.html` added."""
    parts = urlsplit(address)
    host = _safe(_host(address)) or "no-host"
    segments = [_safe(segment) for segment in unquote(parts.path).split("/") if segment not in ("", ".", "..")]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    stem, extension = os.path.splitext(segments[-1])
    if extension.lower() not in (".html", ".htm"):
        stem, extension = segments[-1], ".html"
    if parts.query:
        stem += "_" + hashlib.sha1(parts.query.encode()).hexdigest()[:10]
    return Path(host, *segments[:-1], stem + extension)


def unique_path(address: str) -> Path:
    """A name of bounded length in the host's folder that no other address has: the start of the usual one,
    flattened, and a hash of the address (for a name another page has, or one the file system refuses)."""
    usual = saved_path(address)
    start = "_".join(usual.with_suffix("").parts[1:])[: LONGEST_NAME // 2]
    return Path(usual.parts[0], f"{start}_{hashlib.sha256(address.encode()).hexdigest()[:16]}.html")


def _safe(segment: str) -> str:
    """A path segment as a file name: no separators or odd characters, never hidden (a load skips those)."""
    name = SAFE_NAME.sub("_", segment)[:LONGEST_NAME]
    return "_" + name if name.startswith(".") else name


def with_saved_from(data: bytes, address: str, charset: str | None = None) -> bytes:
    """The page with a `<!-- saved from url=(NNNN)address -->` comment after its doctype (at the top if none),
    and the charset of its HTTP header as a `<meta http-equiv>` before that (see _charset_meta)."""
    comment = f"<!-- saved from url=({len(address):04d}){address} -->\n".encode()
    meta = _charset_meta(data, charset)
    doctype = DOCTYPE.match(data)
    if doctype:
        return data[: doctype.end()] + b"\n" + meta + comment + data[doctype.end() :].lstrip(b"\r\n")
    html = HTML_TAG.search(data, 0, 4096) if meta else None
    if html:
        return comment + data[: html.end()] + meta + data[html.end() :]
    return comment + data


def _charset_meta(data: bytes, charset: str | None) -> bytes:
    """The header's charset where a saved page keeps it: a saved file has no HTTP header, and the header
    outranks the page's own <meta charset> (a byte-order mark outranks both; a name no codec knows is ignored,
    as a browser ignores it). It goes first, so that a load finds it before the page's own."""
    if not charset or data.startswith(BYTE_ORDER_MARKS) or not CHARSET_NAME.fullmatch(charset):
        return b""
    try:
        codecs.lookup(charset)
    except LookupError:
        return b""
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'.encode()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with suppress(OSError):
            temporary.unlink()
        raise

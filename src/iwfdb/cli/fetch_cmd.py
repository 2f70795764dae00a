"""`iwfdb fetch`: statement pages from a web site into a folder, politely; `--load` archives them too."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from iwfdb.cli.app import app
from iwfdb.cli.load_cmd import run_load
from iwfdb.config import (
    DEFAULT_FETCH_DELAY,
    DEFAULT_FETCH_FOLDER,
    DEFAULT_FETCH_RETRIES,
    DEFAULT_FETCH_TIMEOUT,
    DEFAULT_GLOBS,
    DEFAULT_MAX_SIZE,
)
from iwfdb.errors import UsageError
from iwfdb.render import visible
from iwfdb.terminal import tell


@app.command("fetch")
def fetch_command(
    ctx: typer.Context,
    urls: Annotated[list[str] | None, typer.Argument(help="Pages to fetch.", metavar="[URL]...")] = None,
    sitemaps: Annotated[
        list[str] | None,
        typer.Option(
            "--sitemap", metavar="URL", help="A sitemap or sitemap index (gzipped or not) listing pages (repeatable)."
        ),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option(
            "--match", metavar="REGEX", help="Only sitemap pages whose address contains a match (e.g. /news/)."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only sitemap pages changed on or after this day (YYYY-MM-DD)."),
    ] = None,
    into: Annotated[Path, typer.Option("--into", help="The folder pages are saved in.")] = Path(DEFAULT_FETCH_FOLDER),
    delay: Annotated[
        float, typer.Option("--delay", min=0, help="Seconds between requests, at least (robots.txt may ask for more).")
    ] = DEFAULT_FETCH_DELAY,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds a request may take, its whole answer included.")
    ] = DEFAULT_FETCH_TIMEOUT,
    retries: Annotated[
        int, typer.Option("--retries", min=0, help="Tries more after a time-out or a 5xx.")
    ] = DEFAULT_FETCH_RETRIES,
    max_size: Annotated[
        str, typer.Option("--max-size", metavar="SIZE", help="A page larger than this fails, unsaved (e.g. 16MB).")
    ] = f"{DEFAULT_MAX_SIZE // 1024**2}MB",
    load: Annotated[bool, typer.Option("--load", help="Then load the folder into the archive.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; failures only.")] = False,
) -> None:
    """Download statement pages into a folder that `iwfdb load` reads (or --load does it).

    Polite: robots.txt (and its Crawl-delay) obeyed, one request at a time, --delay seconds apart,
    a User-Agent naming iwfdb, retries with growing pauses, and a page fetched before is downloaded
    again only if the site says it changed. Each page keeps its address in a `saved from url` comment,
    and the charset its server gave. Every answer is bounded: --max-size, and --timeout for the whole of it.
    Exit status: 0 when every page was fetched (or unchanged, or skipped), 1 when a page or sitemap failed, 2 for a
    usage error, 130 when interrupted (what was fetched is kept).

    Example: iwfdb fetch --sitemap https://www.iwf.org.uk/sitemap.xml --match /news/ --since 2024-01-01 --load
    """
    from iwfdb.fetch import Fetcher, FetchOptions, SitemapListing

    if not urls and not sitemaps:
        raise UsageError("nothing to fetch: give page addresses, or --sitemap URL")
    wanted_since = _day(since)
    _check_pattern(match)
    _check_addresses(urls or [], sitemaps or [])
    options = FetchOptions(into=into, delay=delay, timeout=timeout, retries=retries, max_size=_limit(max_size))
    try:
        with Fetcher(options) as fetcher:
            listing = SitemapListing(pages=list(urls or []))
            for sitemap in sitemaps or []:
                listing.extend(_told(fetcher.sitemap_pages(sitemap, match, wanted_since), quiet))
            with ExitStack() as stack:
                show = _Progress(stack, progress=not quiet and sys.stderr.isatty(), total=len(listing.pages))
                summary = fetcher.fetch_all(listing.pages, on_page=show.page_done)
                summary.sitemaps = listing
    except KeyboardInterrupt:
        tell(
            f"interrupted: the pages fetched so far are in {into}; the same command goes on from there "
            "(pages already fetched are only asked whether they changed)"
        )
        raise typer.Exit(130) from None
    if not (quiet or as_json):
        tell(*_summary(summary, into))
    from iwfdb.db import locate

    database = locate(ctx.obj["db"])
    report = None
    if load:
        report = run_load(database, [str(into)], quiet=quiet or as_json, as_json=False, glob=DEFAULT_GLOBS)
    if as_json:
        loaded = {"load": {"database": str(database), **report.to_dict()}} if report else {}
        typer.echo(json.dumps({"folder": str(into), "fetch": summary.to_dict(), **loaded}, indent=2))
    if summary.failed or (report is not None and report.failures):
        raise typer.Exit(1)


def _check_addresses(urls: list[str], sitemaps: list[str]) -> None:
    from iwfdb.fetch import web_address_problem

    for given, option in [*((url, "URL") for url in urls), *((sitemap, "--sitemap") for sitemap in sitemaps)]:
        problem = web_address_problem(given)
        if problem:
            raise UsageError(f"{option} {given!r}: {problem}")


def _limit(text: str) -> int:
    from iwfdb.files import parse_size

    size = parse_size(text)
    if not size:
        raise UsageError(f"--max-size {text!r}: fetch needs a limit, every answer is bounded (e.g. 16MB)")
    return size


def _told(listing, quiet: bool):
    """A sitemap's listing, its failures told at once (and its notes, unless quiet)."""
    tell(*listing.failures, *([] if quiet else (f"note: {note}" for note in listing.notes)))
    return listing


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r}: not a day; write it YYYY-MM-DD (for example 2024-01-31)") from None


def _check_pattern(pattern: str | None) -> None:
    import re

    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise UsageError(f"--match {pattern!r}: not a regular expression ({error})") from None


class _Progress:
    """A progress bar on stderr at a terminal; each failure as `address: reason` either way."""

    def __init__(self, stack: ExitStack, progress: bool, total: int):
        self.bar = self.task = None
        if progress:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = stack.enter_context(Progress(console=Console(stderr=True), transient=True))
            self.task = self.bar.add_task("fetching", total=total)

    def page_done(self, result) -> None:
        if result.outcome == "failed":
            message = f"{result.url}: {result.reason}"
            if self.bar is not None:
                self.bar.console.print(visible(message), markup=False, highlight=False)
            else:
                tell(message)
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)


def _summary(summary, into: Path) -> list[str]:
    counts = summary.counts
    pages = sum(counts.values())
    line = (
        f"{pages} {'page' if pages == 1 else 'pages'} into {into}: {counts['fetched']} fetched, "
        f"{counts['unchanged']} unchanged, {counts['robots']} skipped by robots.txt, "
        f"{counts['not_html']} not HTML, {counts['failed']} failed"
    )
    if summary.sitemaps.failures:
        unread = len(summary.sitemaps.failures)
        line += f"; {unread} {'sitemap' if unread == 1 else 'sitemaps'} could not be read"
    if not summary.redirects:
        return [line]
    return [
        line,
        f"{len(summary.redirects)} redirected (the page is saved under its new address):",
        *(f"  {redirect}" for redirect in summary.redirects),
    ]

"""What changed, on the web page: a statement's versions, the difference between two of them, and Atom feeds.

Its own plugin, registered beside iwfdb's (server.py). Every answer comes from the query layer, as `iwfdb diff`
and `iwfdb feed` give it (the same word-by-word difference, the same feed builders), through iwfdb's door on the
served file, in Datasette's threads. Archive text reaches the page through Jinja's autoescape, its control and
direction characters written out first (atom.xml_safe); the feeds are escaped by their builder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

from datasette import Response, hookimpl
from datasette.utils.asgi import BadRequest, NotFound

from iwfdb.datasette.metadata import DATABASE
from iwfdb.db import Archive, Purpose, open_archive
from iwfdb.db.copy import read_about
from iwfdb.db.location import SQLITE, Location
from iwfdb.errors import NotFoundError, UsageError
from iwfdb.query import list_versions, statement_diff
from iwfdb.query.atom import atom_document, xml_safe
from iwfdb.query.feeds import MAX_ENTRIES, changed_statements_feed, new_statements_feed, search_feed, speaker_feed
from iwfdb.query.people import speaker_by_id

FEEDS = f"/{DATABASE}/-/feeds"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
SEARCH_MAX_CHARACTERS = 200
ID = r"\d{1,18}"  # an id of a row: SQLite's integers end at 2**63 - 1 (a longer number names no page)
# Feeds every page of the archive offers (a person's page and a search add their own).
ARCHIVE_FEEDS = (("New statements", f"{FEEDS}/new.atom"), ("Changed statements", f"{FEEDS}/changed.atom"))
# A row page of these tables offers the feed of what its person or organisation said: {table: (title, kind)}.
SPEAKER_FEEDS = {
    "people": ("This person's quotes", "person"),
    "organisations": ("This organisation's quotes", "organisation"),
}
Answer = TypeVar("Answer")


@hookimpl
def register_routes():
    return [
        (rf"^/{DATABASE}/statements/(?P<statement>{ID})/changes$", changes_page),
        (rf"^{FEEDS}/(?P<feed>new|changed)\.atom$", archive_feed),
        (rf"^{FEEDS}/(?P<kind>person|organisation)/(?P<id>{ID})\.atom$", speaker_quotes_feed),
        (rf"^{FEEDS}/search\.atom$", found_feed),
    ]


async def changes_page(datasette, request) -> Response:
    """/iwfdb/statements/ID/changes[?revision=R][&to=T]: what changed from revision R (default: the latest) to
    revision T (default: the current text), word by word, and the statement's versions."""
    statement = request.url_vars["statement"]
    revision, to = _whole_number(request, "revision"), _whole_number(request, "to")
    diff, versions = await _read(
        datasette, lambda archive: (statement_diff(archive, statement, revision, to), list_versions(archive, statement))
    )
    context = {
        "diff": diff,
        "runs": [(run.op, xml_safe(run.text)) for run in diff.runs],
        "versions": versions,
        "statement_url": datasette.urls.row(DATABASE, "statements", statement),
        "statement_id": diff.statement_id,
        "database": DATABASE,
    }
    return Response.html(await datasette.render_template("iwfdb-changes.html", context, request, "iwfdb-changes"))


async def archive_feed(datasette, request) -> Response:
    build = new_statements_feed if request.url_vars["feed"] == "new" else changed_statements_feed
    return await _feed(datasette, request, lambda archive, limit, base: build(archive, limit, base))


async def speaker_quotes_feed(datasette, request) -> Response:
    """What a person, or an organisation, said (by id)."""
    id_, kind = int(request.url_vars["id"]), request.url_vars["kind"]
    ids = {"person_id": id_} if kind == "person" else {"organisation_id": id_}
    return await _feed(
        datasette,
        request,
        lambda archive, limit, base: speaker_feed(archive, speaker_by_id(archive, **ids), limit, base),
    )


async def found_feed(datasette, request) -> Response:
    words = " ".join(request.args.get("q", "").split())
    if not words or len(words) > SEARCH_MAX_CHARACTERS:
        raise BadRequest(
            f"give the words to find as q=WORDS (at most {SEARCH_MAX_CHARACTERS} characters), "
            f"e.g. {FEEDS}/search.atom?q=encryption"
        )
    return await _feed(datasette, request, lambda archive, limit, base: search_feed(archive, words, limit, base))


async def _feed(datasette, request, build: Callable) -> Response:
    """The feed `build` makes, its entries linked to this server's statement pages."""
    limit = _whole_number(request, "limit")
    if limit is not None and not 1 <= limit <= MAX_ENTRIES:
        raise BadRequest(f"limit={limit}: give a number of entries from 1 to {MAX_ENTRIES}")
    base = datasette.absolute_url(request, f"/{DATABASE}")
    feed = await _read(datasette, lambda archive: build(archive, limit or 50, base))
    return Response(atom_document(feed), content_type=ATOM_TYPE)


def _whole_number(request, name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise BadRequest(f"{name}={value[:40]!r} is not a number: give a whole number, e.g. {name}=2")
    return int(value)


async def _read(datasette, read: Callable[[Archive], Answer]) -> Answer:
    """`read` on the served archive, opened read-only through iwfdb's door, in one of Datasette's threads."""
    location = Location(SQLITE, path=Path(datasette.get_database(DATABASE).path))

    def in_thread() -> Answer:
        with open_archive(location, Purpose.READ) as archive:
            return read(archive)

    try:
        return await asyncio.get_running_loop().run_in_executor(datasette.executor, in_thread)
    except NotFoundError as error:
        raise NotFound(str(error)) from None
    except UsageError as error:  # words with nothing to search for
        raise BadRequest(str(error)) from None


def version_label(version) -> str:
    """`revision 7` or `the current text`."""
    return f"revision {version.revision}" if version.revision is not None else "the current text"


@hookimpl
def extra_template_vars(view_name, table, database, datasette, request):
    """For every page of the archive: its feeds (`iwfdb_feeds`) and what the served file is a copy of, if it is
    one (`iwfdb_copy`); for a statement's page, `statement_versions(id)`."""
    if DATABASE not in datasette.databases or database not in (None, DATABASE):
        return {}
    feeds = [*ARCHIVE_FEEDS]
    url_vars = request.url_vars if request is not None else {}
    if view_name == "row" and table in SPEAKER_FEEDS:
        title, kind = SPEAKER_FEEDS[table]
        feeds.append((title, f"{FEEDS}/{kind}/{url_vars['pks']}.atom"))
    if view_name == "table" and request is not None and request.args.get("_search"):
        words = request.args["_search"]
        feeds.append((f"Statements mentioning {xml_safe(words)}", f"{FEEDS}/search.atom?{urlencode({'q': words})}"))

    async def statement_versions(statement_id: int):
        return await _read(datasette, lambda archive: list_versions(archive, str(statement_id)))

    return {
        "iwfdb_feeds": [{"title": title, "href": href} for title, href in feeds],
        "version_label": version_label,
        "iwfdb_copy": read_about(Path(datasette.get_database(DATABASE).path)),
        "statement_versions": statement_versions,
    }

"""Pages made for reading: the home page (one search box, the newest statements, what changed lately, who is
quoted most, statements per year), a person's and an organisation's page, and what tables and questions show a reader.

Registered by server.py as a plugin of its own beside plugin.py. The pages' data comes from the read API
(iwfdb.query) on a read-only connection of iwfdb's own, opened in a worker thread for each page.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from datasette import Response, hookimpl
from datasette.facets import ColumnFacet
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape

from iwfdb.datasette.metadata import DATABASE
from iwfdb.db import Archive, locate, open_archive, placeholders
from iwfdb.errors import DatabaseError, UsageError
from iwfdb.query import StatementFilter, get_stats, list_statements, search
from iwfdb.query.people import most_quoted
from iwfdb.query.profiles import QUOTES_PER_PAGE, SpeakerProfile, speaker_profile
from iwfdb.query.revisions import recent_changes
from iwfdb.records import NameCandidate, SearchHit, StatementDiff, StatementSummary, StatRow
from iwfdb.render import visible

HITS_PER_PAGE = 20
NEWEST_SHOWN = 10
PEOPLE_SHOWN = 10
# Recent revisions read for the home page, and how many that changed words it lists (a change of spacing, quote
# marks or dashes alone is no change, and is passed over).
CHANGES_LOOKED_AT, CHANGES_SHOWN = 10, 5
WORDS_LIMIT = 200  # characters of a search taken from the address; the rest is dropped
# Snippet marks no statement holds (Unicode's private use area): turned into <mark> only after escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
# A row page for each kind of speaker: {table: kind}.
SPEAKER_PAGES = {"people": "person", "organisations": "organisation"}
YEAR_PARAMETER = re.compile(r"\d{4}")
# The columns a reader wants first, for the links that open a list (Datasette shows `_col` columns in order).
READING_COLUMNS = {
    "statement_overview": "published title kind quotes publisher card_only slug id".split(),
    "quote_details": "published text speaker role statement_title speaker_kind year statement_id person_id "
    "organisation_id id".split(),
}


@dataclass(frozen=True, slots=True)
class HomePage:
    words: str
    start: int
    statement_hits: list[SearchHit]
    quote_hits: list[SearchHit]
    hits_total: int
    problem: str | None
    newest: list[StatementSummary]
    changes: list[StatementDiff]  # the latest revisions that changed a statement's words, newest first
    people: list[NameCandidate]
    per_year: list[StatRow]
    speaker_rows: dict[str, tuple[str, int]]  # a quote hit's speaker: (table, id) of their page


async def read_archive(datasette, reader, *arguments):
    """`reader(archive, *arguments)` on a read-only connection to the served archive, in a worker thread."""
    return await asyncio.get_running_loop().run_in_executor(None, in_archive, datasette, reader, *arguments)


def in_archive(datasette, reader, *arguments):
    """`reader(archive, *arguments)` on a read-only connection to the served archive, in this thread.

    An archive that cannot be read as this iwfdb's (migrated by a newer iwfdb meanwhile) is a 503 that says why.
    """
    try:
        with open_archive(locate(datasette.get_database(DATABASE).path)) as archive:
            return reader(archive, *arguments)
    except DatabaseError as error:
        raise DatasetteError(visible(str(error)), status=503, title="The archive cannot be read") from None


def home_page(archive: Archive, words: str, start: int) -> HomePage:
    hits, total, problem = [], 0, None
    if words:
        try:
            found = search(archive, words, limit=HITS_PER_PAGE, offset=start, marks=(MARK_START, MARK_END))
            hits, total = found.items, found.total
        except UsageError as error:
            problem = str(error)
    per_year = [row for row in get_stats(archive, top=0) if row.group == "per_year"]
    return HomePage(
        words,
        start,
        [hit for hit in hits if hit.match == "statement"],
        [hit for hit in hits if hit.match == "quote"],
        total,
        problem,
        list_statements(archive, StatementFilter(limit=NEWEST_SHOWN)).items,
        [change for change in recent_changes(archive, CHANGES_LOOKED_AT) if change.changed][:CHANGES_SHOWN],
        most_quoted(archive, PEOPLE_SHOWN),
        newest_year_first(per_year),
        speaker_rows(archive, [hit.speaker for hit in hits if hit.speaker]),
    )


def speaker_rows(archive: Archive, names: list[str]) -> dict[str, tuple[str, int]]:
    """The page of each name a search hit gives as its speaker: the name of a person (else an organisation) as the
    archive spells it, exactly; a name that is neither (a group, an unknown source) has none."""
    found: dict[str, tuple[str, int]] = {}
    for table in ("organisations", "people") if names else ():
        sql = f"SELECT name, id FROM {table} WHERE name IN ({placeholders(names)})"
        found.update((name, (table, id_)) for name, id_ in archive.execute(sql, names))
    return found


def newest_year_first(per_year: list[StatRow]) -> list[StatRow]:
    """Years newest first, `undated` last (as `iwfdb stats` has it)."""
    return sorted(per_year, key=lambda row: (row.name == "undated", row.name != "undated" and -int(row.name)))


def offset_in(request) -> int:
    """The `start` of a paged list from the address: a row number, else the first row."""
    text = request.args.get("start", "")
    return min(int(text), 10**9) if text.isdigit() else 0


@hookimpl
def extra_template_vars(view_name, table, database, datasette, request):
    """The home page's and a speaker's page's data, and a message for a question's input that is no year."""
    if request is None or (database not in (None, DATABASE)) or DATABASE not in datasette.databases:
        return {}
    if view_name == "index":
        words = request.args.get("q", "").strip()[:WORDS_LIMIT]

        async def home() -> HomePage:
            return await read_archive(datasette, home_page, words, offset_in(request))

        return {"home": home, "reading_columns": reading_columns}
    if view_name == "row" and table in SPEAKER_PAGES:

        async def profile(id_: str) -> SpeakerProfile:
            return await read_archive(datasette, speaker_profile, SPEAKER_PAGES[table], int(id_), offset_in(request))

        return {"speaker_profile": profile, "quotes_per_page": QUOTES_PER_PAGE}
    if database == DATABASE:  # a question's page (Datasette renders one as a table's)
        for name in request.args.keys():
            value = request.args.get(name).strip()
            if name.endswith("_year") and value and not YEAR_PARAMETER.fullmatch(value):
                datasette.add_message(
                    request,
                    f"{name}: {visible(value)[:40]!r} is not a year; give one such as "
                    "2020, or leave it empty for any year",
                    datasette.ERROR,
                )
    return {}


@hookimpl
def register_routes(datasette):
    """The home page answered here, before Datasette's own: that one counts the rows of every table first (60-90 ms
    at 10,000 statements, for numbers the page does not show)."""
    return [(r"^/$", home_view)]


async def home_view(datasette, request) -> Response:
    context = {"metadata": datasette.metadata()}
    return Response.html(await datasette.render_template("index.html", context, request=request, view_name="index"))


def reading_columns(table: str) -> str:
    """The address of a list with the columns a reader wants first."""
    return f"/{DATABASE}/{table}?" + "&".join(f"_col={column}" for column in READING_COLUMNS[table])


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["highlighted"] = highlighted
    env.finalize = without_control_characters


def without_control_characters(value):
    """Every value a template prints, its control characters written out (`\\x1b`, `\\u202e`): the archive's text
    reaches no page as bytes a browser or a copy to a terminal would obey. Markup stays markup."""
    if isinstance(value, Markup):
        return Markup(visible(str(value), keep_layout=True))
    return visible(value, keep_layout=True) if isinstance(value, str) else value


def highlighted(snippet: str | None) -> Markup:
    """A search snippet escaped, then its matches (between MARK_START and MARK_END) marked; control
    characters written out."""
    escaped = str(escape(visible(snippet or "")))
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return Markup(marked.replace(MARK_START, "").replace(MARK_END, ""))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """yes/no for a flag; an untitled statement linked by its date and slug (plugin.py links titles and names)."""
    if database != DATABASE:
        return None
    keys = row.keys()
    if column == "card_only" and value in (0, 1):
        return "yes" if value else "no"
    if column in ("title", "statement_title") and value is None:
        id_column = "id" if table == "statement_overview" else "statement_id"
        if id_column in keys and row[id_column] is not None:
            label = "Untitled, " + " ".join(str(row[c]) for c in ("published", "slug") if c in keys and row[c])
            return Markup('<a href="{}">{}</a>').format(
                datasette.urls.row(DATABASE, "statements", row[id_column]), label
            )
    return None


class YearFacet(ColumnFacet):
    """A facet by year whose values are in year order, newest first (Datasette orders by count)."""

    type = "year"

    async def facet_results(self):
        results, timed_out = await super().facet_results()
        for facet in results:
            facet["results"].sort(key=lambda item: item["value"], reverse=True)
        return results, timed_out


class FlagFacet(ColumnFacet):
    """A facet of a 0/1 flag, its values labelled no and yes."""

    type = "flag"

    async def facet_results(self):
        results, timed_out = await super().facet_results()
        for facet in results:
            for item in facet["results"]:
                item["label"] = {0: "no", 1: "yes"}.get(item["value"], item["label"])
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [YearFacet, FlagFacet]

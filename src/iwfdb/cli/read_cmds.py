"""Read commands: query, show, search, quotes, contacts, people, stats, sql. Presentation only.

Each command opens the archive read-only, calls one function of iwfdb.query and prints its rows with
iwfdb.render. Only Typer and stdlib-only iwfdb modules are imported here, so that a read command starts
fast; rich is imported by iwfdb.render when a table is actually drawn, and iwfdb.query inside each command
that runs (`iwfdb --help` and `--version` do without it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from typer.core import TyperCommand

from iwfdb import records
from iwfdb.cli.app import app
from iwfdb.cli.read_views import show_view, stats_view
from iwfdb.config import DEFAULT_SQL_TIMEOUT
from iwfdb.errors import UsageError
from iwfdb.render import MARK_END, MARK_START, Format, choose_format, number, write_data
from iwfdb.terminal import TABLE_ROWS, highlighted, styled, tell, write_table

if TYPE_CHECKING:
    from iwfdb.query.clauses import Page


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output: table (default at a terminal), json (default in a pipe), jsonl, csv or tsv.",
        case_sensitive=False,
    ),
]
# The same on every list command: a limit is 1 or more (leave it out for every row), an offset 0 or more.
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most this many rows (1 or more).")]
OffsetOption = Annotated[
    int, typer.Option("--offset", min=0, help="Skip this many rows first (0 or more; with --limit: pages).")
]
RAW_HELP = "Pass the engine's query syntax through (SQLite FTS5: OR, NEAR, prefix*; PostgreSQL: to_tsquery)."
YearOption = Annotated[list[int] | None, typer.Option("--year", help="Only this year (repeatable).")]
SpeakerOption = Annotated[str | None, typer.Option("--speaker", help='Quoted person, any spelling ("Ms Hargreaves").')]
TextOption = Annotated[str | None, typer.Option("--text", help="Only those containing these words.")]
OldestOption = Annotated[bool, typer.Option("--oldest-first", help="Oldest first (default: newest first).")]


def _archive(ctx: typer.Context):
    """The archive chosen by --db / IWFDB_DB, opened read-only, closed at the end of the `with`."""
    from iwfdb.db import Purpose, locate, open_archive

    return open_archive(locate(ctx.obj.get("db") if ctx.obj else None), Purpose.READ)


def _emit(
    records: Iterable[Any] | Page[Any],
    fmt: Format | None,
    what: str,
    headers: Sequence[str],
    table_row: Callable[[Any], Sequence[Any]],
    columns: Sequence[str] | type | None = None,
) -> None:
    """Rows (mappings or records; a list, a Page of a longer list, or a stream) in the chosen format, each
    written as it comes.

    No rows: `[]` in JSON, the header row in CSV and TSV (`columns`: the names, or the record class),
    nothing in JSON lines or a table; `no <what> found` on stderr; exit 0. A table shows TABLE_ROWS rows
    at most, and says so on stderr. A stream that is not read to its end is closed (`iwfdb sql` stops).
    A page cut from a longer list says so on stderr, with how to see the rest.
    """
    from iwfdb.query.clauses import Page  # imported by the command already

    page, rows = (records, records.items) if isinstance(records, Page) else (None, records)
    chosen = choose_format(fmt, sys.stdout)
    try:
        if chosen is not Format.table:
            written = write_data(rows, chosen, sys.stdout, columns)
        else:
            written = _emit_table(iter(rows), what, headers, table_row)
        if not written:
            tell(f"no {what} found")
    finally:
        getattr(rows, "close", lambda: None)()
    if page is not None and page.is_cut and page.items:
        tell(
            f"{what} {number(page.offset + 1)}-{number(page.offset + len(page.items))} of {number(page.total)}; "
            "see the others with --limit and --offset"
        )


def _emit_table(rows, what: str, headers: Sequence[str], table_row: Callable[[Any], Sequence[Any]]) -> bool:
    first = next(rows, None)
    if first is None:
        return False
    if write_table(headers, map(table_row, chain([first], rows)), sys.stdout):
        tell(f"the table shows the first {number(TABLE_ROWS)} {what}; --format csv, tsv, json or jsonl write them all")
    return True


@app.command("query")
def query_command(
    ctx: typer.Context,
    year: YearOption = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before (YYYY[-MM[-DD]]).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind (Statement, News...).")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Only this organisation's statements (IWF, NSPCC...).")
    ] = None,
    speaker: SpeakerOption = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Press contact, any spelling.")] = None,
    text: TextOption = None,
    full_only: Annotated[
        bool, typer.Option("--full-only", help="Leave out statements known only from a card.")
    ] = False,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    oldest_first: OldestOption = False,
    fmt: FormatOption = None,
) -> None:
    """List statements, newest first, with their number of quotes.

    Statements known only from another statement's related card are marked as such.

    Example: iwfdb query --year 2024 --speaker "Susie Hargreaves" --format json
    """
    from iwfdb import query

    wanted = query.StatementFilter(
        years=tuple(year or ()),
        date_from=date_from,
        date_to=date_to,
        kind=kind,
        publisher=publisher,
        speaker=speaker,
        contact=contact,
        text=text,
        full_only=full_only,
        limit=limit,
        offset=offset,
        oldest_first=oldest_first,
    )
    with _archive(ctx) as archive:
        page = query.list_statements(archive, wanted)
    _emit(
        page,
        fmt,
        "statements",
        ("id", "published", "kind", "title", "quotes", "note"),
        lambda r: (
            r.id,
            r.published,
            r.kind,
            r.title,
            r.quotes,
            "known only from a card" if r.card_only else "",
        ),
        records.StatementSummary,
    )


@app.command("show")
def show_command(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help="The statement's id or slug (a unique start of a slug will do).", metavar="ID|SLUG")
    ],
    fmt: FormatOption = None,
) -> None:
    """Show one statement in full: text, quotes, contacts, links, source file and revisions.

    Example: iwfdb show 2017-03-07-iwfs-work-with-industry-and-social-networks
    """
    from iwfdb import query

    if not ref.strip():  # it would be the start of every slug
        raise UsageError("show needs a statement's id or slug, and was given none; list statements with `iwfdb query`")
    with _archive(ctx) as archive:
        match = query.find_statement(archive, ref)
    if match.slugs_begin_with_ref:
        tell(
            f"{ref} is taken as the id of statement {match.statement.slug}; for the slugs that begin with {ref}, "
            "give more of one, or see `iwfdb query`"
        )
    elif match.matched_by == "slug prefix" and ref.strip().isdigit():
        tell(f"no statement has the id {ref}: it is taken as the start of the slug {match.statement.slug}")
    statement = match.statement
    chosen = choose_format(fmt, sys.stdout)
    if chosen is Format.table:
        show_view(statement, sys.stdout)
    else:
        from iwfdb.render import write_object

        write_object(statement, chosen, sys.stdout)


@app.command("search")
def search_command(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Words to find (all of them), as written.", metavar="WORDS...")],
    raw: Annotated[bool, typer.Option("--raw", help=RAW_HELP)] = False,
    limit: LimitOption = 20,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
) -> None:
    """Full-text search of statements and quotes, best matches first, with snippets.

    Matched words are bold in a table at a terminal, and [bracketed] everywhere else (a pipe, NO_COLOR, json,
    jsonl, csv, tsv).

    Example: iwfdb search "image hash list"   (or, with FTS5 syntax: iwfdb search --raw 'hash NEAR industry')
    """
    from iwfdb import query

    chosen = choose_format(fmt, sys.stdout)
    marks = (MARK_START, MARK_END) if chosen is Format.table and styled(sys.stdout) else ("[", "]")
    with _archive(ctx) as archive:
        hits = query.search(archive, " ".join(words), raw=raw, limit=limit or 20, offset=offset, marks=marks)
        if not query.index_is_built(archive):
            tell(
                "note: the full-text index is not built yet (a first load is running, or was stopped before its "
                "end; the next `iwfdb load` builds it): statements are missing from these results"
            )
    _emit(
        hits,
        chosen,
        "matches",
        ("match", "published", "title", "speaker", "snippet"),
        lambda r: (
            r.match,
            r.published,
            r.title,
            r.speaker,
            highlighted(r.snippet or ""),
        ),
        records.SearchHit,
    )


@app.command("quotes")
def quotes_command(
    ctx: typer.Context,
    speaker: SpeakerOption = None,
    person: Annotated[
        int | None, typer.Option("--person", help="Quoted person, by id (when a name is shared).", metavar="ID")
    ] = None,
    organisation: Annotated[
        int | None, typer.Option("--organisation", help="Quoted organisation, by id.", metavar="ID")
    ] = None,
    year: YearOption = None,
    text: TextOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    oldest_first: OldestOption = False,
    fmt: FormatOption = None,
) -> None:
    """List quotes with their speakers and statements, newest first; a quote said together counts for each.

    A name that several people share lists them with their ids (on stderr, exit 1): choose with --person ID.

    Example: iwfdb quotes --speaker "Ms Hargreaves" --year 2017
    """
    from iwfdb import query

    if [speaker, person, organisation].count(None) < 2:
        raise UsageError("--speaker, --person and --organisation each choose the speaker: give one of them")
    wanted = query.QuoteFilter(
        speaker=speaker,
        years=tuple(year or ()),
        text=text,
        limit=limit,
        offset=offset,
        oldest_first=oldest_first,
        person_id=person,
        organisation_id=organisation,
    )
    with _archive(ctx) as archive:
        page = query.list_quotes(archive, wanted)
    _emit(
        page,
        fmt,
        "quotes",
        ("published", "speaker", "role", "text", "statement"),
        lambda r: (
            r.published,
            r.speaker,
            r.role,
            r.text,
            r.slug,
        ),
        records.QuoteSummary,
    )


@app.command("contacts")
def contacts_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option("--name", help="Only this person, any spelling.")] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
) -> None:
    """List press contacts as each statement printed them, with phones in E.164.

    Example: iwfdb contacts --name "Emma Hardy" --format csv
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        page = query.list_contacts(archive, name=name, limit=limit, offset=offset)
    _emit(
        page,
        fmt,
        "contacts",
        ("published", "name", "role", "email", "phones", "statement"),
        lambda r: (
            r.published,
            r.name,
            r.role,
            r.email or ("(hidden)" if r.email_hidden else ""),
            "\n".join(r.phones),
            r.slug,
        ),
        records.ContactSummary,
    )


@app.command("people")
def people_command(
    ctx: typer.Context, limit: LimitOption = None, offset: OffsetOption = 0, fmt: FormatOption = None
) -> None:
    """List people with their numbers of quotes and contact appearances and the roles printed with them.

    Example: iwfdb people --limit 10
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        page = query.list_people(archive, limit=limit, offset=offset)
    _emit(
        page,
        fmt,
        "people",
        ("name", "quotes", "contacts", "roles", "first seen", "last seen"),
        lambda r: (
            r.name,
            r.quotes,
            r.contacts,
            "; ".join(r.roles),
            r.first_seen,
            r.last_seen,
        ),
        records.PersonSummary,
    )


@app.command("stats")
def stats_command(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Show what the archive holds: counts, statements per year as a bar chart, top speakers.

    In json, jsonl, csv and tsv, each number is a row {group, name, value}.

    Example: iwfdb stats
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        rows = query.get_stats(archive)
    chosen = choose_format(fmt, sys.stdout)
    if chosen is Format.table:
        stats_view(rows, sys.stdout)
    else:
        write_data(rows, chosen, sys.stdout)


class PairOptionCommand(TyperCommand):
    """A command whose `--param` takes two values each time: `--param NAME VALUE` (Typer cannot say so)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for parameter in self.params:
            if parameter.name == "param":
                parameter.nargs = 2


@app.command("sql", cls=PairOptionCommand)
def sql_command(
    ctx: typer.Context,
    sql: Annotated[str, typer.Argument(help="One SQL statement; it may only read.", metavar="SQL")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A named parameter :NAME, as text (repeatable).", metavar="NAME VALUE"),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Stop the query after this many seconds.")
    ] = DEFAULT_SQL_TIMEOUT,
    fmt: FormatOption = None,
) -> None:
    """Run one read-only SQL statement on the archive; writes are refused and nothing is changed.

    Views made for this: statement_overview, quote_details, contact_details, link_details.

    Example: iwfdb sql "SELECT title FROM statements WHERE published >= :since" --param since 2024-01-01
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        named = dict(cast("list[tuple[str, str]]", param or []))  # PairOptionCommand gives (NAME, VALUE) pairs
        columns, rows = query.run_sql(archive, sql, named, timeout=timeout)
        _emit(rows, fmt, "rows", columns, lambda r: tuple(r.values()), columns)

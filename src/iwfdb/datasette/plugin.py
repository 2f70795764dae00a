"""iwfdb's Datasette plugin: its spelling of names in SQL, links from titles and names, a statement's page.

Registered by `iwfdb serve` for its own Datasette only (not as an entry point), so that it never reaches a
Datasette serving other databases; every hook still checks that the database is the archive.
"""

from __future__ import annotations

import json
import logging
import sqlite3

from datasette import Response, hookimpl
from datasette.utils import escape_sqlite
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from iwfdb.datasette.metadata import DATABASE
from iwfdb.db import placeholders
from iwfdb.db.sqlite import is_unsafe_function
from iwfdb.keys import person_key
from iwfdb.render import visible

log = logging.getLogger(__name__)
# What a browser reading the archive sends; Datasette's views answer other methods with a server error.
READING_METHODS = ("GET", "HEAD")

# A cell (or a facet's value) of these columns links to the row its row's first id column names:
# {column: ((id column, table), ...)}. A name is a person's, else an organisation's.
_STATEMENT = (("statement_id", "statements"),)
_SPEAKER = (("person_id", "people"), ("organisation_id", "organisations"))
LINKED_CELLS = {
    "statement_title": _STATEMENT,
    "title": _STATEMENT,
    "target_title": (("target_statement_id", "statements"),),
    "speaker": _SPEAKER,
    "person": (("person_id", "people"),),
    "name": _SPEAKER,
    "quoted_with": (("quoted_with_id", "people"),),
}
# Where the row is the statement, person or organisation itself, its id is plain `id`.
LINKED_IN_TABLE = {
    "statement_overview": {"title": (("id", "statements"),)},
    "statements": {"title": (("id", "statements"),)},
    "people": {"name": (("id", "people"),)},
    "organisations": {"name": (("id", "organisations"),)},
}

STATEMENT_PARTS = {
    "quotes": """SELECT speaker, person_id, organisation_id, role, honours, text, line,
                        (SELECT json_group_array(json_object('table', who.tbl, 'id', who.id, 'name', who.name))
                         FROM (SELECT CASE WHEN x.person_id IS NULL THEN 'organisations' ELSE 'people' END AS tbl,
                                      coalesce(x.person_id, x.organisation_id) AS id, coalesce(p.name, o.name) AS name
                               FROM quote_speakers x LEFT JOIN people p ON p.id = x.person_id
                               LEFT JOIN organisations o ON o.id = x.organisation_id
                               WHERE x.quote_id = quote_details.id ORDER BY x.position) who) AS speakers
                 FROM quote_details WHERE statement_id = :id ORDER BY position""",
    "contacts": """SELECT name, person_id, organisation_id, role, email, email_hidden, phones, handles, line
                   FROM contact_details
                   WHERE statement_id = :id ORDER BY id""",
    "links": """SELECT target_kind, target_statement_id, target_title, target_published, url, text, summary, line
                FROM link_details WHERE statement_id = :id ORDER BY position""",
    "cited_by": """SELECT DISTINCT s.id, s.published, s.title FROM links l JOIN statements s ON s.id = l.statement_id
                   WHERE l.target_statement_id = :id ORDER BY s.published DESC, s.id""",
    "sections": "SELECT heading, text, line FROM sections WHERE statement_id = :id ORDER BY position",
    "source": """SELECT src.path, src.sha256 FROM statements s JOIN sources src ON src.id = s.source_id
                 WHERE s.id = :id""",
}
JSON_LISTS = ("phones", "handles", "speakers")  # speakers: each of a joint quote's, to link them


def names_person(name_key: str | None, typed: str | None) -> bool:
    """Whether a person keyed `name_key` is who `typed` names, by the archive's own key.

    Every word of the typed name's key must be a word of the person's key: "Ms Hargreaves OBE" and
    "susie hargreaves" both name Susie Hargreaves, as `iwfdb quotes --speaker` finds her.
    """
    wanted = set(person_key(typed or "").split())
    return bool(wanted) and wanted <= set((name_key or "").split())


@hookimpl
def prepare_connection(conn, database, datasette):
    conn.create_function("iwfdb_names_person", 2, names_person, deterministic=True)
    conn.set_authorizer(_refuse_unsafe_functions)  # the SQL box runs anyone's SELECT on these connections


def _refuse_unsafe_functions(action: int, _arg1, name, _database, _trigger) -> int:
    return sqlite3.SQLITE_DENY if is_unsafe_function(action, name) else sqlite3.SQLITE_OK


@hookimpl
def asgi_wrapper(datasette):
    """The archive's Datasette answers GET and HEAD only (405 to the rest): nothing there may write, and a POST
    to a table page fails an assertion inside Datasette (500, and a traceback)."""

    def wrap(app):
        async def reading_only(scope, receive, send):
            if scope["type"] != "http" or scope["method"] in READING_METHODS or DATABASE not in datasette.databases:
                return await app(scope, receive, send)
            refusal = Response.text(
                "405: the archive is read-only; only GET and HEAD are answered",
                status=405,
                headers={"Allow": ", ".join(READING_METHODS)},
            )
            await refusal.asgi_send(send)

        return reading_only

    return wrap


@hookimpl(wrapper=True)
def handle_exception(datasette, request, exception):
    """Errors answered without Datasette's own handler, which prints every error's traceback on the server's
    console (with its local variables) and itself fails, answering 500, when an address names no page and no
    exception is being handled (`/iwfdb/statements/-/insert`). Its answer, made but not yet run, is dropped."""
    answers = yield
    if DATABASE not in datasette.databases:
        return answers
    return [_error_page(datasette, request, exception)]


async def _error_page(datasette, request, exception) -> Response:
    """The error page (or JSON) Datasette would show; a server fault is logged in one line, never a traceback."""
    status, message, title = _what_went_wrong(request, exception)
    info = {"ok": False, "error": message, "status": status, "title": title}
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    context = {**info, "urls": datasette.urls, "app_css_hash": datasette.app_css_hash(), "menu_links": lambda: []}
    return Response.html(await template.render_async(context), status=status)


def _what_went_wrong(request, exception) -> tuple[int, str, str | None]:
    """The status, message and title of an error's page."""
    if isinstance(exception, Base400):
        return exception.status, exception.args[0] if exception.args else "", None
    if isinstance(exception, DatasetteError):
        table = request.url_vars.get("table")
        if table and "pks" in request.url_vars and exception.message.startswith("no such table:"):
            # A row of a table that is not there (`/iwfdb/-/create`): Datasette reads before it looks.
            return 404, f"Table not found: {table}", None
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return exception.status, message, exception.title
    log.error("error: %s %s: %s", request.method, visible(request.path), visible(repr(exception)))
    return 500, "the server could not answer this request", None


def linked_targets(table: str | None, column: str) -> tuple[tuple[str, str], ...]:
    """The (id column, table) pairs whose row a value of `column` in `table` may stand for, in order."""
    return LINKED_IN_TABLE.get(table or "", {}).get(column) or LINKED_CELLS.get(column, ())


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A title or a name links to its statement's, person's or organisation's page, by the id its row carries
    (views have no foreign keys to do it)."""
    if database != DATABASE or value is None:
        return None
    keys = row.keys()
    for id_column, linked_table in linked_targets(table, column):
        id_ = row[id_column] if id_column in keys else None
        if isinstance(id_, dict):  # a table's foreign key, expanded by Datasette to its value and label
            id_ = id_["value"]
        if id_ is not None:
            url = datasette.urls.row(DATABASE, linked_table, str(id_))
            return Markup('<a href="{}">{}</a>').format(url, value)
    return None


@hookimpl
def extra_template_vars(view_name, table, database, datasette):
    """The statement page's parts, for row-iwfdb-statements.html: `statement_parts(id)`; on a list, the page
    each facet value stands for, for _facet_results.html: `facet_pages(facet)`."""
    if view_name == "table" and database == DATABASE and table:
        return {"facet_pages": lambda facet: facet_pages(datasette, table, facet)}
    if view_name != "row" or table != "statements" or database != DATABASE:
        return {}

    async def statement_parts(statement_id: int) -> dict[str, list[dict]]:
        archive = datasette.get_database(DATABASE)
        parts = {}
        for name, sql in STATEMENT_PARTS.items():
            results = await archive.execute(sql, {"id": statement_id})
            parts[name] = [_with_lists(dict(row)) for row in results.rows]
        return parts

    return {"statement_parts": statement_parts}


def _with_lists(row: dict) -> dict:
    """The views' JSON lists as lists, for the template to loop over."""
    for column in JSON_LISTS:
        if column in row:
            row[column] = json.loads(row[column] or "[]")
    return row


async def facet_pages(datasette, table: str, facet: dict) -> dict:
    """{value: address} for each value of a facet that stands for one page: the one person, organisation or
    statement whose id every row of that value carries. A value whose rows carry several ids (namesakes
    printed alike) or none (a group, an unknown source) gets no page, never a wrong one."""
    archive = datasette.get_database(DATABASE)
    columns = set(await archive.table_columns(table))
    targets = [target for target in linked_targets(table, facet["name"]) if target[0] in columns]
    values = [item["value"] for item in facet["results"] if item["value"] is not None]
    if not targets or not values or facet["name"] not in columns:
        return {}
    column = escape_sqlite(facet["name"])
    # For each id column: whether every row of the value carries it, and always the same (max = min), and which.
    ids = ", ".join(f"count({id_}) = count(*) AND max({id_}) = min({id_}), min({id_})" for id_, _ in targets)
    sql = f"SELECT {column}, {ids} FROM {escape_sqlite(table)} WHERE {column} IN ({placeholders(values)}) GROUP BY 1"
    pages = {}
    for value, *found in (await archive.execute(sql, values)).rows:
        linked = [(table_, id_) for (_, table_), one, id_ in zip(targets, found[::2], found[1::2], strict=True) if one]
        if linked:
            pages[value] = datasette.urls.row(DATABASE, *linked[0])
    return pages

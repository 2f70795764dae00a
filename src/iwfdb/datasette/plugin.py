"""iwfdb's Datasette plugin: its spelling of names in SQL, links from titles and names, a statement's page.

Registered by `iwfdb serve` for its own Datasette only (not as an entry point), so that it never reaches a
Datasette serving other databases; every hook still checks that the database is the archive.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from markupsafe import Markup

from iwfdb.datasette.metadata import DATABASE
from iwfdb.keys import person_key

# A cell of these columns links to the row its id column names: {column: (id column, table)}.
LINKED_CELLS = {
    "statement_title": ("statement_id", "statements"),
    "title": ("statement_id", "statements"),
    "target_title": ("target_statement_id", "statements"),
    "speaker": ("person_id", "people"),
    "person": ("person_id", "people"),
    "name": ("person_id", "people"),
    "quoted_with": ("quoted_with_id", "people"),
}
# statement_overview calls the statement's id plain `id`.
LINKED_IN_TABLE = {"statement_overview": {"title": ("id", "statements")}}

STATEMENT_PARTS = {
    "quotes": """SELECT speaker, person_id, organisation_id, role, honours, text, line FROM quote_details
                 WHERE statement_id = :id ORDER BY position""",
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
JSON_LISTS = ("phones", "handles")


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


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A title or a name links to its statement's or person's page (views have no foreign keys to do it)."""
    if database != DATABASE or value is None:
        return None
    target = LINKED_IN_TABLE.get(table, {}).get(column) or LINKED_CELLS.get(column)
    if target is None or target[0] not in row.keys() or row[target[0]] is None:
        return None
    id_column, linked_table = target
    url = datasette.urls.row(DATABASE, linked_table, str(row[id_column]))
    return Markup('<a href="{}">{}</a>').format(url, value)


@hookimpl
def extra_template_vars(view_name, table, database, datasette):
    """The statement page's parts, for row-iwfdb-statements.html: `statement_parts(id)`."""
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

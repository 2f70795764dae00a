"""full-text indexes that Datasette and sqlite-utils detect; views with an integer year and JSON lists

Datasette and sqlite-utils find a table's FTS index by matching the stored CREATE text against
`content="table"` or `content=[table]`; SQLite keeps that text as written, so 0001's `content='table'` is
never found and neither tool offers a search box. The indexes are declared again with the double-quoted
form, same columns and tokenizer, and rebuilt from their tables, so an upgraded archive keeps every document.
The triggers that keep them in step (and their `fts_paused` condition from 0002) are left as they are: they
name the index table, which SQLite looks up each time they run.

The views get `year` as an INTEGER (`WHERE year = 2024` found nothing when it was text), and
`contact_details.phones` and `handles` as JSON arrays, the shape the command line's JSON gives them.

On PostgreSQL (whose full-text columns 0001 made) only the views change, with its own JSON functions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SYNCED = {"statements": ("title", "summary", "body"), "quotes": ("text",)}
# The views that change (link_details stays as 0001 made it).
VIEW_NAMES = ("statement_overview", "quote_details", "contact_details")

# A contact's handles are stored in one text column, separated by spaces; JSON-quoting the text first and
# turning each space into `","` gives a JSON array that keeps any quote or backslash in a handle intact.
_HANDLES_SEPARATED = "trim(replace(replace(replace(c.handles, char(13), ' '), char(10), ' '), char(9), ' '))"
HANDLES_ARRAY = (
    "(SELECT json_group_array(value) FROM json_each('[' || replace(json_quote("
    + _HANDLES_SEPARATED
    + "), ' ', '\",\"') || ']') WHERE value <> '')"
)
YEAR = "CAST(substr(s.published, 1, 4) AS INTEGER)"

# A contact's handles and phones as JSON arrays, in each engine's words.
JSON_LISTS = {
    "sqlite": {
        "handles": HANDLES_ARRAY,
        "phones": """(SELECT json_group_array(number) FROM (
                SELECT coalesce(ph.e164, ph.raw) AS number FROM contact_phones ph
                WHERE ph.contact_id = c.id ORDER BY ph.position))""",
    },
    "postgresql": {
        "handles": "(SELECT coalesce(json_agg(h), '[]') FROM regexp_split_to_table(trim(c.handles), '\\s+') AS h "
                   "WHERE h <> '')",
        "phones": "(SELECT coalesce(json_agg(coalesce(ph.e164, ph.raw) ORDER BY ph.position), '[]') "
                  "FROM contact_phones ph WHERE ph.contact_id = c.id)",
    },
}

VIEWS = [
    f"""CREATE VIEW statement_overview AS
    SELECT s.id, s.slug, s.title, s.kind, s.published, {YEAR} AS year, s.card_only,
           (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id) AS quotes,
           (SELECT count(*) FROM contacts c WHERE c.statement_id = s.id) AS contacts,
           (SELECT count(*) FROM links l WHERE l.statement_id = s.id) AS links,
           src.path AS source_path
    FROM statements s LEFT JOIN sources src ON src.id = s.source_id""",
    f"""CREATE VIEW quote_details AS
    SELECT q.id, q.statement_id, s.title AS statement_title, s.published, {YEAR} AS year,
           q.position, coalesce(p.name, q.speaker) AS speaker, p.kind AS speaker_kind, q.person_id, q.role,
           q.honours, q.text, q.line, src.path AS source_path
    FROM quotes q JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id LEFT JOIN sources src ON src.id = s.source_id""",
    f"""CREATE VIEW contact_details AS
    SELECT c.id, c.statement_id, s.title AS statement_title, s.published, c.name, c.role, c.email,
           c.email_hidden, {{handles}} AS handles, {{phones}} AS phones, c.person_id, c.line
    FROM contacts c JOIN statements s ON s.id = c.statement_id""",
]


def _full_text_index(table: str, columns: tuple[str, ...], content: str) -> list[str]:
    """The index of `table` declared anew with `content` as written, and filled again from the table."""
    fts = f"{table}_fts"
    return [
        f"DROP TABLE {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, content={content}, content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _replace_schema(content_quote: str, views: list[str]) -> None:
    dialect = op.get_context().dialect.name
    for view in VIEW_NAMES:
        op.execute(f"DROP VIEW {view}")
    for table, columns in SYNCED.items() if dialect == "sqlite" else ():
        for sql in _full_text_index(table, columns, f"{content_quote}{table}{content_quote}"):
            op.execute(sql)
    for sql in views:
        op.execute(sql)


def upgrade() -> None:
    lists = JSON_LISTS[op.get_context().dialect.name]
    _replace_schema('"', [sql.replace("{handles}", lists["handles"]).replace("{phones}", lists["phones"])
                          for sql in VIEWS])  # fmt: skip


def downgrade() -> None:
    # The views as 0001 made them, word for word: a migration is history, and its text never changes.
    initial = op.get_context().script.get_revision("0001").module
    phones = initial.PHONES[op.get_context().dialect.name]
    _replace_schema("'", [sql.replace("{phones}", phones) for sql in initial.VIEWS if sql.split()[2] in VIEW_NAMES])

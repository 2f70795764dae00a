"""where a statement came from, who speaks when it is not a person, and which parser read each file

- statements.url and statements.publisher: the page's address and the organisation whose statement it is
  (what web pages state; the IWF for every statement archived before, which were all read as the IWF's);
  statements.body_key, the opening paragraphs' fingerprint, which tells a body-only rendering of a page from
  another statement.
- organisations: a body that speaks ("A Home Office spokesperson said") or is a press contact ("Press
  Office"), never a row of `people`, which holds people only. quotes.speaker_kind says who spoke (person,
  organisation, group, unknown) and quotes.organisation_id which body; contacts.kind and organisation_id the
  same for contacts.
- sources.parser_version: the parser that read the file; `iwfdb load` reads again what an older one read.
  sources.fetched_at: when a page of a web archive was fetched (its WARC-Date).
- The views show the new columns.
- SQLite's full-text delete triggers stand aside while a rebuild is pending (a cold load builds the index once,
  at its end: a row it deletes meanwhile was never indexed, and FTS5 takes the removal of an entry it does not
  hold for a damaged index).

Columns are added with ALTER TABLE, and dropped with it going back: no table is rebuilt, so SQLite's
full-text triggers stay, and the schema goes back to 0003's word for word. SQLite will not drop a column that
a foreign key uses, so going back first takes that clause out of the table's stored definition (removing a
FOREIGN KEY constraint is one of the schema edits SQLite documents as safe with writable_schema).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

YEAR = "CAST(substr(s.published, 1, 4) AS INTEGER)"
VIEW_NAMES = ("statement_overview", "quote_details", "contact_details")
VIEWS = [
    f"""CREATE VIEW statement_overview AS
    SELECT s.id, s.slug, s.title, s.kind, s.published, {YEAR} AS year, s.card_only, s.publisher, s.url,
           (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id) AS quotes,
           (SELECT count(*) FROM contacts c WHERE c.statement_id = s.id) AS contacts,
           (SELECT count(*) FROM links l WHERE l.statement_id = s.id) AS links,
           src.path AS source_path
    FROM statements s LEFT JOIN sources src ON src.id = s.source_id""",
    f"""CREATE VIEW quote_details AS
    SELECT q.id, q.statement_id, s.title AS statement_title, s.published, {YEAR} AS year,
           q.position, coalesce(p.name, o.name, q.speaker) AS speaker, q.speaker_kind, q.person_id,
           q.organisation_id, q.role, q.honours, q.text, q.line, s.publisher, src.path AS source_path
    FROM quotes q JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id LEFT JOIN organisations o ON o.id = q.organisation_id
    LEFT JOIN sources src ON src.id = s.source_id""",
    """CREATE VIEW contact_details AS
    SELECT c.id, c.statement_id, s.title AS statement_title, s.published, c.name, c.kind, c.role, c.email,
           c.email_hidden, {handles} AS handles, {phones} AS phones, c.person_id, c.organisation_id, c.line
    FROM contacts c JOIN statements s ON s.id = c.statement_id""",
]


FTS_SYNCED = {"statements": ("title", "summary", "body"), "quotes": ("text",)}
REBUILD_PENDING = "WHEN NOT EXISTS (SELECT 1 FROM fts_paused WHERE writer = 'rebuild pending')"


def _delete_triggers(pending_aside: bool) -> None:
    """SQLite's triggers that take a deleted row out of its table's full-text index: standing aside while a
    rebuild is pending, or (going back) as 0001 made them, word for word."""
    context = op.get_context()
    if context.dialect.name != "sqlite":
        return
    initial = context.script.get_revision("0001").module
    for table, columns in FTS_SYNCED.items():
        trigger = initial._fts_sync_triggers(table, columns)[2]  # CREATE TRIGGER ..._after_delete ... BEGIN
        if pending_aside:
            trigger = trigger.replace(" BEGIN ", f" {REBUILD_PENDING} BEGIN ", 1)
        op.execute(f"DROP TRIGGER {table}_fts_after_delete")
        op.execute(trigger)


def _add_organisation_id(table: str) -> None:
    """A column pointing to `organisations`; SQLite takes the foreign key only within ADD COLUMN itself."""
    constraint = f"fk_{table}_organisation_id_organisations"
    if op.get_context().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN organisation_id INTEGER "
                   f"CONSTRAINT {constraint} REFERENCES organisations (id)")  # fmt: skip
    else:
        op.add_column(table, sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(constraint), table, "organisations", ["organisation_id"], ["id"])


def _views(revision_module, views: list[str]) -> list[str]:
    """Views with the JSON lists of 0003, in the dialect's words."""
    lists = revision_module.JSON_LISTS[op.get_context().dialect.name]
    return [sql.replace("{handles}", lists["handles"]).replace("{phones}", lists["phones"]) for sql in views]


def _replace_views(views: list[str]) -> None:
    for view in VIEW_NAMES:
        op.execute(f"DROP VIEW {view}")
    for sql in views:
        op.execute(sql)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name_key", name=op.f("uq_organisations_name_key")),
    )
    op.add_column("sources", sa.Column("parser_version", sa.Integer(), nullable=True))
    op.add_column("sources", sa.Column("fetched_at", sa.Text(), nullable=True))
    for column in ("url", "publisher", "body_key"):
        op.add_column("statements", sa.Column(column, sa.Text(), nullable=True))
        op.create_index(op.f(f"ix_statements_{column}"), "statements", [column], unique=False)
    op.add_column("quotes", sa.Column("speaker_kind", sa.Text(), nullable=False, server_default="unknown"))
    op.add_column("contacts", sa.Column("kind", sa.Text(), nullable=False, server_default="person"))
    for table in ("quotes", "contacts"):
        _add_organisation_id(table)
        op.create_index(op.f(f"ix_{table}_organisation_id"), table, ["organisation_id"], unique=False)
    if not op.get_context().as_sql:  # offline (--sql) mode has no rows to fill
        op.execute("UPDATE statements SET publisher = 'IWF'")
        op.execute("UPDATE quotes SET speaker_kind = coalesce((SELECT p.kind FROM people p WHERE p.id = quotes.person_id), "
                   "'unknown')")  # fmt: skip
    _replace_views(_views(op.get_context().script.get_revision("0003").module, VIEWS))
    _delete_triggers(pending_aside=True)


def downgrade() -> None:
    context = op.get_context()
    previous = context.script.get_revision("0003").module
    _delete_triggers(pending_aside=False)
    for view in VIEW_NAMES:
        op.execute(f"DROP VIEW {view}")
    for table, kind in (("quotes", "speaker_kind"), ("contacts", "kind")):
        op.drop_index(op.f(f"ix_{table}_organisation_id"), table_name=table)
        _drop_organisation_key(table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN organisation_id")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {kind}")
    for column in ("url", "publisher", "body_key"):
        op.drop_index(op.f(f"ix_statements_{column}"), table_name="statements")
        op.execute(f"ALTER TABLE statements DROP COLUMN {column}")
    op.execute("ALTER TABLE sources DROP COLUMN fetched_at")
    op.execute("ALTER TABLE sources DROP COLUMN parser_version")
    op.drop_table("organisations")
    for sql in _views(previous, previous.VIEWS):
        op.execute(sql)


def _drop_organisation_key(table: str) -> None:
    constraint = f"fk_{table}_organisation_id_organisations"
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint(constraint, table, type_="foreignkey")
        return
    (version,) = op.get_bind().exec_driver_sql("PRAGMA schema_version").fetchone()
    op.execute("PRAGMA writable_schema = ON")
    op.execute(f"UPDATE sqlite_master SET sql = replace(sql, ' CONSTRAINT {constraint} REFERENCES organisations (id)', "
               f"'') WHERE type = 'table' AND name = '{table}'")  # fmt: skip
    op.execute(f"PRAGMA schema_version = {version + 1}")
    op.execute("PRAGMA writable_schema = OFF")

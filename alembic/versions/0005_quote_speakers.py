"""quote_speakers: every person or organisation who said a quote, so that a joint quote counts for each of them

A quote said by several people at once (`speaker_kind = 'group'`, "Peter Kyle and Jess Phillips said") had no
`person_id` and counted for nobody. `quote_speakers` holds one row per speaker of every quote whose speaker is
named: the person or organisation of a single speaker, each member of a group in the order printed.

The rows are filled from what the archive holds: `quotes.person_id` and `organisation_id` for a single
speaker; for a group, its `speaker` column, which holds the members' names joined by " and " (the parser's
own spelling), each keyed as the store keys a person (a member quoted nowhere else gets a `people` row), also
when an archive older than 0004 still points the quote to a `people` row of kind `group`. No re-load is needed. Going back drops the table; the people made for members stay (a load prunes the ones that
nothing names when it replaces their statements).

On SQLite a trigger takes a deleted quote's speakers with it: ON DELETE CASCADE acts only on a connection
with `PRAGMA foreign_keys=ON`, which iwfdb's are and another writer's (sqlite3, sqlite-utils) need not be.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# SQLite only (PostgreSQL always enforces the foreign key's ON DELETE CASCADE).
SPEAKERS_GO_WITH_QUOTE = """CREATE TRIGGER quotes_speakers_after_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM quote_speakers WHERE quote_id = old.id;
END"""


def upgrade() -> None:
    op.create_table(
        "quote_speakers",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)",
                           name=op.f("ck_quote_speakers_one_speaker")),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name=op.f("fk_quote_speakers_quote_id_quotes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_quote_speakers_person_id_people")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_quote_speakers_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("quote_id", "position", name=op.f("pk_quote_speakers")),
    )  # fmt: skip
    op.create_index(op.f("ix_quote_speakers_person_id"), "quote_speakers", ["person_id"], unique=False)
    op.create_index(op.f("ix_quote_speakers_organisation_id"), "quote_speakers", ["organisation_id"], unique=False)
    if op.get_context().dialect.name == "sqlite":
        op.execute(SPEAKERS_GO_WITH_QUOTE)
    if not op.get_context().as_sql:  # offline (--sql) mode has no rows to fill
        op.execute("INSERT INTO quote_speakers (quote_id, position, person_id, organisation_id) "
                   "SELECT id, 0, person_id, organisation_id FROM quotes WHERE speaker_kind <> 'group' "
                   "AND (person_id IS NOT NULL OR organisation_id IS NOT NULL)")  # fmt: skip
        _fill_groups(op.get_bind())


def _fill_groups(connection) -> None:
    """Each member of each group quote, as a person (made when the archive has none of that name)."""
    from iwfdb.keys import group_members, person_key  # stdlib only: the store's own keys

    people = dict(connection.execute(sa.text("SELECT name_key, id FROM people")).fetchall())
    next_id = connection.execute(sa.text("SELECT coalesce(max(id), 0) + 1 FROM people")).scalar_one()
    new_people, speakers = [], []
    groups = connection.execute(sa.text("SELECT id, speaker FROM quotes WHERE speaker_kind = 'group' AND speaker IS "
                                        "NOT NULL ORDER BY id")).fetchall()  # fmt: skip
    for quote_id, speaker in groups:
        for position, name in enumerate(group_members(speaker)):
            key = person_key(name)
            if key not in people:
                people[key] = next_id
                new_people.append({"id": next_id, "name": name, "name_key": key, "kind": "person"})
                next_id += 1
            speakers.append({"quote_id": quote_id, "position": position, "person_id": people[key]})
    if new_people:
        connection.execute(sa.text("INSERT INTO people (id, name, name_key, kind) "
                                   "VALUES (:id, :name, :name_key, :kind)"), new_people)  # fmt: skip
        if connection.dialect.name == "postgresql":  # the writer gives ids; the sequence follows them
            connection.execute(sa.text("SELECT setval(pg_get_serial_sequence('people', 'id'), max(id)) FROM people"))
    if speakers:
        connection.execute(sa.text("INSERT INTO quote_speakers (quote_id, position, person_id) "
                                   "VALUES (:quote_id, :position, :person_id)"), speakers)  # fmt: skip


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TRIGGER quotes_speakers_after_delete")
    op.drop_index(op.f("ix_quote_speakers_organisation_id"), table_name="quote_speakers")
    op.drop_index(op.f("ix_quote_speakers_person_id"), table_name="quote_speakers")
    op.drop_table("quote_speakers")

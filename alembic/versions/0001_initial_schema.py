"""initial schema: tables, full-text search kept in sync by triggers, and views for direct SQL

On PostgreSQL, full-text search is a generated tsvector column with a GIN index instead of FTS5 tables and
triggers, in a text-search configuration `iwfdb` that reads words as FTS5's unicode61 does (no stemming, no
stop words, accents folded by `unaccent`), so that a search finds the same statements on both engines; and a
sequence counts write transactions, so that a writer knows whether another wrote since its last commit.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _fts_sync_triggers(table: str, columns: tuple[str, ...]) -> list[str]:
    """External-content FTS5 stays in sync only if every insert, delete and update is mirrored."""
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert_new = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"CREATE TRIGGER {fts}_after_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete_old} {insert_new} END",
    ]


FULL_TEXT_SEARCH = _fts_sync_triggers("statements", ("title", "summary", "body")) + _fts_sync_triggers(
    "quotes", ("text",)
)
FTS_TRIGGERS = [
    f"{table}_fts_after_{event}" for table in ("statements", "quotes") for event in ("insert", "delete", "update")
]

# {phones}: a contact's phones in order, separated by spaces (each engine has its own aggregate for it).
PHONES = {
    "sqlite": "(SELECT group_concat(coalesce(ph.e164, ph.raw), ' ') FROM contact_phones ph "
              "WHERE ph.contact_id = c.id ORDER BY ph.position)",
    "postgresql": "(SELECT string_agg(coalesce(ph.e164, ph.raw), ' ' ORDER BY ph.position) FROM contact_phones ph "
                  "WHERE ph.contact_id = c.id)",
}
POSTGRES_FULL_TEXT = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION iwfdb (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION iwfdb ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "ALTER TABLE statements ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('iwfdb', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('iwfdb', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('iwfdb', coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX ix_statements_search_vector ON statements USING gin (search_vector)",
    "ALTER TABLE quotes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('iwfdb', text)) STORED",
    "CREATE INDEX ix_quotes_search_vector ON quotes USING gin (search_vector)",
    "CREATE SEQUENCE iwfdb_write_count",
]

VIEWS = [
    """CREATE VIEW statement_overview AS
    SELECT s.id, s.slug, s.title, s.kind, s.published, substr(s.published, 1, 4) AS year, s.card_only,
           (SELECT count(*) FROM quotes q WHERE q.statement_id = s.id) AS quotes,
           (SELECT count(*) FROM contacts c WHERE c.statement_id = s.id) AS contacts,
           (SELECT count(*) FROM links l WHERE l.statement_id = s.id) AS links,
           src.path AS source_path
    FROM statements s LEFT JOIN sources src ON src.id = s.source_id""",
    """CREATE VIEW quote_details AS
    SELECT q.id, q.statement_id, s.title AS statement_title, s.published, substr(s.published, 1, 4) AS year,
           q.position, coalesce(p.name, q.speaker) AS speaker, p.kind AS speaker_kind, q.person_id, q.role,
           q.honours, q.text, q.line, src.path AS source_path
    FROM quotes q JOIN statements s ON s.id = q.statement_id
    LEFT JOIN people p ON p.id = q.person_id LEFT JOIN sources src ON src.id = s.source_id""",
    """CREATE VIEW contact_details AS
    SELECT c.id, c.statement_id, s.title AS statement_title, s.published, c.name, c.role, c.email,
           c.email_hidden, c.handles,
           {phones} AS phones,
           c.person_id, c.line
    FROM contacts c JOIN statements s ON s.id = c.statement_id""",
    """CREATE VIEW link_details AS
    SELECT l.id, l.statement_id, s.title AS statement_title, l.position,
           CASE WHEN l.target_statement_id IS NULL THEN 'url' ELSE 'statement' END AS target_kind,
           l.target_statement_id, t.title AS target_title, t.published AS target_published, l.url, l.text,
           l.summary, l.line
    FROM links l JOIN statements s ON s.id = l.statement_id
    LEFT JOIN statements t ON t.id = l.target_statement_id""",
]


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'group')", name=op.f('ck_people_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('name_key', name=op.f('uq_people_name_key'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('mtime_ns', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('sha256', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('first_loaded_at', sa.Text(), nullable=False),
    sa.Column('last_loaded_at', sa.Text(), nullable=False),
    sa.CheckConstraint("outcome IN ('loaded', 'updated', 'unchanged', 'duplicate', 'failed')", name=op.f('ck_sources_outcome')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('path', name=op.f('uq_sources_path'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_sha256'), ['sha256'], unique=False)

    op.create_table('parse_warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_parse_warnings_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parse_warnings')),
    sa.UniqueConstraint('source_id', 'position', name=op.f('uq_parse_warnings_source_id_position'))
    )
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.Text(), nullable=False),
    sa.Column('match_key', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=True),
    sa.Column('published', sa.Text(), nullable=True),
    sa.Column('byline', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('card_only', sa.Boolean(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.Text(), nullable=True),
    sa.Column('first_loaded_at', sa.Text(), nullable=False),
    sa.Column('last_loaded_at', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_statements_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('match_key', name=op.f('uq_statements_match_key')),
    sa.UniqueConstraint('slug', name=op.f('uq_statements_slug'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index('ix_statements_card_only_published', ['card_only', 'published'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_source_id'), ['source_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('email_hidden', sa.Boolean(), nullable=False),
    sa.Column('handles', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_contacts_person_id_people')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_contacts_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('statement_id', 'position', name=op.f('uq_contacts_statement_id_position'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_person_id'), ['person_id'], unique=False)

    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('target_statement_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.CheckConstraint('(target_statement_id IS NULL) <> (url IS NULL)', name=op.f('ck_links_one_target')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_links_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_statement_id'], ['statements.id'], name=op.f('fk_links_target_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('statement_id', 'position', name=op.f('uq_links_statement_id_position'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_target_statement_id'), ['target_statement_id'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('speaker', sa.Text(), nullable=True),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('honours', sa.Text(), nullable=True),
    sa.Column('attribution', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_quotes_person_id_people')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_quotes_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('statement_id', 'position', name=op.f('uq_quotes_statement_id_position'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_person_id'), ['person_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.Text(), nullable=True),
    sa.Column('source_path', sa.Text(), nullable=True),
    sa.Column('loaded_at', sa.Text(), nullable=False),
    sa.Column('replaced_at', sa.Text(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_revisions_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions'))
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_statement_id'), ['statement_id'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_sections_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections')),
    sa.UniqueConstraint('statement_id', 'position', name=op.f('uq_sections_statement_id_position'))
    )
    op.create_table('contact_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('e164', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_phones_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_phones')),
    sa.UniqueConstraint('contact_id', 'position', name=op.f('uq_contact_phones_contact_id_position'))
    )
    with op.batch_alter_table('contact_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_phones_e164'), ['e164'], unique=False)

    # ### end Alembic commands ###
    dialect = op.get_context().dialect.name
    for sql in (POSTGRES_FULL_TEXT if dialect == "postgresql" else FULL_TEXT_SEARCH) + VIEWS:
        op.execute(sql.replace("{phones}", PHONES[dialect]))


def downgrade() -> None:
    for view in ("statement_overview", "quote_details", "contact_details", "link_details"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE iwfdb_write_count")
    else:
        for trigger in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in ("statements_fts", "quotes_fts"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('contact_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_phones_e164'))

    op.drop_table('contact_phones')
    op.drop_table('sections')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revisions_statement_id'))

    op.drop_table('revisions')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_person_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_target_statement_id'))

    op.drop_table('links')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_person_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_source_id'))
        batch_op.drop_index(batch_op.f('ix_statements_published'))
        batch_op.drop_index('ix_statements_card_only_published')

    op.drop_table('statements')
    op.drop_table('parse_warnings')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_sha256'))

    op.drop_table('sources')
    op.drop_table('people')
    # ### end Alembic commands ###
    if op.get_context().dialect.name == "postgresql":  # after the tables whose search columns use it
        op.execute("DROP TEXT SEARCH CONFIGURATION iwfdb")

"""PostgreSQL: a statement's long values kept out of its row, so that a search's count reads a narrow table

A full-text search counts its matches and picks the newest of them through the GIN index, then reads each
match's row in the table (the index alone cannot say whether the row is visible). A statement's row held its
summary and body compressed inline, about 870 bytes: at 100,000 statements a search of a common word read 11,000
pages of the table (250 ms). With `toast_tuple_target` at 128 bytes, a row too long for a page's quarter (a
statement almost always is) has its long values moved out until it is short: 34 MB instead of 87 MB, and the
count read 4,300 pages (59 ms). Nothing changes on SQLite, nor for what any query returns.

The setting applies to rows written from now on (each load or re-load); `VACUUM FULL statements` (which takes
the table's lock for its whole time) rewrites an existing archive's rows at once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NARROW_ROWS = 128  # bytes: PostgreSQL's least toast_tuple_target


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE statements SET (toast_tuple_target = {NARROW_ROWS})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE statements RESET (toast_tuple_target)")

"""PostgreSQL: an index that finds statements by the start of their slug

`iwfdb show REF` looks for slugs that begin with REF (a slug typed in part; a number that is an id and also
begins slugs; the near matches it suggests). PostgreSQL's index on `slug` (the unique one) follows the
database's collation, which a `LIKE 'prefix%'` cannot use: each look-up read every statement's row, 0.5 s at
100,000 statements, and `show` took a second. This index compares bytes (`text_pattern_ops`), which a prefix
can use: the look-up takes 0.05 ms. SQLite needs none (its look-up is a walk of the slugs' index, 10 ms at
100,000), so nothing changes there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SLUG_PREFIX_INDEX = "ix_statements_slug_prefix"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {SLUG_PREFIX_INDEX} ON statements (slug text_pattern_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {SLUG_PREFIX_INDEX}")

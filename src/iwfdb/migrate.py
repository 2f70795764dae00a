"""The one door to Alembic: find the migrations, apply them, say where a database stands.

Alembic and SQLAlchemy are imported inside the functions: they cost a quarter of a second, which a read
command (and a load with no migration to run) never pays. `REVISIONS` names every migration in order, so
that the archive's revision can be judged (older, newest, or from a newer iwfdb) without importing them;
a test keeps it equal to Alembic's own history.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

    from iwfdb.db.location import Location

REVISIONS = ("0001", "0002", "0003", "0004")
HEAD_REVISION = REVISIONS[-1]

# Full-text search is the engine's own, made by raw SQL in the migrations; the models do not map it: SQLite's
# FTS5 tables and their shadow tables, PostgreSQL's generated search_vector columns and their indexes.
FTS_TABLE_MARKER = "_fts"
SEARCH_VECTOR = "search_vector"


def is_known(revision: str) -> bool:
    """Whether this iwfdb has the migration `revision` (an unknown one was made by a newer iwfdb)."""
    return revision in REVISIONS


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the engines' full-text machinery out of Alembic's comparisons of models and database."""
    if type_ == "table":
        return not (name and FTS_TABLE_MARKER in name)
    if type_ == "column":
        return name != SEARCH_VECTOR
    if type_ == "index":
        return not (name and name.endswith(f"_{SEARCH_VECTOR}"))
    return True


def script_location() -> Path:
    """The migrations folder: inside the installed package (a wheel), else the checkout's top-level alembic/."""
    packaged = Path(__file__).with_name("alembic")
    if (packaged / "env.py").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "alembic"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(location: Location, target: str = "head") -> None:
    """Bring the archive's schema to `target`, all of it in one transaction (a first load killed midway
    leaves an empty archive, never half a schema)."""
    _run(location, "upgrade", target)


def downgrade(location: Location, target: str) -> None:
    _run(location, "downgrade", target)


def _run(location: Location, direction: str, target: str) -> None:
    from alembic import command

    from iwfdb.db import side_of

    engine = side_of(location).migration_engine(location)
    try:
        with engine.begin() as connection:
            getattr(command, direction)(alembic_config(connection), target)
    finally:
        engine.dispose()

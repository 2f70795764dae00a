"""The one door to Alembic: find the migrations, apply them, say where a database stands.

Alembic is imported inside the functions: it costs half a second, and read commands never need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iwfdb.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

# The newest revision in alembic/versions; a test keeps it equal to Alembic's own head, so that the
# read path can check a database's schema without importing Alembic.
HEAD_REVISION = "0003"

# FTS5 tables and their shadow tables are made by raw SQL in the migrations; the models do not map them.
FTS_TABLE_MARKER = "_fts"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave FTS5 tables out of Alembic's comparisons of models and database."""
    return not (type_ == "table" and name and FTS_TABLE_MARKER in name)


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


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the archive's schema to `target`, refusing a database made by a newer iwfdb."""
    from alembic import command

    with engine.begin() as connection:
        known = current_revision(connection)
        if known is not None and not is_known_revision(known):
            raise DatabaseError(
                f"the archive's schema is at revision {known}, which this iwfdb does not know: "
                "it was written by a newer iwfdb; upgrade iwfdb (pip install -U iwfdb) to use it"
            )
        command.upgrade(alembic_config(connection), target)


def downgrade(engine: Engine, target: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), target)


def is_known_revision(revision: str) -> bool:
    """Whether this iwfdb has the migration `revision` (an unknown one was made by a newer iwfdb)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False

"""The one door to Alembic: find the migrations, apply them, say where a database stands. It lives beside the
archive's door (iwfdb.db), which migrates through it.

Alembic and SQLAlchemy are imported inside the functions: they cost a quarter of a second, which a read
command (and a load with no migration to run) never pays. `REVISIONS` names every migration in order, so
that the archive's revision can be judged (older, newest, or from a newer iwfdb) without importing them;
a test keeps it equal to Alembic's own history.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from iwfdb.db.engine import side_of
from iwfdb.db.location import Location
from iwfdb.forking import fork_is_safe

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = REVISIONS[-1]

# Full-text search is the engine's own, made by raw SQL in the migrations; the models do not map it: SQLite's
# FTS5 tables and their shadow tables, PostgreSQL's generated search_vector columns and their indexes. Nor the
# indexes one engine has alone (migration 0007).
FTS_TABLE_MARKER = "_fts"
SEARCH_VECTOR = "search_vector"
ENGINE_ONLY_INDEXES = frozenset({"ix_statements_slug_prefix"})


def is_known(revision: str) -> bool:
    """Whether this iwfdb has the migration `revision` (an unknown one was made by a newer iwfdb)."""
    return revision in REVISIONS


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the engines' own machinery out of Alembic's comparisons of models and database: the full-text
    search, and PostgreSQL's index for slug prefixes (migration 0007), which the models cannot say for one
    engine only."""
    if type_ == "table":
        return not (name and FTS_TABLE_MARKER in name)
    if type_ == "column":
        return name != SEARCH_VECTOR
    if type_ == "index":
        return not (name and (name.endswith(f"_{SEARCH_VECTOR}") or name in ENGINE_ONLY_INDEXES))
    return True


def script_location() -> Path:
    """The migrations folder: inside the installed package (a wheel), else the checkout's top-level alembic/."""
    package = Path(__file__).resolve().parents[1]  # iwfdb/, this module being iwfdb/db/migrate.py
    packaged = package / "alembic"
    if (packaged / "env.py").is_file():
        return packaged
    return package.parents[1] / "alembic"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder holds no migration"
    return head


def upgrade(location: Location, target: str = "head") -> None:
    """Bring the archive's schema to `target`, all of it in one transaction (a first load killed midway
    leaves an empty archive, never half a schema).

    Where it is cheap, in a forked process: SQLAlchemy and Alembic hold some 40 MB once imported, which a
    load of 100,000 files would otherwise carry to its end (its peak memory rose from 165 MB to 203 MB).
    """
    if _fork_pays():
        _in_forked_process(_run, location, "upgrade", target)
    else:
        _run(location, "upgrade", target)


def downgrade(location: Location, target: str) -> None:
    _run(location, "downgrade", target)


def _fork_pays() -> bool:
    """Where a fork is safe, from a process that has not imported SQLAlchemy."""
    return fork_is_safe() and "sqlalchemy" not in sys.modules


def _in_forked_process(function, *arguments) -> None:
    """`function(*arguments)` in a child process; what it raised is raised here. A stop signal reaches both
    processes: the child stops as this process would have, and is waited for (a killed child has committed
    nothing: the migrations run in one transaction)."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        try:
            function(*arguments)
            outcome = None
        except BaseException as error:  # noqa: BLE001 - the parent raises it
            outcome = error
        try:
            os.write(writing, pickle.dumps(outcome))
        except Exception:  # an exception that does not pickle: its words, at least
            os.write(writing, pickle.dumps(RuntimeError(f"{type(outcome).__name__}: {outcome}")))
        finally:
            os._exit(0)  # nothing of the parent's (open connections, buffered output, atexit) is touched
    os.close(writing)
    try:
        with os.fdopen(reading, "rb") as pipe:
            sent = pipe.read()
    except BaseException:
        os.kill(child, signal.SIGKILL)
        raise
    finally:
        os.waitpid(child, 0)
    if not sent:
        raise RuntimeError("the schema migration's process ended unexpectedly; nothing was changed")
    outcome = pickle.loads(sent)
    if outcome is not None:
        raise outcome


def _run(location: Location, direction: str, target: str) -> None:
    from alembic import command

    engine = side_of(location).migration_engine(location)
    try:
        with engine.begin() as connection:
            getattr(command, direction)(alembic_config(connection), target)
    finally:
        engine.dispose()

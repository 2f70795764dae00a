"""Where the archive lives: --db, else the IWFDB_DB environment variable, else a file in the current folder."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_NAME = "iwfdb.sqlite"
DB_ENV_VAR = "IWFDB_DB"


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The archive's file, absolute, from the first of: the --db value, $IWFDB_DB, ./iwfdb.sqlite."""
    chosen = explicit or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME
    return Path(chosen).expanduser().absolute()


def database_url(explicit: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL of the archive chosen by database_path()."""
    return f"sqlite:///{database_path(explicit)}"

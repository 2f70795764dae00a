"""Where the archive is: a SQLite file or a PostgreSQL database, named by --db, else $IWFDB_DB, else a file.

Stdlib only and cheap: every command resolves its archive before it imports anything heavy. A path stays a
path all the way to the driver (never pasted into a URL), so that `%20`, `?`, `#` or bytes that are not UTF-8 in
a file name name that very file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from iwfdb.config import DB_ENV_VAR, DEFAULT_DB_NAME
from iwfdb.errors import UsageError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_SQLITE_URL = "sqlite:///"
_QUERY_PASSWORD = re.compile(r"((?:^|&)password=)[^&]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Location:
    """An archive's address: `engine` is `sqlite` (with `path`) or `postgresql` (with a libpq `url`)."""

    engine: str
    path: Path | None = None
    url: str | None = None
    written: str | None = field(default=None, compare=False, repr=False)  # the --db text, to explain a miss

    @property
    def is_sqlite(self) -> bool:
        return self.engine == SQLITE

    @property
    def file(self) -> Path:
        """A SQLite archive's file (asked of a PostgreSQL archive, a bug of iwfdb's)."""
        assert self.path is not None, f"{self.url}: a PostgreSQL archive has no file"
        return self.path

    @property
    def server_url(self) -> str:
        """A PostgreSQL archive's URL (asked of a SQLite archive, a bug of iwfdb's)."""
        assert self.url is not None, f"{self.path}: a SQLite archive has no server"
        return self.url

    def sqlite_uri(self, mode: str) -> str:
        """A `file:` URI for sqlite3 (`mode=ro` or `rw`), with every byte of the path escaped."""
        return f"file:{quote(os.fsencode(self.file))}?mode={mode}"

    def absent(self) -> str:
        """What to say when no archive is here, with what the user may have meant."""
        return f"no archive at {self}{self._absolute_meant()}; run `iwfdb load FOLDER` first (or choose one with --db)"

    def _absolute_meant(self) -> str:
        """SQLAlchemy's rule, kept: sqlite:///x is relative to the current folder, sqlite:////x absolute."""
        written = self.written or ""
        if not written.startswith(_SQLITE_URL) or written.startswith(_SQLITE_URL + "/"):
            return ""
        absolute = "/" + written[len(_SQLITE_URL) :]
        if not Path(absolute).expanduser().exists():
            return ""
        return (
            f" (did you mean sqlite:///{absolute}? three slashes name a path from the current folder, "
            "four an absolute one)"
        )

    def __str__(self) -> str:
        return str(self.file) if self.is_sqlite else _without_password(self.server_url)


def locate(given: str | os.PathLike[str] | None = None) -> Location:
    """The archive named by `given` (the --db value), else by $IWFDB_DB, else ./iwfdb.sqlite."""
    chosen = given or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME
    text = os.fspath(chosen)
    scheme = _URL.match(text)
    if scheme is None:
        return _sqlite_file(Path(text))
    name = scheme["scheme"].lower()
    if name in _POSTGRES_SCHEMES:
        return Location(POSTGRESQL, url="postgresql" + text[scheme.end("scheme") :])
    if name == "sqlite" and text.startswith(_SQLITE_URL) and len(text) > len(_SQLITE_URL):
        # SQLAlchemy's form: sqlite:///relative/path or sqlite:////absolute/path
        return _sqlite_file(Path(text[len(_SQLITE_URL) :]), written=text)
    if name == "sqlite":
        raise UsageError(f"--db {text!r}: an archive is a file; give its path (or sqlite:///PATH)")
    raise UsageError(
        f"--db {_without_password(text)!r}: iwfdb keeps archives in SQLite (a file path) or "
        f"PostgreSQL (postgresql://user@host/database), not in {name}"
    )


def _sqlite_file(path: Path, written: str | None = None) -> Location:
    """A SQLite archive's location; a folder is refused, whatever the command (it would read as missing)."""
    path = path.expanduser().absolute()
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give the archive's file, e.g. {path / DEFAULT_DB_NAME}")
    return Location(SQLITE, path=path, written=written)


def _without_password(url: str) -> str:
    """A URL fit to print: its password, if any, replaced by `***` (in the user part or as `?password=`)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username}:***@{netloc.rpartition('@')[2]}"
    shown = f"{parts.scheme}://{netloc}{parts.path}"
    if parts.query:
        shown += "?" + _QUERY_PASSWORD.sub(r"\1***", parts.query)
    return shown + (f"#{parts.fragment}" if parts.fragment else "")

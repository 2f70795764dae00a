"""A SQLite copy of a PostgreSQL archive, kept up to date, for what reads SQLite only (`iwfdb serve`: Datasette).

The copy is made as any SQLite archive is (the door makes it, by the Alembic migrations, full-text index
included) in a file of its own, filled from one snapshot of the archive, then copied into the file that is
served by SQLite's online backup: pages reading the served copy go on answering while a new one is made.
Beside the served file a small JSON file (`ABOUT_SUFFIX`) says what it is a copy of (the URL without its
password), when it was made and last found up to date, and the archive's write generation then: a copy whose
generation is the archive's is current, after a restart too. A file without one is never overwritten.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from iwfdb.db import Archive, Purpose, locate, open_archive
from iwfdb.db import sqlite as copy_engine
from iwfdb.db.location import Location
from iwfdb.errors import DatabaseError, IwfdbError, UsageError

ABOUT_SUFFIX = ".about.json"
ABOUT_MAX_BYTES = 16_384
ROWS_AT_ONCE = 2_000  # rows read from the archive per query: memory stays small whatever the archive's size
NOT_COPIED = frozenset({"alembic_version"})  # the migrations made it
DEFAULT_INTERVAL_S = 10.0


@dataclass(frozen=True, slots=True)
class CopyInfo:
    """What a copy is: of which archive (no password), at which write generation, made and checked when."""

    source: str
    generation: int
    made_at: str
    checked_at: str
    seconds: float  # how long making it took


def about_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ABOUT_SUFFIX)


def read_about(copy: Path) -> CopyInfo | None:
    """The copy's description, None when `copy` is not a copy (or its description is unreadable)."""
    try:
        with about_path(copy).open("rb") as file:
            about = json.loads(file.read(ABOUT_MAX_BYTES))
        return CopyInfo(**about)
    except (OSError, ValueError, TypeError):
        return None


def refresh_copy(source: Location, copy: Path, on_making: Callable[[], None] = lambda: None) -> CopyInfo:
    """The copy at `copy` made, or brought up to date if the archive changed since it was made (`on_making` is
    called first then, to say that this takes a while)."""
    about = read_about(copy)
    if copy.exists() and (about is None or about.source != str(source)):
        raise UsageError(
            f"{copy} exists and is not a copy of {source}: iwfdb keeps a copy only in a file of its own; "
            "give --copy a new path"
        )
    with open_archive(source, Purpose.READ) as archive, archive.errors_explained():
        generation = archive.side.write_generation(archive.connection)
    if about is not None and about.generation == generation and _readable(copy):
        about = replace(about, checked_at=_now())
        _write_about(copy, about)
        return about
    on_making()
    return make_copy(source, copy)


def make_copy(source: Location, copy: Path) -> CopyInfo:
    """A new copy of the archive in a file beside `copy`, then put in its place (see replace_contents)."""
    started = time.monotonic()
    building = copy.with_name(f".{copy.name}.{os.getpid()}.{threading.get_ident()}.building")
    _remove(building)
    try:
        with (
            open_archive(source, Purpose.READ) as archive,
            open_archive(locate(str(building)), Purpose.WRITE) as new,
            archive.errors_explained(),
        ):
            generation = _fill(archive, new)
        if copy.exists():
            copy_engine.replace_contents(new.location, locate(str(copy)))
        else:
            os.replace(building, copy)
    finally:
        _remove(building)
    made = _now()
    about = CopyInfo(str(source), generation, made, made, round(time.monotonic() - started, 3))
    _write_about(copy, about)
    return about


def _readable(copy: Path) -> bool:
    """Whether the copy is there and at this iwfdb's schema (an upgraded iwfdb makes it again)."""
    try:
        open_archive(locate(str(copy)), Purpose.READ).close()
    except DatabaseError:
        return False
    return True


def _fill(archive: Archive, new: Archive) -> int:
    """Every row of the archive, as one snapshot shows it, written into the new archive; its write generation."""
    from iwfdb.db import postgres  # what only the engine copied from has: psycopg is imported by then

    generation = postgres.begin_snapshot(archive.connection)
    try:
        copy_engine.begin_copy(new.connection)
        for table in sorted(postgres.table_names(archive.connection) - NOT_COPIED):
            _copy_table(archive, new, table)
        new.commit()
    finally:
        archive.rollback()
        new.rollback()
    new.side.rebuild_full_text(new.connection)
    return generation


def _copy_table(archive: Archive, new: Archive, table: str) -> None:
    """A table's rows, a page at a time in the order of its primary key (a keyset, so that each page costs the same)."""
    columns, key = copy_engine.table_columns(new.connection, table)
    if not columns:
        return  # a table of the server's that the SQLite archive does not have
    listed, keys = ", ".join(columns), ", ".join(key)
    first = f"SELECT {listed} FROM {table} ORDER BY {keys} LIMIT {ROWS_AT_ONCE}"
    after = (
        f"SELECT {listed} FROM {table} WHERE ({keys}) > ({', '.join('?' * len(key))}) ORDER BY {keys} "
        f"LIMIT {ROWS_AT_ONCE}"
    )
    rows = archive.execute(first).fetchall()
    cursor = new.cursor()
    while rows:
        new.side.insert_rows(cursor, table, columns, [dict(zip(columns, row, strict=True)) for row in rows])
        last = dict(zip(columns, rows[-1], strict=True))
        rows = archive.execute(after, [last[column] for column in key]).fetchall() if len(rows) == ROWS_AT_ONCE else []


def _write_about(copy: Path, about: CopyInfo) -> None:
    """Written beside, then renamed: a reader never finds half a description."""
    path = about_path(copy)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(json.dumps(asdict(about)), encoding="utf-8")
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CopyKeeper:
    """Keeps a copy up to date from a thread of its own: every `interval` seconds it looks at the archive's write
    generation (one small query) and makes a new copy when it moved; a failure is told, and tried again later."""

    def __init__(self, source: Location, copy: Path, interval: float, on_error: Callable[[str], None]):
        self.source, self.copy, self.interval, self.on_error = source, copy, interval, on_error
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="iwfdb-copy", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                refresh_copy(self.source, self.copy)
            except IwfdbError as error:
                self.on_error(str(error))

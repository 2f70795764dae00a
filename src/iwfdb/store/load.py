"""`iwfdb load` as a library: files in, archive rows out, one file at a time.

The pipeline is a stream: find the files, then for each one read and hash it, skip it if its bytes are
already archived, parse it, and save it. Nothing of the corpus is held in memory beyond one file.

One file, one transaction: each file is saved inside its own SAVEPOINT, so a file that fails leaves
nothing behind and is then recorded as failed in `sources`. The savepoints sit in a transaction that is
committed every `batch_size` files, because a COMMIT per file would cost three times as much. If the
process stops, what was committed holds only whole files, and the next load carries on from there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import exc, insert, select, update
from sqlalchemy.engine import Connection

from iwfdb import records
from iwfdb.errors import ParseError
from iwfdb.files import DEFAULT_GLOB, DEFAULT_MAX_SIZE, FileContent, FileRefused, FoundFile, find_files, read_file
from iwfdb.store.archive import database_errors, open_archive
from iwfdb.store.save import Counts, save_statement, save_warnings
from iwfdb.store.tables import SOURCES

DEFAULT_BATCH_SIZE = 500
ARCHIVED_OUTCOMES = ("loaded", "updated")
FILE_OUTCOMES = ("new", "updated", "unchanged", "duplicate", "failed")

Parser = Callable[[bytes, str], records.ParsedFile]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What became of one file: new, updated, unchanged, duplicate (its bytes are archived already) or failed."""

    path: str
    outcome: str
    error: str | None = None
    statement_id: int | None = None


@dataclass(slots=True)
class LoadReport:
    """The summary of a load: files by outcome, rows added, and each failure as `path:line:col: message`."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_OUTCOMES, 0))
    rows: Counts = field(default_factory=Counts)
    failures: list[str] = field(default_factory=list)
    stopped_early: bool = False

    def add(self, result: FileResult) -> None:
        self.files[result.outcome] += 1
        if result.error:
            self.failures.append(result.error)

    def to_dict(self) -> dict:
        return {"files": dict(self.files), "rows": asdict(self.rows), "failures": list(self.failures),
                "stopped_early": self.stopped_early}  # fmt: skip


def load_paths(
    database: Path,
    paths: Iterable[str | os.PathLike[str]],
    *,
    glob: str = DEFAULT_GLOB,
    strict: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    parse: Parser | None = None,
) -> LoadReport:
    """Load the statement files under `paths` into the archive at `database`; `strict` stops at the first failure.

    `on_start(number_of_files)` and `on_file(result)` let a caller show progress.
    """
    found = find_files(paths, glob)
    engine = open_archive(database)
    loader = _Loader(parse, max_size, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    report = LoadReport(rows=loader.counts)
    if on_start:
        on_start(len(found))
    try:
        with database_errors(database), engine.connect() as connection:
            _load_in_batches(connection, loader, found, report, strict, batch_size, on_file)
    finally:
        engine.dispose()
    return report


def _load_in_batches(connection, loader, found, report, strict, batch_size, on_file) -> None:
    transaction = connection.begin()
    try:
        for number, item in enumerate(found, start=1):
            result = loader.load_file(connection, item)
            report.add(result)
            if on_file:
                on_file(result)
            if strict and result.outcome == "failed":
                report.stopped_early = number < len(found)
                break
            if number % batch_size == 0:
                transaction.commit()
                transaction = connection.begin()
    except KeyboardInterrupt:
        # The file being saved was rolled back to its savepoint; the files before it are whole: keep them.
        transaction.commit()
        raise
    transaction.commit()


class _Loader:
    """Loads one file at a time on the writer's connection; knows the parser, size limit and load time."""

    def __init__(self, parse: Parser | None, max_size: int, now: str):
        self._parse = parse
        self.max_size = max_size
        self.now = now
        self.counts = Counts()

    def load_file(self, connection: Connection, found: FoundFile) -> FileResult:
        """Read, hash, skip if archived, parse, save: the whole life of one file in a load."""
        previous = connection.execute(
            select(SOURCES.c.id, SOURCES.c.sha256, SOURCES.c.outcome, SOURCES.c.error)
            .where(SOURCES.c.path == found.key)
        ).first()  # fmt: skip
        try:
            content = read_file(found, self.max_size)
        except FileRefused as refused:
            return self.fail(connection, previous, found, f"{found.path}: {refused}", refused.size, refused.mtime_ns)
        if previous is not None and previous.sha256 == content.sha256 and previous.outcome != "failed":
            return FileResult(str(found.path), "unchanged")
        if self.is_archived_elsewhere(connection, content):
            self.save_source(connection, previous, content, "duplicate")
            return FileResult(str(found.path), "duplicate")
        try:
            parsed = self.parse(content.data, str(found.path))
        except ParseError as error:
            return self.fail(connection, previous, found, str(error), content.size, content.mtime_ns, content.sha256)
        return self.save(connection, previous, content, parsed)

    def parse(self, data: bytes, source: str) -> records.ParsedFile:
        if self._parse is None:  # imported on first use: a re-load of unchanged files never needs it
            from iwfdb.parse import parse_bytes

            self._parse = parse_bytes
        return self._parse(data, source)

    def save(self, connection: Connection, previous, content: FileContent, parsed) -> FileResult:
        counts = Counts()
        path = str(content.found.path)
        try:
            with connection.begin_nested():
                outcome = "loaded" if previous is None else "updated"
                source_id = self.save_source(connection, previous, content, outcome)
                statement_id = save_statement(connection, parsed, source_id, content.found.path.name, self.now, counts)
                save_warnings(connection, source_id, parsed.statement.warnings)
        except exc.IntegrityError as error:
            message = f"{path}: cannot archive this statement: {error.orig}"
            return self.fail(connection, previous, content.found, message, content.size, content.mtime_ns,
                             content.sha256)  # fmt: skip
        self.counts.add(counts)
        return FileResult(path, "new" if previous is None else "updated", statement_id=statement_id)

    def is_archived_elsewhere(self, connection: Connection, content: FileContent) -> bool:
        twin = select(SOURCES.c.id).where(
            SOURCES.c.sha256 == content.sha256,
            SOURCES.c.outcome.in_(ARCHIVED_OUTCOMES),
            SOURCES.c.path != content.found.key,
        )
        return connection.execute(twin.limit(1)).first() is not None

    def save_source(self, connection: Connection, previous, content: FileContent, outcome: str) -> int:
        values = {"size": content.size, "mtime_ns": content.mtime_ns, "sha256": content.sha256,
                  "outcome": outcome, "error": None, "last_loaded_at": self.now}  # fmt: skip
        return self.write_source(connection, previous, content.found, values)

    def write_source(self, connection: Connection, previous, found: FoundFile, values: dict) -> int:
        if previous is None:
            row = {**values, "path": found.key, "first_loaded_at": self.now}
            return connection.execute(insert(SOURCES).returning(SOURCES.c.id), row).scalar_one()
        connection.execute(update(SOURCES).where(SOURCES.c.id == previous.id).values(values))
        return previous.id

    def fail(self, connection, previous, found, message, size=None, mtime_ns=None, sha256=None) -> FileResult:
        """Record a failed file in `sources` (untouched if it failed the same way last time)."""
        same_failure = previous is not None and (previous.outcome, previous.error, previous.sha256) == (
            "failed", message, sha256
        )
        if not same_failure:
            values = {"size": size, "mtime_ns": mtime_ns, "sha256": sha256, "outcome": "failed", "error": message,
                      "last_loaded_at": self.now}  # fmt: skip
            self.write_source(connection, previous, found, values)
        return FileResult(str(found.path), "failed", error=message)

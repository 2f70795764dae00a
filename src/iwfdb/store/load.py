"""`iwfdb load` as a library: files in, archive rows out.

The load is a stream: find the files; for each, read and hash it and skip it if its bytes are already
archived (before any parsing); parse it (in worker processes, while this process writes); save it.
Nothing of the corpus is held in memory beyond the files in flight and one batch of rows.

One file, one transaction, as the reader sees it: the rows of a batch of whole files are written and
committed together, so a reader or a killed process never sees part of a file. A file that fails to
parse writes nothing but its `sources` row. Should a batch fail to write, it is rolled back and written
again file by file, each inside its own SAVEPOINT, so that only the file at fault is lost, and said so.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path


from iwfdb.errors import ParseError
from iwfdb.files import (
    DEFAULT_GLOB, DEFAULT_MAX_SIZE, FileRefused, FoundFile, SkippedPath, read_file, search_files,
)  # fmt: skip
from iwfdb.store.opening import database_errors, open_archive
from iwfdb.store.parallel import ParsePipeline, Parser
from iwfdb.store.writer import ArchiveWriter, Counts, SourceState

DEFAULT_BATCH_SIZE = 500
LOOK_UP_AHEAD = 256  # files whose `sources` rows are read in one query
FILE_OUTCOMES = ("new", "updated", "unchanged", "duplicate", "failed")


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a file failed, in parts (for `load --json`); as text, `path:line:col: message` or `path: message`."""

    path: str
    line: int | None  # None: the file as a whole (unreadable, too large, refused by the archive)
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f":{self.line}:{self.column}" if self.line is not None else ""
        return f"{self.path}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What became of one file: new, updated, unchanged, duplicate (its bytes are archived already) or failed."""

    path: str
    outcome: str
    error: Failure | None = None
    statement_id: int | None = None
    note: str | None = None  # a conflict with another file, or where a duplicate's bytes are archived


@dataclass(slots=True)
class LoadReport:
    """The summary of a load: files by outcome, rows added, what went wrong or was left out, as messages."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_OUTCOMES, 0))
    rows: Counts = field(default_factory=Counts)
    failures: list[Failure] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)
    stopped_early: bool = False
    interrupted: bool = False  # should_stop() turned true before every file was taken

    def add(self, result: FileResult) -> None:
        self.files[result.outcome] += 1
        if result.error:
            self.failures.append(result.error)
        elif result.note:
            (self.duplicates if result.outcome == "duplicate" else self.conflicts).append(result.note)

    def to_dict(self) -> dict:
        return {
            "files": dict(self.files), "rows": asdict(self.rows), "failures": [asdict(failure) for failure in self.failures],
            "conflicts": list(self.conflicts), "duplicates": list(self.duplicates),
            "skipped": [{"path": str(item.path), "reason": item.reason} for item in self.skipped],
            "stopped_early": self.stopped_early,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _File:
    """A file on its way through the load: where it is, what `sources` knew of it and when, what it holds.

    Its bytes are not kept: once parsed, a batch holds only the records (a replay needs no more).
    """

    found: FoundFile
    previous: SourceState | None
    known_in: int  # the writer's transaction in which `previous` was read
    size: int
    mtime_ns: int
    sha256: str

    def values(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


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
    workers: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> LoadReport:
    """Load the statement files under `paths` into the archive at `database`; `strict` stops at the first failure.

    `on_start(number_of_files)` and `on_file(result)` let a caller show progress (results arrive as their
    batch commits). `parse` replaces the parser (tests); `workers` the number of parsing processes.
    `should_stop()` is asked between files (Ctrl-C): once it is true, the files saved so far are committed,
    the files still being parsed are left for the next load, and the report says `interrupted`.
    """
    search = search_files(paths, glob)
    found = search.files
    connection = open_archive(database)
    report = LoadReport(skipped=search.skipped)
    if on_start:
        on_start(len(found))
    try:
        with database_errors(database):
            pipeline = ParsePipeline(parse, workers, should_stop)
            _Load(connection, report, strict, max_size, batch_size, on_file, pipeline).run(found)
    finally:
        connection.close()
    return report


def _is_unchanged(previous: SourceState | None, sha256: str) -> bool:
    return previous is not None and previous.sha256 == sha256 and previous.outcome != "failed"


class _Load:
    """One run of a load on the writer's connection: takes files in, commits them a batch at a time."""

    def __init__(self, connection: sqlite3.Connection, report, strict, max_size, batch_size, on_file, pipeline):
        self.connection = connection
        self.report = report
        self.strict = strict
        self.max_size = max_size
        self.batch_size = batch_size
        self.on_file = on_file
        self.pipeline = pipeline
        self.now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        connection.execute("BEGIN IMMEDIATE")
        self.writer = ArchiveWriter(connection, self.now)
        self.results: list[FileResult] = []  # of this transaction, reported when it commits
        self.batch: list[tuple[_File, object]] = []  # files written in this transaction, for a replay
        self.stopped = False
        self.dropped = 0

    def run(self, found: list[FoundFile]) -> None:
        try:
            for number, item in enumerate(found, start=1):
                if self.pipeline.should_stop():
                    break
                if number % LOOK_UP_AHEAD == 1:  # one query for what `sources` knows of the next files
                    known = self.writer.sources([file.key for file in found[number - 1 : number - 1 + LOOK_UP_AHEAD]])
                    known_in = self.writer.generation
                self._take(item, known.get(item.key), known_in)
                self._save_all(self.pipeline.ready())
                if self.stopped:
                    self.report.stopped_early = number < len(found)
                    break
            self._save_all(self.pipeline.drain())  # at once when stopping: what is parsed is not waited for
            self.report.interrupted = self.pipeline.should_stop()
            self.report.stopped_early |= self.dropped > 0
            self._commit()
        except BaseException:
            # Uncommitted files are dropped whole; what was committed holds only whole files.
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        finally:
            self.pipeline.close()

    def _take(self, found: FoundFile, previous: SourceState | None, known_in: int) -> None:
        """Read and hash a file; a file whose bytes are archived already goes no further."""
        try:
            content = read_file(found, self.max_size)
        except FileRefused as refused:
            self._save_all(self.pipeline.drain())  # files before this one first, as --strict promises
            values = {"size": refused.size, "mtime_ns": refused.mtime_ns, "sha256": None}
            self._record(self._fail(found, previous, Failure(found.path, None, None, str(refused)), values))
            return
        if _is_unchanged(previous, content.sha256):
            self._record(FileResult(str(found.path), "unchanged"))
            return
        item = _File(found, previous, known_in, content.size, content.mtime_ns, content.sha256)
        self.pipeline.submit(item, content.data, str(found.path))

    def _save_all(self, parsed) -> None:
        for item, outcome in parsed:
            if self.stopped:  # --strict, after a failure: files still in flight are not loaded
                self.dropped += 1
                continue
            self.batch.append((item, outcome))
            self._record(self._save(item, outcome))

    def _record(self, result: FileResult) -> None:
        self.results.append(result)
        if self.strict and result.outcome == "failed":
            self.stopped = True
        if len(self.results) >= self.batch_size:
            self._commit()
            self.connection.execute("BEGIN IMMEDIATE")
            self.writer.begin(after_commit=True)

    def _save(self, item: _File, outcome) -> FileResult:
        """Write one parsed file's rows (pending until the batch flushes)."""
        found, values = item.found, item.values()
        if item.known_in != self.writer.generation:  # another load may have archived it since: look again
            item = replace(item, previous=self.writer.source(found.key), known_in=self.writer.generation)
        if _is_unchanged(item.previous, item.sha256):
            return FileResult(str(found.path), "unchanged")
        if isinstance(outcome, ParseError):
            failure = Failure(found.path, outcome.line, outcome.column, outcome.message)
            return self._fail(found, item.previous, failure, values)
        twin = self.writer.archived_elsewhere(item.sha256, found.key)
        if twin is not None:
            self.writer.save_source(item.previous, found.key, {**values, **self._outcome("duplicate")})
            how = "a copy of" if os.path.exists(twin) else "moved from"
            return FileResult(str(found.path), "duplicate", note=f"{found.path}: {how} {twin}, already archived")
        first_time = item.previous is None or (
            item.previous.outcome == "failed" and not self.writer.has_statement_from(item.previous.id)
        )
        source_id = self.writer.save_source(
            item.previous, found.key, {**values, **self._outcome("loaded" if first_time else "updated")}
        )
        saved = self.writer.save_statement(outcome, source_id, found.name)
        note = None
        if saved.replaced_source:
            note = (f"{found.path}: the same statement (title and date) as {saved.replaced_source}, with other "
                    "text: the earlier text is kept as a revision")  # fmt: skip
        return FileResult(str(found.path), "new" if first_time else "updated", None, saved.statement_id, note)

    def _outcome(self, outcome: str, error: str | None = None) -> dict:
        return {"outcome": outcome, "error": error, "last_loaded_at": self.now}

    def _fail(self, found: FoundFile, previous: SourceState | None, failure: Failure, values: dict) -> FileResult:
        """Record a failed file in `sources` (untouched if it failed the same way last time)."""
        message = str(failure)
        same_failure = previous is not None and (previous.outcome, previous.error, previous.sha256) == (
            "failed", message, values["sha256"]
        )  # fmt: skip
        if not same_failure:
            self.writer.save_source(previous, found.key, {**values, **self._outcome("failed", message)})
        return FileResult(str(found.path), "failed", error=failure)

    def _commit(self) -> None:
        try:
            self.writer.flush()
        except sqlite3.IntegrityError:
            self._replay_file_by_file()
        self.connection.execute("COMMIT")
        for result in self.results:
            self.report.add(result)
            if self.on_file:
                self.on_file(result)
        self.report.rows.add(self.writer.counts)
        self.writer.counts = Counts()
        self.results, self.batch = [], []

    def _replay_file_by_file(self) -> None:
        """The batch could not be written whole: write it again a file at a time, each in a SAVEPOINT."""
        self.connection.execute("ROLLBACK")
        self.connection.execute("BEGIN IMMEDIATE")
        self.writer.begin()
        self.results = [result for result in self.results if result.outcome == "unchanged"]
        self.writer.counts = Counts()
        for item, outcome in self.batch:
            self.connection.execute("SAVEPOINT one_file")
            counted = replace(self.writer.counts)
            try:
                result = self._save(item, outcome)
                self.writer.flush()
                self.connection.execute("RELEASE one_file")
            except sqlite3.IntegrityError as error:
                self.connection.execute("ROLLBACK TO one_file")
                self.connection.execute("RELEASE one_file")
                self.writer.begin()
                self.writer.counts = counted
                failure = Failure(item.found.path, None, None, f"cannot archive this statement: {error}")
                result = self._fail(item.found, self.writer.source(item.found.key), failure, item.values())
                self.writer.flush()
            self.results.append(result)

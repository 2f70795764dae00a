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

import gc
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

from iwfdb.db import Archive, Location, Purpose, open_archive
from iwfdb.errors import ParseError
from iwfdb.files import (
    DEFAULT_GLOBS,
    DEFAULT_MAX_SIZE,
    FileRefused,
    FoundFile,
    SkippedPath,
    hash_file,
    is_web_archive,
    read_file,
    search_files,
)
from iwfdb.keys import publisher_name
from iwfdb.parse import PARSER_VERSION
from iwfdb.parse.refusal import is_not_a_statement_page
from iwfdb.parse_worker import Outcome, Parser
from iwfdb.store.batch import Counts
from iwfdb.store.parallel import ParsePipeline
from iwfdb.store.policy import SourceState, failed_before, is_not_a_statement, is_same_bytes, is_unchanged
from iwfdb.store.session import Replay, Saved, WriteSession
from iwfdb.store.sources import FileToSave
from iwfdb.store.web_archives import WebArchive, is_settled, pages
from iwfdb.warc import WarcError

DEFAULT_BATCH_SIZE = 500  # files written in one transaction
# A batch also ends after this many times as many files read that needed no writing: a re-load that finds few
# changes commits a few large batches rather than hundreds of tiny ones (each costs a flush and a COMMIT), and
# still lets another writer in every few tenths of a second.
FILES_READ_PER_FILE_WRITTEN = 20
LOOK_UP_AHEAD = 256  # files whose `sources` rows are read in one query
# The cycle collector's thresholds while a load runs (Python's: 700, 10, 10). See _rare_collections.
LOAD_GC_THRESHOLDS = (50_000, 20, 1_000)
# reread: bytes an older parser read, read again; failed_before: failed with the same bytes and parser last time;
# not_statement: a page that is no statement (an about page, a listing), this time or the last.
FILE_OUTCOMES = ("new", "updated", "reread", "unchanged", "duplicate", "failed", "failed_before", "not_statement")
NOTHING_WRITTEN = ("unchanged", "failed_before")


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
    """What became of one file: one of FILE_OUTCOMES (a duplicate's bytes are archived already)."""

    path: str
    outcome: str
    error: Failure | None = None
    statement_id: int | None = None
    note: str | None = None  # a conflict with another file, or where a duplicate's bytes are archived
    merge: str | None = None  # the statement of another source (address, opening paragraphs) this one is
    declined: str | None = None  # a statement of the same title and date this one was not merged with, and why
    publisher_kept: str | None = None  # the page states a publisher other than --publisher's: kept


@dataclass(slots=True)
class LoadReport:
    """The summary of a load: files by outcome, rows added, what went wrong or was left out, as messages."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_OUTCOMES, 0))
    rows: Counts = field(default_factory=Counts)
    failures: list[Failure] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    declined_merges: list[str] = field(default_factory=list)
    publishers_kept: list[str] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)
    stopped_early: bool = False
    # Web archives: the records that were not pages, by reason ('not HTML', 'HTTP status other than 200'...),
    # and what else a person should know of each (records too large, warcio's warnings), a line each.
    records_skipped: Counter = field(default_factory=Counter)
    web_archive_notes: list[str] = field(default_factory=list)
    interrupted: bool = False  # should_stop() turned true before every file was taken

    def add(self, result: FileResult) -> None:
        self.files[result.outcome] += 1
        if result.error:
            self.failures.append(result.error)
        elif result.note:
            (self.duplicates if result.outcome == "duplicate" else self.conflicts).append(result.note)
        for notes, note in (
            (self.merges, result.merge),
            (self.declined_merges, result.declined),
            (self.publishers_kept, result.publisher_kept),
        ):
            if note:
                notes.append(note)

    def to_dict(self) -> dict:
        return {
            "files": dict(self.files),
            "rows": asdict(self.rows),
            "failures": [asdict(failure) for failure in self.failures],
            "conflicts": list(self.conflicts),
            "duplicates": list(self.duplicates),
            "merges": list(self.merges),
            "declined_merges": list(self.declined_merges),
            "publishers_kept": list(self.publishers_kept),
            "skipped": [{"path": str(item.path), "reason": item.reason} for item in self.skipped],
            "web_archive_records_skipped": dict(self.records_skipped),
            "web_archive_notes": list(self.web_archive_notes),
            "stopped_early": self.stopped_early,
        }


@dataclass(frozen=True, slots=True)
class _File:
    """A file on its way through the load: where it is, what `sources` knew of it and when, what it holds.

    Its bytes are not kept: once parsed, a batch holds only the records (a replay needs no more).
    """

    found: FoundFile
    previous: SourceState | None
    known_in: int  # the transaction in which `previous` was read
    size: int
    mtime_ns: int
    sha256: str
    web_archive: WebArchive | None = None  # the WARC file this page is a record of
    fetched_at: str | None = None

    def to_save(self) -> FileToSave:
        values = {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
            "parser_version": PARSER_VERSION,
            "fetched_at": self.fetched_at,
        }
        return FileToSave(self.found.key, self.found.name, self.previous, values)


def load_paths(
    location: Location,
    paths: Iterable[str | os.PathLike[str]],
    *,
    glob: str | tuple[str, ...] = DEFAULT_GLOBS,
    strict: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    parse: Parser | None = None,
    workers: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    publisher: str | None = None,
) -> LoadReport:
    """Load the statement files under `paths` into the archive at `location`; `strict` stops at the first failure.

    `on_start(number_of_files)` and `on_file(result)` let a caller show progress (results arrive as their
    batch commits). `parse` replaces the parser (tests); `workers` the number of parsing processes.
    `should_stop()` is asked between files (Ctrl-C): once it is true, the files saved so far are committed,
    the files still being parsed are left for the next load, and the report says `interrupted`.
    `publisher` says whose statements these are, for texts that do not (iwfdb load --publisher).
    """
    search = search_files(paths, glob)
    found = search.files
    hints = {"publisher": publisher} if publisher else {}
    report = LoadReport(skipped=search.skipped)
    if on_start:
        on_start(len(found))
    with open_archive(location, Purpose.WRITE) as archive, archive.errors_explained(), _rare_collections():
        pipeline: ParsePipeline[_File] = ParsePipeline(parse, workers, should_stop, files=len(found))
        _Load(archive, report, strict, max_size, batch_size, on_file, pipeline, hints).run(found)
    return report


@contextmanager
def _rare_collections() -> Iterator[None]:
    """The loader makes many short-lived objects, which reference counting frees, and keeps what it knows of
    every statement: with Python's thresholds the cycle collector ran some 1,200 times per 20,000 files and
    walked that knowledge again and again (0.9 s, an eighth of the loading process's time; 0.07 s with these)."""
    before = gc.get_threshold()
    gc.set_threshold(*LOAD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Load:
    """One run of a load on the writer's connection: takes files in, parses them, and hands them to its batch."""

    def __init__(self, archive: Archive, report, strict, max_size, batch_size, on_file, pipeline, hints: dict):
        self.report = report
        self.hints = hints  # what the user says of every file (whose statements these are)
        self.max_size = max_size
        self.pipeline = pipeline
        self.session = WriteSession(archive, datetime.now(UTC).isoformat(timespec="seconds"))
        self.session.begin()
        self.batch = _Batch(self.session, report, strict, batch_size, on_file, hints)
        self.dropped = 0

    def run(self, found: list[FoundFile]) -> None:
        try:
            for number, item in enumerate(found, start=1):
                if self.pipeline.should_stop():
                    break
                if number % LOOK_UP_AHEAD == 1:  # one query for what `sources` knows of the next files
                    known = self.session.sources([file.key for file in found[number - 1 : number - 1 + LOOK_UP_AHEAD]])
                    known_in = self.session.transaction
                self._take(item, known.get(item.key), known_in)
                self._save_all(self.pipeline.ready())
                if self.batch.stopped:
                    self.report.stopped_early = number < len(found)
                    break
            self._save_all(self.pipeline.drain())  # at once when stopping: what is parsed is not waited for
            self.report.interrupted = self.pipeline.should_stop()
            self.report.stopped_early |= self.dropped > 0
            self.batch.commit()
            if not self.report.interrupted:  # a stop must be quick: the next load builds what is left
                self.session.finish()
        except BaseException:
            # Uncommitted files are dropped whole; what was committed holds only whole files.
            self.session.rollback()
            raise
        finally:
            self.pipeline.close()
            self.session.end()

    def _take(self, found: FoundFile, previous: SourceState | None, known_in: int) -> None:
        """Read and hash a file; a file whose bytes are archived already goes no further."""
        web_archive = is_web_archive(found.path)
        try:
            content = hash_file(found) if web_archive else read_file(found, self.max_size)
        except FileRefused as refused:
            self._save_all(self.pipeline.drain())  # files before this one first, as --strict promises
            file = FileToSave(found.key, found.name, previous, {"size": refused.size, "mtime_ns": refused.mtime_ns})
            self.batch.fail_unread(found, file, Failure(found.path, None, None, str(refused)))
            return
        if web_archive and not is_settled(previous, content.sha256, retrying_failures=bool(self.hints)):
            self._take_pages(WebArchive(content, previous))
        else:
            item = _File(found, previous, known_in, content.size, content.mtime_ns, content.sha256)
            self._submit(item, content.data, self.hints)

    def _submit(self, item: _File, data: bytes, hints: dict | None = None) -> None:
        """Parse a file, unless its bytes are archived already or failed the same way before."""
        if is_unchanged(item.previous, item.sha256, PARSER_VERSION):
            self.batch.set_publisher(item.found.key)
            self.batch.record(FileResult(str(item.found.path), "unchanged"))
        elif failed_before(item.previous, item.sha256, PARSER_VERSION) and not self.hints:  # --publisher: try again
            outcome = "not_statement" if is_not_a_statement(item.previous) else "failed_before"
            self.batch.record(FileResult(str(item.found.path), outcome))
        else:
            if item.web_archive is not None:
                item.web_archive.pages_left += 1
            self.pipeline.submit(item, data, str(item.found.path), hints)

    def _take_pages(self, web_archive: WebArchive) -> None:
        """Each HTML page of a web archive, as a file of its own; the archive's row is written with its last page."""
        content = web_archive.content
        try:
            for page in pages(content.found, self.max_size, self.report.records_skipped, self.report.web_archive_notes):
                sha256 = hashlib.sha256(page.payload).hexdigest()
                item = _File(
                    page.found,
                    self.session.source(page.found.key),
                    self.session.transaction,
                    len(page.payload),
                    content.mtime_ns,
                    sha256,
                    web_archive,
                    page.fetched_at,
                )
                self._submit(item, page.payload, {**page.hints, **self.hints})
        except WarcError as error:
            web_archive.error = str(error).removeprefix(f"{content.found.path}: ")
        web_archive.read_through = True
        self._finish(web_archive)

    def _finish(self, web_archive: WebArchive) -> None:
        """Once every page of a web archive is saved, its own row: archived, or failed (and why)."""
        if not web_archive.done:
            return
        content = web_archive.content
        values = {
            "size": content.size,
            "mtime_ns": content.mtime_ns,
            "sha256": content.sha256,
            "parser_version": PARSER_VERSION,
        }
        file = FileToSave(content.found.key, content.found.name, web_archive.previous, values)
        if web_archive.error:
            self.batch.fail_unread(content.found, file, Failure(content.found.path, None, None, web_archive.error))
        else:
            self.session.save_web_archive(file)

    def _save_all(self, parsed: Iterable[tuple[_File, Outcome]]) -> None:
        for item, outcome in parsed:
            if self.batch.stopped:  # --strict, after a failure: files still in flight are not loaded
                self.dropped += 1
                continue
            self.batch.save(item, outcome)
            if item.web_archive is not None:
                item.web_archive.pages_left -= 1
                self._finish(item.web_archive)


class _Batch:
    """The files of the open transaction: what became of each (reported when the batch commits), and what a
    replay saves again should the archive refuse the batch's rows (the session's Replay)."""

    def __init__(
        self,
        session: WriteSession,
        report: LoadReport,
        strict: bool,
        batch_size: int,
        on_file: Callable[[FileResult], None] | None,
        hints: dict,
    ):
        self.session = session
        self.report = report
        self.strict = strict
        self.batch_size = batch_size
        self.on_file = on_file
        self.hints = hints
        self.results: list[FileResult] = []  # of this transaction, reported when it commits
        self.written = 0  # files of this transaction that write rows
        self.files: list[tuple[_File, Outcome]] = []  # parsed files saved in this transaction, for a replay
        self.unread: list[tuple[FoundFile, FileToSave, Failure]] = []  # and those that failed unread
        self.republished: list[tuple[str, str]] = []  # files archived already whose statements took --publisher's name
        self.stopped = False  # --strict, after a failure

    def save(self, item: _File, outcome: Outcome) -> None:
        self.files.append((item, outcome))
        self.record(_save(self.session, item, outcome, self.hints))

    def fail_unread(self, found: FoundFile, file: FileToSave, failure: Failure) -> None:
        """A file that failed before it could be parsed: kept apart from the parsed files, to be recorded again
        if the batch must be written again file by file."""
        self.unread.append((found, file, failure))
        self.record(_fail(self.session, found, file, failure))

    def set_publisher(self, key: str) -> None:
        """--publisher on a file archived already: its statements that state no publisher take it."""
        publisher = publisher_name(self.hints.get("publisher"))
        if publisher:
            self.republished.append((key, publisher))
            self.session.set_publisher(key, publisher)

    def record(self, result: FileResult) -> None:
        self.results.append(result)
        if self.strict and result.outcome == "failed":
            self.stopped = True
        self.written += result.outcome not in NOTHING_WRITTEN
        if self.written >= self.batch_size or len(self.results) >= self.batch_size * FILES_READ_PER_FILE_WRITTEN:
            self.commit()
            self.session.begin(after_own_commit=True)

    def commit(self) -> None:
        replay = Replay(self._save_again, self.files, self._save_alone, self._refused, self.results.append)
        counts = self.session.commit(replay)
        for result in self.results:
            self.report.add(result)
            if self.on_file:
                self.on_file(result)
        self.report.rows.add(counts)
        self.results, self.files, self.unread, self.republished, self.written = [], [], [], [], 0

    def _save_again(self) -> None:
        """A replay's start: the outcomes that wrote nothing stand; unread files fail again, publishers are set."""
        # in place: the replay records into this list
        self.results[:] = [result for result in self.results if result.outcome in NOTHING_WRITTEN]
        for found, file, failure in self.unread:
            self.results.append(
                _fail(self.session, found, replace(file, previous=self.session.source(found.key)), failure)
            )
        for key, publisher in self.republished:
            self.session.set_publisher(key, publisher)

    def _save_alone(self, parsed: tuple[_File, Outcome]) -> FileResult:
        return _save(self.session, *parsed, self.hints)

    def _refused(self, parsed: tuple[_File, Outcome], message: str) -> FileResult:
        found = parsed[0].found
        file = replace(parsed[0].to_save(), previous=self.session.source(found.key))
        failure = Failure(found.path, None, None, f"cannot archive this statement: {message}")
        return _fail(self.session, found, file, failure)


def _save(session: WriteSession, item: _File, outcome: Outcome, hints: dict) -> FileResult:
    """Save one parsed file (its rows pending until the batch is written)."""
    found = item.found
    if item.known_in != session.transaction:  # another load may have archived it since: look again
        item = replace(item, previous=session.source(found.key), known_in=session.transaction)
    if is_unchanged(item.previous, item.sha256, PARSER_VERSION):
        return FileResult(str(found.path), "unchanged")
    file = item.to_save()
    if isinstance(outcome, ParseError):
        failure = Failure(found.path, outcome.line, outcome.column, outcome.message)
        if is_not_a_statement_page(outcome.message):  # recorded as failures are, so a re-load is quiet
            session.save_failure(file, str(failure))
            return FileResult(str(found.path), "not_statement")
        return _fail(session, found, file, failure)
    twin = session.twin(file)
    if twin is not None:
        session.save_duplicate(file)
        how = "a copy of" if os.path.exists(twin) else "moved from"
        return FileResult(str(found.path), "duplicate", note=f"{found.path}: {how} {twin}, already archived")
    saved = session.save_parsed(file, outcome.parsed, outcome.keys)
    return _described(item, saved, _publisher_kept(found.path, outcome.parsed.statement.publisher, hints))


def _described(item: _File, saved: Saved, publisher_kept: str | None) -> FileResult:
    """What became of a parsed file the session saved, with the notes a person should read of it."""
    path = item.found.path
    if saved.copy_of is not None:
        copied = f"{path}: the same text as {saved.copy_of} (another copy of the page), already archived"
        return FileResult(str(path), "duplicate", statement_id=saved.statement_id, note=copied)
    note: str | None = None
    merge: str | None = None
    if saved.merged_by:
        merge = (
            f"{path}: the statement of {saved.replaced_source or 'another source'} ({saved.merged_by}"
            "); what this text does not state is kept from it"
        )
    elif saved.replaced_source:
        note = (
            f"{path}: the same statement (title and date) as {saved.replaced_source}, with other "
            "text: the earlier text is kept as a revision"
        )
    declined = saved.declined and f"{path}: {saved.declined}"
    outcome = "new" if saved.first_time else "reread" if is_same_bytes(item.previous, item.sha256) else "updated"
    return FileResult(str(path), outcome, None, saved.statement_id, note, merge, declined, publisher_kept)


def _publisher_kept(path: str, publisher: str | None, hints: dict) -> str | None:
    """A note when the page's own publisher (or the IWF, on evidence) differs from the one --publisher gave."""
    given = publisher_name(hints.get("publisher"))
    if given is None or publisher_name(publisher) == given:
        return None
    return f"{path}: kept the publisher the page shows, {publisher}, rather than --publisher's {given}"


def _fail(session: WriteSession, found: FoundFile, file: FileToSave, failure: Failure) -> FileResult:
    session.save_failure(file, str(replace(failure, path=file.key)))  # the path as `sources.path` has it
    return FileResult(str(found.path), "failed", error=failure)

"""The write side's transaction API: what `load` calls to save files, a batch (one transaction) at a time.

    session = WriteSession(archive, now)
    session.begin()
    session.save_parsed(file, parsed)      # or save_failure / save_duplicate / save_web_archive
    counts = session.commit(replay)        # writes the batch, then COMMIT (refused: saved again file by file)

These are all that `load` uses: begin, transaction (which one is open), sources / source (what an earlier load
recorded), save_parsed, save_failure, twin and save_duplicate, save_web_archive, set_publisher, commit (with
its Replay), rollback, finish and end. The parts: sources.py writes `sources` rows, statements.py a statement
and its parts, identity.py says which statement a file is; batch.py holds the rows until the batch is written.

A file's rows are built at once (ids and keys from `known`, the decision from `policy`, the rows from
`rows`) and held in `PendingRows` until the batch is written, so that a reader or a killed process only ever
sees whole files. A replay, file by file, writes each file's rows inside a savepoint of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.record_keys import StatementKeys, statement_keys
from iwfdb.store.batch import Counts, PendingRows
from iwfdb.store.identity import identify, is_copy
from iwfdb.store.known import ID_TABLES, Ids, Known, StatementState
from iwfdb.store.policy import SourceState, is_same_bytes
from iwfdb.store.sources import FileToSave, SourceRows
from iwfdb.store.statements import StatementRows

# A load that wrote one statement in this many (or more) refreshes the planner's statistics when it ends,
# as PostgreSQL's autovacuum would later (its analyze threshold is a tenth of a table, too).
STATISTICS_STALE_AFTER = 10
File = TypeVar("File")
Result = TypeVar("Result")


class RowsRefused(Exception):
    """The archive refused rows of the batch or the file (a constraint: another writer's row, a trigger); the
    engine's error is the cause, and its words the message."""


@dataclass(frozen=True, slots=True)
class Saved:
    statement_id: int
    first_time: bool  # the file is new to the archive (or failed before and never gave a statement)
    replaced_source: str | None  # the other file whose text this one replaced (a conflict), if any
    merged_by: str | None = None  # how a statement with another title or date was known to be this one
    declined: str | None = None  # why a statement of the same title and date is not this one
    copy_of: str | None = None  # the file whose statement this one says word for word (nothing else saved)


@dataclass(frozen=True, slots=True)
class Replay(Generic[File, Result]):
    """How the caller saves a batch again, should the archive refuse its rows (WriteSession.commit)."""

    again: Callable[[], None]  # saves again what is no file of `files` (unread files' failures, publishers set)
    files: Sequence[File]  # the batch's parsed files, in order
    save: Callable[[File], Result]  # saves one of them (in a savepoint of its own): what became of it
    refused: Callable[[File, str], Result]  # saves one whose rows the archive refused, given the archive's words
    record: Callable[[Result], None]  # what became of a file, once its rows are written (or refused)


class Transactions:
    """One archive connection's write transactions (batches): BEGIN, the batch's rows written, COMMIT or a replay
    file by file; the durability of a cold load, and the index and statistics a load leaves when it ends."""

    def __init__(self, archive: Archive, now: str):
        self.archive = archive
        self.now = now
        self.known = Known(archive)
        self.counts = Counts()  # of the open transaction
        self.pending = PendingRows()
        self.ids = Ids()
        self.transaction = 0  # numbers the transactions, so that what was read in an earlier one can be checked
        self.defer_index: bool | None = None  # known at the first BEGIN
        self.statements_written = 0  # by the batches committed so far
        self.durable = True  # every commit waits for the disk (see _durable)

    def begin(self, after_own_commit: bool = False) -> None:
        """BEGIN, taking the archive's write lock; what is known is kept if no one else wrote since."""
        self._durable(not self.known.complete)
        self.archive.begin_write()
        self.transaction += 1
        self._prepare(after_own_commit)

    def _prepare(self, after_own_commit: bool) -> None:
        self.ids.restart(self.archive)
        self.known.refresh(after_own_commit)
        self.pending.clear()
        if self.defer_index is None:  # a cold load, or one after a load stopped before it built the index
            self.defer_index = self.known.complete or self.archive.side.full_text_pending(self.archive.connection)

    def finish(self) -> None:
        """After the last commit: build the full-text index, if this load (or one before) left it to be built,
        and refresh the planner's statistics if this load wrote a tenth of the statements or more."""
        side, connection = self.archive.side, self.archive.connection
        self.known.reset()  # what this load learnt is of no more use; its memory is, to the index
        if side.full_text_pending(connection):
            side.rebuild_full_text(connection)
        if self._rewrote_much():
            side.refresh_statistics(connection)

    def _rewrote_much(self) -> bool:
        if not self.statements_written:
            return False
        (statements,) = self.archive.execute("SELECT count(*) FROM statements").fetchone()
        return self.statements_written * STATISTICS_STALE_AFTER >= statements

    def end(self) -> None:
        """After the last commit or rollback: what this load wrote reaches the disk before it says it is done."""
        self._durable(True)

    def _durable(self, durable: bool) -> None:
        """A load into a new archive (a cold load) lets its batches reach the disk when the system sees fit:
        a process killed keeps what it committed, and only a machine that stops mid-way (power) could break
        an archive that held nothing before. The engine's setting may only change between transactions."""
        if durable != self.durable:
            (self.archive.side.restore_durability if durable else self.archive.side.relax_durability)(
                self.archive.connection
            )
            self.durable = durable

    def write_pending(self) -> None:
        pruned = self.pending.flush(self.archive, self.now, bool(self.defer_index))
        self.known.forget(pruned)

    def commit(self, replay: Replay) -> Counts:
        """Write the batch and COMMIT; the counts of what it added or changed. Should the archive refuse a row,
        the batch is rolled back and saved again as `replay` says, each file in a savepoint of its own, so that
        only the files at fault are lost (RowsRefused if the archive refuses what is left even so)."""
        try:
            self._write_batch()
        except RowsRefused:
            self._replay(replay)
            self._write_batch()
        side = self.archive.side
        side.after_explicit_ids(self.archive.cursor(), ID_TABLES)
        generation = side.count_write(self.archive.connection)
        self.archive.commit()
        self.known.after_commit(generation)
        counts = self.counts.take()
        self.statements_written += counts.statements_added + counts.statements_completed + counts.statements_updated
        return counts

    def _write_batch(self) -> None:
        try:
            self.write_pending()
        except self.archive.side.IntegrityError as error:
            raise RowsRefused(str(error)) from error

    def _replay(self, replay: Replay) -> None:
        self.rollback()
        self.begin()
        replay.again()
        self.write_pending()
        for file in replay.files:
            try:
                with self._file_alone():
                    result = replay.save(file)
            except RowsRefused as refused:
                result = replay.refused(file, str(refused))
                self.write_pending()
            replay.record(result)

    def rollback(self) -> None:
        self.archive.rollback()
        self.pending.clear()
        self.counts.restore(Counts())

    @contextmanager
    def _file_alone(self) -> Iterator[None]:
        """One file saved and written in a savepoint of its own: rows the archive refuses undo that file only,
        its counts too (RowsRefused). When the engine has ended the whole transaction instead (a trigger's
        RAISE(ROLLBACK), a full disk), nothing is left to go on writing in: its own error is raised."""
        counted = replace(self.counts)
        try:
            with self.archive.savepoint():
                yield
                self.write_pending()
        except self.archive.side.IntegrityError as error:
            if not self.archive.in_transaction():
                raise
            self._prepare(after_own_commit=False)  # what was prepared since is gone: ids and keys are read again
            self.counts.restore(counted)
            raise RowsRefused(str(error)) from error


class WriteSession(Transactions):
    """Saves files on one archive connection, one transaction (batch) at a time (the operations `load` uses are
    listed in this module's docstring)."""

    def __init__(self, archive: Archive, now: str):
        super().__init__(archive, now)
        self.source_rows = SourceRows(archive, now, self.known, self.ids, self.pending)
        self.statements = StatementRows(
            archive, now, self.known, self.ids, self.pending, self.counts, self.source_rows, self.write_pending
        )

    def sources(self, keys: list[str]) -> dict[str, SourceState]:
        """What `sources` holds for these paths, in one query."""
        return self.source_rows.states(keys)

    def source(self, key: str) -> SourceState | None:
        return self.source_rows.states([key]).get(key)

    def save_failure(self, file: FileToSave, message: str) -> None:
        """Record a failed file in `sources` (untouched if it failed the same way last time)."""
        self.source_rows.save_failure(file, message)

    def twin(self, file: FileToSave) -> str | None:
        """Another file already archived with these very bytes (the file is then a duplicate of it)."""
        return self.known.twin(file.values["sha256"], file.key)

    def save_duplicate(self, file: FileToSave) -> None:
        self.source_rows.save(file, "duplicate")

    def save_web_archive(self, file: FileToSave) -> None:
        """A web archive read whole (its pages are sources of their own): its bytes need not be read again."""
        self.source_rows.save(file, "loaded" if file.previous is None else "updated")

    def set_publisher(self, key: str, publisher: str) -> None:
        """The statements read from this file (a web archive: from its pages) that state no publisher take this one."""
        self.counts.publishers_set += self.source_rows.set_publisher(key, publisher)

    def save_parsed(self, file: FileToSave, parsed: records.ParsedFile, keys: StatementKeys | None = None) -> Saved:
        """Archive a parsed file: its `sources` row, its statement (added, completed or replaced) and parts.
        `keys` are the statement's, when a parse worker made them already."""
        keys = keys or statement_keys(parsed.statement, file.name)
        previous = file.previous
        if file.values["sha256"] == parsed.sha256:  # one string for the two (a cold load keeps 100,000: 12 MB)
            file.values["sha256"] = parsed.sha256
        first_time = previous is None or (
            previous.outcome == "failed" and not self.source_rows.has_statement(previous.id)
        )
        identity = identify(self.known, parsed.statement, keys.match_key, keys.body_key)
        archived = self.known.statement(identity.key)
        copy_of = self._copy_of(archived, parsed, previous)
        if archived is not None and copy_of is not None:
            self.save_duplicate(file)
            return Saved(archived.id, first_time, None, copy_of=copy_of)
        source_id = self.source_rows.save(file, "loaded" if first_time else "updated")
        reread = is_same_bytes(previous, file.values["sha256"])
        statement_id, replaced = self.statements.save(parsed, keys, source_id, identity, reread)
        return Saved(statement_id, first_time, replaced, identity.merged_by, identity.declined)

    def _copy_of(
        self, archived: StatementState | None, parsed: records.ParsedFile, previous: SourceState | None
    ) -> str | None:
        """The file of the archived statement that this other file says word for word (identity.is_copy), if any."""
        if archived is None or archived.source_id is None:
            return None
        if not is_copy(archived, parsed, previous, self.statements.archived):
            return None
        return self.source_rows.path(archived.source_id)

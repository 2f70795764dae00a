"""The write side's transaction API: what `load` calls to save files, a batch (one transaction) at a time.

    session = WriteSession(archive, now)
    session.begin()
    session.save_parsed(file, parsed)      # or save_failure / save_duplicate
    counts = session.commit()              # writes the batch, then COMMIT (RowsRefused: replay it)
    with session.file_alone():             # a replay: one file's rows in a savepoint of their own
        session.save_parsed(file, parsed)

A file's rows are built at once (ids and keys from `known`, the decision from `policy`, the rows from
`rows`) and held in `PendingRows` until the batch is written, so that a reader or a killed process only ever
sees whole files. `write_pending()` writes them before the commit (a replay, file by file, calls it inside
each file's savepoint).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any

from iwfdb import records
from iwfdb.db import Archive, placeholders
from iwfdb.files import is_web_archive
from iwfdb.record_keys import StatementKeys, statement_keys
from iwfdb.store import rows
from iwfdb.store.batch import PendingRows
from iwfdb.store.known import ID_TABLES, Identity, Ids, Known, StatementState, identify
from iwfdb.store.policy import ARCHIVED, Action, SourceState, is_same_bytes, is_same_failure, statement_action
from iwfdb.store.stored import as_parsed, read_statement, same_reading, same_words


class RowsRefused(Exception):
    """The archive refused rows of the batch or the file (a constraint: another writer's row, a trigger); the
    engine's error is the cause, and its words the message."""


@dataclass(slots=True)
class Counts:
    """Rows a load added or changed, for its summary."""

    statements_added: int = 0
    statements_completed: int = 0  # known from a card until now, read in full
    statements_updated: int = 0  # read again in other text
    quotes_added: int = 0
    contacts_added: int = 0
    phones_added: int = 0
    links_added: int = 0
    revisions_added: int = 0
    publishers_set: int = 0  # statements archived already, given --publisher's name on a re-load

    def add(self, other: Counts) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclass(frozen=True, slots=True)
class FileToSave:
    """A file as `sources` records it: its archive key (absolute path), its name, and what was read of it."""

    key: str
    name: str
    previous: SourceState | None
    values: dict  # of rows.FILE_COLUMNS


# Columns a new reading keeps from the archived statement when it does not state them itself: where it came
# from, always (a text of a page read as HTML before keeps the page's address); and, when the statement is
# the same by its address or opening paragraphs, its title and date (a body-only rendering has neither).
KEPT_ALWAYS = ("url", "publisher")
KEPT_ON_MERGE = ("title", "kind", "published", "byline", "summary")
# A load that wrote one statement in this many (or more) refreshes the planner's statistics when it ends,
# as PostgreSQL's autovacuum would later (its analyze threshold is a tenth of a table, too).
STATISTICS_STALE_AFTER = 10


@dataclass(frozen=True, slots=True)
class Saved:
    statement_id: int
    first_time: bool  # the file is new to the archive (or failed before and never gave a statement)
    replaced_source: str | None  # the other file whose text this one replaced (a conflict), if any
    merged_by: str | None = None  # how a statement with another title or date was known to be this one
    declined: str | None = None  # why a statement of the same title and date is not this one
    copy_of: str | None = None  # the file whose statement this one says word for word (nothing else saved)


class WriteSession:
    """Saves files on one archive connection, one transaction (batch) at a time."""

    def __init__(self, archive: Archive, now: str):
        self.archive = archive
        self.now = now
        self.known = Known(archive)
        self.counts = Counts()
        self.pending = PendingRows()
        self.transaction = 0  # numbers the transactions, so that what was read in an earlier one can be checked
        self.defer_index: bool | None = None  # known at the first BEGIN
        self.statements_written = 0  # by the batches committed so far
        self.durable = True  # every commit waits for the disk (see _durable)

    # Transactions

    def begin(self, after_own_commit: bool = False) -> None:
        """BEGIN, taking the archive's write lock; what is known is kept if no one else wrote since."""
        self._durable(not self.known.complete)
        self.archive.begin_write()
        self.transaction += 1
        self._prepare(after_own_commit)

    def forget_unwritten(self) -> None:
        """After a rollback to a savepoint: what was prepared since is gone, so ids and keys are read again."""
        self._prepare(after_own_commit=False)

    def _prepare(self, after_own_commit: bool) -> None:
        self.ids = Ids(self.archive)
        self.known.refresh(after_own_commit)
        self.pending = PendingRows()
        if self.defer_index is None:  # a cold load, or one after a load stopped before it built the index
            self.defer_index = self.known.complete or self.archive.side.full_text_pending(self.archive.connection)

    def finish(self) -> None:
        """After the last commit: build the full-text index, if this load (or one before) left it to be built,
        and refresh the planner's statistics if this load wrote a tenth of the statements or more."""
        side, connection = self.archive.side, self.archive.connection
        self.known = Known(self.archive)  # what this load learnt is of no more use; its memory is, to the index
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
                self.archive.connection)
            self.durable = durable

    def write_pending(self) -> None:
        pruned = self.pending.flush(self.archive, self.now, bool(self.defer_index))
        self.known.forget(pruned)

    def commit(self) -> Counts:
        """Write the batch and COMMIT; the counts of what it added or changed. RowsRefused if the archive
        refuses a row: the batch is then to be rolled back and written again file by file (file_alone)."""
        try:
            self.write_pending()
        except self.archive.side.IntegrityError as error:
            raise RowsRefused(str(error)) from error
        side = self.archive.side
        side.after_explicit_ids(self.archive.cursor(), ID_TABLES)
        generation = side.count_write(self.archive.connection)
        self.archive.commit()
        self.known.after_commit(generation)
        counts, self.counts = self.counts, Counts()
        self.statements_written += counts.statements_added + counts.statements_completed + counts.statements_updated
        return counts

    def rollback(self) -> None:
        self.archive.rollback()
        self.pending = PendingRows()
        self.counts = Counts()

    @contextmanager
    def file_alone(self) -> Iterator[None]:
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
            self.forget_unwritten()
            self.counts = counted
            raise RowsRefused(str(error)) from error

    # Sources

    def sources(self, keys: list[str]) -> dict[str, SourceState]:
        """What `sources` holds for these paths, in one query (nothing to ask when the archive was empty)."""
        if self.known.complete or not keys:
            return {}
        query = (f"SELECT path, id, sha256, outcome, error, parser_version FROM sources "
                 f"WHERE path IN ({placeholders(keys)})")  # fmt: skip
        return {row[0]: SourceState._make(row[1:]) for row in self.archive.execute(query, keys)}

    def source(self, key: str) -> SourceState | None:
        return self.sources([key]).get(key)

    def save_failure(self, file: FileToSave, message: str) -> None:
        """Record a failed file in `sources` (untouched if it failed the same way last time)."""
        if not is_same_failure(file.previous, file.values.get("sha256"), message):
            self._save_source(file, "failed", message)

    def twin(self, file: FileToSave) -> str | None:
        """Another file already archived with these very bytes (the file is then a duplicate of it)."""
        return self.known.twin(file.values["sha256"], file.key)

    def save_duplicate(self, file: FileToSave) -> None:
        self._save_source(file, "duplicate")

    def save_web_archive(self, file: FileToSave) -> None:
        """A web archive read whole (its pages are sources of their own): its bytes need not be read again."""
        self._save_source(file, "loaded" if file.previous is None else "updated")

    def set_publisher(self, key: str, publisher: str) -> None:
        """The statements read from this file (a web archive: from its pages) that state no publisher take this one."""
        values: tuple[int | str, ...]
        if is_web_archive(key):  # its pages, `crawl.warc.gz#1234`: a prefix, not a range (collations differ)
            sources, values = "SELECT id FROM sources WHERE substr(path, 1, ?) = ?", (len(key) + 1, key + "#")
        else:
            sources, values = "SELECT id FROM sources WHERE path = ?", (key,)
        cursor = self.archive.execute(f"UPDATE statements SET publisher = ? WHERE publisher IS NULL AND NOT card_only "
                                      f"AND source_id IN ({sources})", (publisher, *values))  # fmt: skip
        self.counts.publishers_set += max(cursor.rowcount, 0)

    def save_parsed(self, file: FileToSave, parsed: records.ParsedFile,
                    keys: StatementKeys | None = None) -> Saved:  # fmt: skip
        """Archive a parsed file: its `sources` row, its statement (added, completed or replaced) and parts.
        `keys` are the statement's, when a parse worker made them already."""
        keys = keys or statement_keys(parsed.statement, file.name)
        previous = file.previous
        if file.values["sha256"] == parsed.sha256:  # one string for the two (a cold load keeps 100,000: 12 MB)
            file.values["sha256"] = parsed.sha256
        first_time = previous is None or (previous.outcome == "failed" and not self._has_statement_from(previous.id))
        identity = identify(self.known, parsed.statement, keys.match_key, keys.body_key)
        archived = self.known.statement(identity.key)
        copy_of = self._copy_of(archived, parsed, previous)
        if archived is not None and copy_of is not None:
            self.save_duplicate(file)
            return Saved(archived.id, first_time, None, copy_of=copy_of)
        source_id = self._save_source(file, "loaded" if first_time else "updated")
        reread = is_same_bytes(previous, file.values["sha256"])
        statement_id, replaced = self._save_statement(parsed, keys, source_id, identity, reread)
        return Saved(statement_id, first_time, replaced, identity.merged_by, identity.declined)

    def _save_source(self, file: FileToSave, outcome: str, error: str | None = None) -> int:
        # Every row of a batch has the same columns (one executemany): what the file did not say is NULL.
        values: dict[str, Any] = {column: file.values.get(column) for column in rows.FILE_COLUMNS}
        values.update(outcome=outcome, error=error, last_loaded_at=self.now)
        if file.previous is None:
            identifier = self.ids.new("sources")
            self.pending.add("sources", [{**values, "id": identifier, "path": file.key, "first_loaded_at": self.now}])
        else:
            identifier = file.previous.id
            self.pending.update_source(identifier, values)
        if outcome in ARCHIVED:
            self.known.twins[values["sha256"]] = file.key
        return identifier

    def _has_statement_from(self, source_id: int) -> bool:
        """Whether a full statement was archived from this source (by an earlier version of the file)."""
        query = "SELECT 1 FROM statements WHERE source_id = ? AND NOT card_only LIMIT 1"
        return self.archive.execute(query, (source_id,)).fetchone() is not None

    # Statements

    def _save_statement(self, parsed: records.ParsedFile, keys: StatementKeys, source_id: int,
                        identity: Identity, reread: bool = False) -> tuple[int, str | None]:  # fmt: skip
        statement = parsed.statement
        values = {**rows.statement_values(parsed, keys, source_id, self.now), "match_key": identity.match_key}
        key, merged_by = identity.key, identity.merged_by
        state = self.known.statement(key)
        action = statement_action(state, parsed.sha256)
        replaced = None
        if state is None:  # Action.ADD
            slug = self.known.unique_slug(keys.slug_base)
            state = self._add_statement(key, {**values, "match_key": key, "slug": slug})
        elif action is Action.SAME_TEXT and not (reread and self._reads_differently(state.id, statement)):
            # a file restored after a broken edit: only its warnings go back
            self.pending.add("parse_warnings", rows.warning_rows(source_id, statement.warnings))
            return state.id, None
        elif action is Action.COMPLETE:
            self._complete(state, values)
        else:  # Action.REPLACE, or the same text that this parser reads otherwise
            replaced = self._replace(state, key, values, merged_by)
        state.card_only, state.sha256, state.source_id = False, parsed.sha256, source_id
        state.url = statement.url or state.url
        self.pending.touched.add(state.id)
        self._save_parts(state.id, statement, keys, source_id)
        self.pending.add("parse_warnings", rows.warning_rows(source_id, statement.warnings))
        return state.id, replaced

    def _copy_of(self, state: StatementState | None, parsed: records.ParsedFile,
                 previous: SourceState | None) -> str | None:
        """The file of the archived statement that this other file says word for word, in other bytes (the same
        page fetched, and read again from a web archive or saved twice: only its lines moved), if any."""
        if state is None or state.card_only or state.sha256 == parsed.sha256 or state.source_id is None:
            return None
        if previous is not None and previous.id == state.source_id:  # the file itself, changed
            return None
        if state.id in self.pending.touched:
            self.write_pending()
        if not same_words(as_parsed(read_statement(self.archive, state.id)), parsed.statement):
            return None
        row = self.archive.execute("SELECT path FROM sources WHERE id = ?", (state.source_id,)).fetchone()
        return row[0] if row else None

    def _reads_differently(self, statement_id: int, statement: records.Statement) -> bool:
        """Whether this parser reads the statement otherwise than the archive holds it (an older parser read it)."""
        if statement_id in self.pending.touched:  # its rows are read from the archive: write them first
            self.write_pending()
        return not same_reading(as_parsed(read_statement(self.archive, statement_id)), statement)

    def _add_statement(self, key: str, values: dict) -> StatementState:
        identifier = self.ids.new("statements")
        self.pending.add_statement({**values, "id": identifier, "match_key": key, "first_loaded_at": self.now})
        self.pending.touched.add(identifier)
        state = StatementState(identifier, values["card_only"], values["sha256"], None, values.get("url"))
        self.known.remember(key, state, values.get("url"), values.get("body_key"))
        self.counts.statements_added += 1
        return state

    def _complete(self, state: StatementState, values: dict) -> None:
        """A card-only statement becomes full in place; it held nothing a card did not say: no revision."""
        pending_row = self.pending.new_statements.get(state.id)
        if pending_row is not None:  # added by this batch: its INSERT is still pending
            pending_row.update(values)
        else:
            self.pending.update_statement(state.id, values)
        self.counts.statements_completed += 1

    def _replace(self, state: StatementState, key: str, values: dict, merged_by: str | None) -> str | None:
        """Another text of an archived statement: its rows as they stand become a revision, then change.

        The revision is read from the archive's rows, so rows this batch wrote for it are written first.
        What the new text does not state is kept from the old (KEPT_ALWAYS, and KEPT_ON_MERGE for a merge).
        Returns the path of the other file whose text is replaced (a conflict), if it is another file.
        """
        if state.id in self.pending.touched:
            self.write_pending()
        kept = KEPT_ALWAYS + (KEPT_ON_MERGE if merged_by else ())
        old = self.archive.execute(f"SELECT {', '.join(kept)} FROM statements WHERE id = ?", (state.id,)).fetchone()
        values = {**values, **{column: was for column, was in zip(kept, old) if values[column] is None}}
        if values["match_key"] != key:
            self.known.rekey(key, values["match_key"])
        self.pending.replace_statement(state.id, values)
        self.counts.statements_updated += 1
        self.counts.revisions_added += 1
        if state.source_id == values["source_id"]:
            return None
        row = self.archive.execute("SELECT path FROM sources WHERE id = ?", (state.source_id,)).fetchone()
        return row[0] if row else None

    def _save_parts(self, statement_id: int, statement: records.Statement, keys: StatementKeys,
                    source_id: int) -> None:  # fmt: skip
        people = self._ids_of(keys.people, "people")
        organisations = self._ids_of(keys.organisations, "organisations")
        quotes = rows.quote_rows(statement_id, statement.quotes, people, organisations)
        speakers = []
        for quote, parsed in zip(quotes, statement.quotes):  # ids given here, for the full-text index and speakers
            quote["id"] = quote_id = self.ids.new("quotes")
            speakers += rows.quote_speaker_rows(quote_id, parsed, people, organisations)
        contacts, phones = rows.contact_rows(statement_id, statement.contacts, people, organisations,
                                             lambda: self.ids.new("contacts"))  # fmt: skip
        links = rows.link_rows(statement_id, statement, self._card_targets(statement.related, keys.cards, source_id))
        sections = rows.section_rows(statement_id, statement)
        for table, new in (("quotes", quotes), ("quote_speakers", speakers), ("contacts", contacts),
                           ("contact_phones", phones), ("links", links), ("sections", sections)):  # fmt: skip
            self.pending.add(table, new)
        self.counts.quotes_added += len(quotes)
        self.counts.contacts_added += len(contacts)
        self.counts.phones_added += len(phones)
        self.counts.links_added += len(links)

    def _card_targets(self, cards, card_keys, source_id: int) -> list[int]:
        """The statement each related card describes; a card-only statement is made for one not yet known."""
        targets = []
        for card, (key, base) in zip(cards, card_keys):
            state = self.known.statement(key)
            if state is None:
                slug = self.known.unique_slug(base)
                state = self._add_statement(key, {**rows.card_values(card, source_id, self.now), "slug": slug})
            targets.append(state.id)
        return targets

    def _ids_of(self, named: dict[str, str], table: str) -> dict[str, int]:
        """The ids of these people (or organisations), by key; a row is made for each one not yet known."""
        known = self.known.people if table == "people" else self.known.organisations
        for key, name in named.items():
            if key not in known:
                known[key] = self.ids.new(table)
                row = {"id": known[key], "name_key": key, "name": name}
                self.pending.add(table, [{**row, "kind": "person"} if table == "people" else row])
        return known

"""The rows of a batch of whole files, held in memory, then written a table at a time.

Writing a batch with one executemany per table, inside one transaction, costs little more than the engine's
own work (and lets SQLite's FTS5 index the batch at once); writing row by row costs several times as much.
Rows go to the driver as dicts, as they are: SQLAlchemy's per-row parameter processing cost as much again as
SQLite's own work.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from iwfdb.db import Archive, in_chunks, placeholders
from iwfdb.db.engine import Engine
from iwfdb.store.revisions import save_revisions
from iwfdb.store.rows import COLUMNS

# Parents before children, so that every foreign key points to a row already written.
INSERT_ORDER = (
    "people",
    "organisations",
    "sources",
    "statements",
    "contacts",
    "contact_phones",
    "quotes",
    "quote_speakers",
    "links",
    "sections",
    "parse_warnings",
)
# contact_phones go with contacts, quote_speakers with quotes (ON DELETE CASCADE)
STATEMENT_PARTS = ("quotes", "contacts", "links", "sections")
NAMERS = (("people", "person_id"), ("organisations", "organisation_id"))  # what quote speakers and contacts name
# Who a statement's parts name, by statement: every speaker of a quote (each of a group), every contact.
NAMED_IN = (
    "quote_speakers x JOIN quotes q ON q.id = x.quote_id WHERE q.statement_id",
    "contacts x WHERE x.statement_id",
)


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

    def restore(self, earlier: Counts) -> None:
        """Back to `earlier` (the batch's rows, or a file's, were undone); in place, as the writers share it."""
        for field in fields(self):
            setattr(self, field.name, getattr(earlier, field.name))

    def take(self) -> Counts:
        """What was counted so far, and zero again (for the next batch)."""
        taken = replace(self)
        self.restore(Counts())
        return taken


class PendingRows:
    """What a batch will write: inserts by table, updates, and statements to replace (after a revision).

    One object for a whole load, emptied after each write (`clear`): the writers of sources and statements
    hold it."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.inserts: dict[str, list[dict]] = {table: [] for table in INSERT_ORDER}
        self.source_updates: list[dict] = []
        self.statement_updates: list[dict] = []  # card-only statements written before, completed now
        self.replacements: dict[int, dict] = {}  # statement id -> new values; its old version becomes a revision
        self.changed_values: dict[int, dict] = {}  # statement id -> those of its new values that differ
        self.stale_warnings: list[int] = []  # sources whose warnings a new reading replaces
        self.touched: set[int] = set()  # statements whose rows in the archive this batch will change
        self.new_statements: dict[int, dict] = {}  # id -> the row of a statement this batch adds

    def add(self, table: str, rows: list[dict]) -> None:
        self.inserts[table] += rows

    def add_statement(self, row: dict) -> None:
        self.inserts["statements"].append(row)
        self.new_statements[row["id"]] = row

    def update_source(self, source_id: int, values: dict) -> None:
        self.source_updates.append({**values, "_id": source_id})
        self.stale_warnings.append(source_id)

    def update_statement(self, statement_id: int, values: dict) -> None:
        self.statement_updates.append({**values, "_id": statement_id})

    def replace_statement(self, statement_id: int, values: dict, changed: dict) -> None:
        """`values`: the statement's new row, to index; `changed`: those that differ from the stored row, the only
        ones its UPDATE sets (an indexed column set to its own value still has its index entry rewritten: a 1%
        changed re-load of 100,000 files wrote 2.6 pages of unchanged index entries a statement)."""
        self.replacements[statement_id] = values
        self.changed_values[statement_id] = changed

    def flush(self, archive: Archive, now: str, defer_index: bool = False) -> dict[str, list[str]]:
        """Write everything pending, parents first, and index it for full-text search in one go (or, with
        `defer_index`, leave the index to be rebuilt when the load ends).

        Returns the keys of the people and organisations that replaced statements no longer name (their rows
        are deleted: an archive read again by a better parser keeps no person it no longer has).
        """
        side, cursor = archive.side, archive.cursor()
        statements, quotes = self.inserts["statements"], self.inserts["quotes"]
        updates = self.statement_updates + [{**values, "_id": id_} for id_, values in self.replacements.items()]
        touches_index = bool(statements or quotes or updates)
        indexing = touches_index and not defer_index
        if touches_index and defer_index:  # a load that wrote no text (every file failed) leaves no rebuild
            side.defer_full_text(cursor)
        if indexing:
            side.pause_full_text(cursor)
            replaced_texts = side.indexed_texts(cursor, [update["_id"] for update in updates])
        named_before = _named_by(side, cursor, list(self.replacements))
        save_revisions(archive, list(self.replacements), now)  # the old versions, before their rows change
        _delete_parts(side, cursor, list(self.replacements))
        self._insert(side, cursor, "people", "organisations", "sources")
        _update(side, cursor, "sources", self.source_updates)
        cursor.executemany(
            side.sql("DELETE FROM parse_warnings WHERE source_id = ?"), [(i,) for i in self.stale_warnings]
        )
        self._insert(side, cursor, "statements")
        changed = [{**values, "_id": id_} for id_, values in self.changed_values.items()]
        _update(side, cursor, "statements", self.statement_updates + changed)
        self._insert(side, cursor, *INSERT_ORDER[4:])
        if indexing:
            side.index_full_text(cursor, replaced_texts, statements + [{**u, "id": u["_id"]} for u in updates], quotes)
            side.resume_full_text(cursor)
        named_now = self._named_anew()
        pruned = _prune_unnamed(side, cursor, {table: ids - named_now[table] for table, ids in named_before.items()})
        self.clear()  # for the next batch
        return pruned

    def _named_anew(self) -> dict[str, set[int]]:
        """Who the batch's new quote speakers and contacts name: none of them can be left unnamed, and a statement
        read again mostly names whom it named before (no index to probe for them)."""
        named: dict[str, set[int]] = {table: set() for table, _ in NAMERS}
        for rows in (self.inserts["quote_speakers"], self.inserts["contacts"]):
            for row in rows:
                named["people"].add(row["person_id"])
                named["organisations"].add(row["organisation_id"])
        return named

    def _insert(self, side: Engine, cursor, *tables: str) -> None:
        for table in tables:
            if self.inserts[table]:
                side.insert_rows(cursor, table, COLUMNS[table], self.inserts[table])


def _update(side: Engine, cursor, table: str, rows: list[dict]) -> None:
    """Rows that set other columns are written by an UPDATE of their own; a row that sets none is left alone."""
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        by_columns.setdefault(tuple(column for column in row if column != "_id"), []).append(row)
    for columns, same in by_columns.items():
        if columns:
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            cursor.executemany(side.sql(f"UPDATE {table} SET {assignments} WHERE id = :_id"), same)


def _delete_parts(side: Engine, cursor, statement_ids: list[int]) -> None:
    """Delete these statements' parts in the order of their ids, a chunk of statements at a time: SQLite's
    trigger takes each deleted quote out of the FTS5 index, which writes out a segment whenever a rowid is not
    above the last (one DELETE a statement, a 1% changed re-load of 100,000 files: 73-95 ms of quotes deleted,
    32 ms so)."""
    for chunk in in_chunks(sorted(statement_ids)):
        for table in STATEMENT_PARTS:
            cursor.execute(
                side.sql(
                    f"DELETE FROM {table} WHERE id IN "
                    f"(SELECT id FROM {table} WHERE statement_id IN ({placeholders(chunk)}))"
                ),
                chunk,
            )


def _named_by(side: Engine, cursor, statement_ids: list[int]) -> dict[str, set[int]]:
    """The people and organisations that these statements' quotes and contacts name: the only ones that
    replacing the statements can leave unnamed (a look-up by index, not a scan of the archive per batch)."""
    named: dict[str, set[int]] = {table: set() for table, _ in NAMERS}
    for chunk in in_chunks(statement_ids):
        for parts in NAMED_IN:
            rows = cursor.execute(
                side.sql(f"SELECT x.person_id, x.organisation_id FROM {parts} IN ({placeholders(chunk)})"), chunk
            )
            for person_id, organisation_id in rows.fetchall():
                named["people"].add(person_id)
                named["organisations"].add(organisation_id)
    for ids in named.values():
        ids.discard(None)
    return named


def _prune_unnamed(side: Engine, cursor, candidates: dict[str, set[int]]) -> dict[str, list[str]]:
    """Delete those of `candidates` that no quote speaker or contact names any more; their keys, by table."""
    pruned: dict[str, list[str]] = {}
    for table, column in NAMERS:
        pruned[table] = []
        for chunk in in_chunks(sorted(candidates.get(table, ()))):
            gone = cursor.execute(
                side.sql(
                    f"DELETE FROM {table} WHERE id IN ({placeholders(chunk)}) "
                    f"AND NOT EXISTS (SELECT 1 FROM quote_speakers WHERE {column} = {table}.id) "
                    f"AND NOT EXISTS (SELECT 1 FROM contacts WHERE {column} = {table}.id) RETURNING name_key"
                ),
                chunk,
            )
            pruned[table] += [key for (key,) in gone.fetchall()]
    return pruned

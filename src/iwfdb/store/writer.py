"""Writing statements: the rows of whole files gathered in memory, then written a table at a time.

Writing a batch of files with one executemany per table, inside one transaction, costs little more
than SQLite's own work (and lets FTS5 index the batch at once); writing row by row costs several times
as much. The rows go to sqlite3 as they are: SQLAlchemy's per-row parameter processing cost as much again as
SQLite's own work, and importing it half a second, which a re-load of unchanged files never needs. Ids are given here, from the table's largest id at the start of the transaction, so that
children can point to parents before either is written; the transaction begins IMMEDIATE, so no other
writer can take an id meanwhile.

A statement already archived in full and read again with other text is the one case written at once:
its previous version is copied into `revisions` from the rows as they stand, which needs them flushed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import sqlite3

from iwfdb import records
from iwfdb.store import rows as build
from iwfdb.keys import slug_base, statement_match_key
from iwfdb.store.revisions import save_revision

# The archive's tables, by name (models.py defines them; the migrations make them).
SOURCES, STATEMENTS, PEOPLE, QUOTES = "sources", "statements", "people", "quotes"
CONTACTS, PHONES, LINKS, SECTIONS, WARNINGS = "contacts", "contact_phones", "links", "sections", "parse_warnings"

# Parents before children, so that every foreign key points to a row already written.
INSERT_ORDER = (PEOPLE, SOURCES, STATEMENTS, CONTACTS, PHONES, QUOTES, LINKS, SECTIONS, WARNINGS)
STATEMENT_PARTS = (QUOTES, CONTACTS, LINKS, SECTIONS)  # contact_phones go with their contacts (ON DELETE CASCADE)
ARCHIVED = ("loaded", "updated")
KNOWN_STATEMENTS = 20_000  # statements remembered across batches, at most (memory stays bounded)


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

    def add(self, other: Counts) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclass(frozen=True, slots=True)
class SourceState:
    id: int
    sha256: str | None
    outcome: str
    error: str | None


@dataclass(slots=True)
class StatementState:
    """A statement as this batch knows it; `row` is its pending INSERT while it is not yet written."""

    id: int
    card_only: bool
    sha256: str | None
    source_id: int | None
    row: dict | None = None


@dataclass(frozen=True, slots=True)
class Saved:
    statement_id: int
    replaced_source: str | None  # the other file whose text this one replaced (a conflict), if any


class ArchiveWriter:
    """Writes files' rows on one connection; `begin()` after each BEGIN, `flush()` before each COMMIT."""

    def __init__(self, connection: sqlite3.Connection, now: str):
        self.connection = connection
        self.cursor = connection.cursor()
        self.now = now
        self.counts = Counts()
        self.statements: dict[str, StatementState] = {}
        self.begin()

    def begin(self, after_commit: bool = False) -> None:
        """Forget what the last transaction left pending; read ids (and people) as the archive has them.

        After a commit, and if no other connection has written since (SQLite's data_version), what this
        writer knows of statements and people is still true and is kept: related cards name the same
        statements again and again, and each look-up saved is a query.
        """
        version = self.cursor.execute("PRAGMA data_version").fetchone()[0]
        keep = after_commit and version == getattr(self, "data_version", None)
        self.data_version = version
        self.generation = getattr(self, "generation", 0) + 1
        self.inserts: dict = {table: [] for table in INSERT_ORDER}
        self.source_updates: list[dict] = []
        self.statement_updates: list[dict] = []
        self.replacements: dict[int, dict] = {}  # statement id -> new values, for statements read in other text
        self.touched: set[int] = set()  # statements this batch writes: their rows in the archive are not current
        self.stale_warnings: list[dict] = []
        self.slugs: set[str] = set()
        self.twins: dict[str, str] = {}
        if not keep or len(self.statements) > KNOWN_STATEMENTS:
            self.statements: dict[str, StatementState] = {}
        if not keep:
            self.people = dict(self.cursor.execute("SELECT name_key, id FROM people"))
        self.next_ids = {
            table: self.cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            for table in (SOURCES, STATEMENTS, PEOPLE, CONTACTS, QUOTES)
        }

    def flush(self) -> None:
        """Write what is pending, a table at a time, and index it for full-text search in one go."""
        statements, quotes = self.inserts[STATEMENTS], self.inserts[QUOTES]
        replacing, self.replacements = self.replacements, {}
        updates = self.statement_updates + [{**values, "_id": id_} for id_, values in replacing.items()]
        indexing = bool(statements or quotes or updates)
        if indexing:
            self.cursor.execute("INSERT INTO fts_paused (writer) VALUES ('iwfdb load')")
            replaced_texts = self._texts_of([update["_id"] for update in updates])
        for statement_id in replacing:  # the old versions, before their rows change
            save_revision(self.connection, statement_id, self.now)
        for table in STATEMENT_PARTS:
            self.cursor.executemany(f"DELETE FROM {table} WHERE statement_id = ?", [(id_,) for id_ in replacing])
        for table in INSERT_ORDER[:2]:
            self._insert(table)
        self._update(SOURCES, self.source_updates)
        if self.stale_warnings:
            self.cursor.executemany("DELETE FROM parse_warnings WHERE source_id = :_id", self.stale_warnings)
        self._insert(STATEMENTS)
        self._update(STATEMENTS, updates)
        for table in INSERT_ORDER[3:]:
            self._insert(table)
        if indexing:
            self._index(replaced_texts, statements + [{**update, "id": update["_id"]} for update in updates], quotes)
            self.cursor.execute("DELETE FROM fts_paused")
        self.source_updates, self.statement_updates, self.stale_warnings = [], [], []
        self.touched = set()
        for state in self.statements.values():
            state.row = None

    def _texts_of(self, statement_ids: list[int]) -> list[tuple]:
        """What the full-text index holds for these statements, to take it out before they change."""
        texts = []
        for start in range(0, len(statement_ids), 500):
            chunk = statement_ids[start : start + 500]
            texts += self.cursor.execute(
                f"SELECT id, title, summary, body FROM statements WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        return texts

    def _index(self, replaced: list[tuple], statements: list[dict], quotes: list[dict]) -> None:
        self.cursor.executemany(
            "INSERT INTO statements_fts (statements_fts, rowid, title, summary, body) VALUES ('delete', ?, ?, ?, ?)",
            replaced,
        )
        self.cursor.executemany(
            "INSERT INTO statements_fts (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
            [(row["id"], row["title"], row["summary"], row["body"]) for row in statements],
        )
        self.cursor.executemany(
            "INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)", [(row["id"], row["text"]) for row in quotes]
        )

    def _insert(self, table) -> None:
        rows = self.inserts[table]
        if rows:
            # SQLAlchemy's executemany would cost as much as SQLite's own work: the DBAPI takes the dicts as they are.
            columns = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
            self.cursor.executemany(sql, rows)
            self.inserts[table] = []

    def _update(self, table, rows: list[dict]) -> None:
        if rows:
            columns = [column for column in rows[0] if column != "_id"]
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            self.cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = :_id", rows)

    def _new_id(self, table) -> int:
        identifier = self.next_ids[table]
        self.next_ids[table] += 1
        return identifier

    # Sources

    def sources(self, keys: list[str]) -> dict[str, SourceState]:
        """What `sources` holds for these paths, in one query."""
        query = f"SELECT path, id, sha256, outcome, error FROM sources WHERE path IN ({','.join('?' * len(keys))})"
        return {row[0]: SourceState(*row[1:]) for row in self.cursor.execute(query, keys)}

    def source(self, key: str) -> SourceState | None:
        row = self.cursor.execute("SELECT id, sha256, outcome, error FROM sources WHERE path = ?", (key,)).fetchone()
        return SourceState(*row) if row else None

    def archived_elsewhere(self, sha256: str, key: str) -> str | None:
        """The path of another file already archived with these very bytes, if any."""
        if sha256 in self.twins and self.twins[sha256] != key:
            return self.twins[sha256]
        row = self.cursor.execute(
            "SELECT path FROM sources WHERE sha256 = ? AND outcome IN ('loaded', 'updated') AND path <> ? LIMIT 1",
            (sha256, key),
        ).fetchone()
        return row[0] if row else None

    def has_statement_from(self, source_id: int) -> bool:
        """Whether a full statement was archived from this source (by an earlier version of the file)."""
        query = "SELECT 1 FROM statements WHERE source_id = ? AND card_only = 0 LIMIT 1"
        return self.cursor.execute(query, (source_id,)).fetchone() is not None

    def save_source(self, previous: SourceState | None, key: str, values: dict) -> int:
        """Record a file in `sources` (its warnings of a previous version go); returns its id."""
        if previous is None:
            identifier = self._new_id(SOURCES)
            self.inserts[SOURCES].append({**values, "id": identifier, "path": key, "first_loaded_at": self.now})
        else:
            identifier = previous.id
            self.source_updates.append({**values, "_id": identifier})
            self.stale_warnings.append({"_id": identifier})
        if values.get("outcome") in ARCHIVED:
            self.twins[values["sha256"]] = key
        return identifier

    # Statements

    def save_statement(self, parsed: records.ParsedFile, source_id: int, source_name: str) -> Saved:
        """Archive a parsed statement and its parts, under the statement row its natural key names."""
        statement = parsed.statement
        key = statement_match_key(statement.title, statement.published, source_name)
        state = self._statement(key)
        values = build.statement_values(parsed, source_id, self.now)
        replaced_source = None
        if state is None:
            slug = self._unique_slug(slug_base(statement.title, statement.published, Path(source_name).stem))
            state = self._add_statement(key, {**values, "slug": slug})
        elif not state.card_only and state.sha256 == parsed.sha256:
            # The very text archived already (a file restored after a broken edit): only its warnings go back.
            self.inserts[WARNINGS] += build.warning_rows(source_id, statement.warnings)
            return Saved(state.id, None)
        elif state.card_only:
            self._complete(state, values)
        else:
            replaced_source = self._replace(state, values)
        state.card_only, state.sha256, state.source_id = False, parsed.sha256, source_id
        self.touched.add(state.id)
        self._save_parts(state.id, statement, source_id)
        self.inserts[WARNINGS] += build.warning_rows(source_id, statement.warnings)
        return Saved(state.id, replaced_source)

    def _statement(self, key: str) -> StatementState | None:
        if key in self.statements:
            return self.statements[key]
        row = self.cursor.execute(
            "SELECT id, card_only, sha256, source_id FROM statements WHERE match_key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        self.statements[key] = StatementState(row[0], bool(row[1]), row[2], row[3])
        return self.statements[key]

    def _add_statement(self, key: str, values: dict) -> StatementState:
        identifier = self._new_id(STATEMENTS)
        row = {**values, "id": identifier, "match_key": key, "first_loaded_at": self.now}
        self.inserts[STATEMENTS].append(row)
        self.touched.add(identifier)
        self.statements[key] = StatementState(identifier, values["card_only"], values["sha256"], None, row)
        self.counts.statements_added += 1
        return self.statements[key]

    def _complete(self, state: StatementState, values: dict) -> None:
        """A card-only statement becomes full in place (same id: every link to it stays valid).

        It holds nothing a card did not say, and the cards themselves are kept on their links: no revision.
        """
        if state.row is not None:
            state.row.update(values)
        else:
            self.statement_updates.append({**values, "_id": state.id})
        self.counts.statements_completed += 1

    def _replace(self, state: StatementState, values: dict) -> str | None:
        """Another text of an archived statement: keep the old version as a revision, then update in place.

        Done with the batch when the old version is all in the archive; at once (after a flush) when this
        batch wrote or replaced it already, since a revision is read from the rows as they stand.
        """
        if state.id not in self.touched:
            self.replacements[state.id] = values
        else:
            self.flush()
            save_revision(self.connection, state.id, self.now)
            self._update(STATEMENTS, [{**values, "_id": state.id}])
            for table in STATEMENT_PARTS:
                self.cursor.execute(f"DELETE FROM {table} WHERE statement_id = ?", (state.id,))
        self.counts.statements_updated += 1
        self.counts.revisions_added += 1
        previous_source = self.cursor.execute("SELECT path FROM sources WHERE id = ?", (state.source_id,)).fetchone()
        changed_file = state.source_id != values["source_id"]
        return previous_source[0] if changed_file and previous_source else None

    def _save_parts(self, statement_id: int, statement: records.Statement, source_id: int) -> None:
        people = self._person_ids(build.named_people(statement))
        quotes = build.quote_rows(statement_id, statement.quotes, people)
        for quote in quotes:  # ids given here, for the full-text index written with the batch
            quote["id"] = self._new_id(QUOTES)
        contacts, phones = build.contact_rows(
            statement_id, statement.contacts, people, lambda: self._new_id(CONTACTS)
        )
        links = build.link_rows(statement_id, statement, self._card_targets(statement.related, source_id))
        for table, rows in ((QUOTES, quotes), (CONTACTS, contacts), (PHONES, phones), (LINKS, links)):
            self.inserts[table] += rows
        self.inserts[SECTIONS] += build.section_rows(statement_id, statement)
        self.counts.quotes_added += len(quotes)
        self.counts.contacts_added += len(contacts)
        self.counts.phones_added += len(phones)
        self.counts.links_added += len(links)

    def _card_targets(self, cards, source_id: int) -> list[int]:
        """The statement each related card describes; a card-only statement is made for one not yet known."""
        targets = []
        for card in cards:
            key = statement_match_key(card.title, card.date, "")
            state = self._statement(key)
            if state is None:
                slug = self._unique_slug(slug_base(card.title, card.date, "card"))
                state = self._add_statement(key, {**build.card_values(card, source_id, self.now), "slug": slug})
            targets.append(state.id)
        return targets

    def _person_ids(self, named: dict[str, tuple[str, str]]) -> dict[str, int]:
        for key, (name, kind) in named.items():
            if key not in self.people:
                self.people[key] = self._new_id(PEOPLE)
                self.inserts[PEOPLE].append({"id": self.people[key], "name_key": key, "name": name, "kind": kind})
        return self.people

    def _unique_slug(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`... whichever no statement has yet."""
        taken = self.slugs | {
            slug
            for (slug,) in self.cursor.execute(
                "SELECT slug FROM statements WHERE slug = ? OR (slug > ? AND slug < ?)", (base, f"{base}-", f"{base}.")
            )
        }
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

"""A parsed file's statement and its parts, as pending rows of its batch.

The statement is added, completed in place (known until now from a related card), left as it is (the same
text: only its warnings go back) or replaced in place, its old version kept as a revision (revisions.py);
which one is policy.py's decision, and which statement identity.py's. Its parts (quotes and who said them,
contacts, links, sections) are written anew with it, and so are the people and organisations they name.
"""

from __future__ import annotations

from collections.abc import Callable

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.record_keys import StatementKeys
from iwfdb.store import rows
from iwfdb.store.batch import Counts, PendingRows
from iwfdb.store.identity import Identity
from iwfdb.store.known import Ids, Known, StatementState
from iwfdb.store.policy import Action, statement_action
from iwfdb.store.sources import SourceRows
from iwfdb.store.stored import as_parsed, read_statement, same_reading

# Columns a new reading keeps from the archived statement when it does not state them itself: where it came
# from, always (a text of a page read as HTML before keeps the page's address); and, when the statement is
# the same by its address or opening paragraphs, its title and date (a body-only rendering has neither).
KEPT_ALWAYS = ("url", "publisher")
KEPT_ON_MERGE = ("title", "kind", "published", "byline", "summary")


class StatementRows:
    """Turns a parsed file's statement into pending rows, counting them (the session's ids, rows and counts).

    `write_pending` writes the batch so far: the archive's rows of a statement are read (to compare, or to keep
    as a revision) only once what this batch has for it is written."""

    def __init__(
        self,
        archive: Archive,
        now: str,
        known: Known,
        ids: Ids,
        pending: PendingRows,
        counts: Counts,
        sources: SourceRows,
        write_pending: Callable[[], None],
    ):
        self.archive = archive
        self.now = now
        self.known = known
        self.ids = ids
        self.pending = pending
        self.counts = counts
        self.sources = sources
        self.write_pending = write_pending

    def archived(self, statement_id: int) -> records.Statement:
        """The statement as the archive holds it, with what this batch has for it written first."""
        self._write_first(statement_id)
        return as_parsed(read_statement(self.archive, statement_id, surroundings=False))

    def _write_first(self, statement_id: int) -> None:
        if statement_id in self.pending.touched:  # its rows are to be read from the archive
            self.write_pending()

    def save(
        self, parsed: records.ParsedFile, keys: StatementKeys, source_id: int, identity: Identity, reread: bool = False
    ) -> tuple[int, str | None]:
        """The statement's rows; its id, and the path of the other file whose text it replaced (if any)."""
        statement = parsed.statement
        values = {**rows.statement_values(parsed, keys, source_id, self.now), "match_key": identity.match_key}
        key, merged_by = identity.key, identity.merged_by
        state = self.known.statement(key)
        action = statement_action(state, parsed.sha256)
        replaced = None
        if state is None:  # Action.ADD
            slug = self.known.unique_slug(keys.slug_base)
            state = self._add(key, {**values, "match_key": key, "slug": slug})
        elif action is Action.SAME_TEXT and not (reread and not same_reading(self.archived(state.id), statement)):
            # a file restored after a broken edit (or read again the same way): only its warnings go back
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

    def _add(self, key: str, values: dict) -> StatementState:
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
        self._write_first(state.id)
        old = _stored_values(self.archive, state.id, tuple(values))
        kept = KEPT_ALWAYS + (KEPT_ON_MERGE if merged_by else ())
        values = {**values, **{column: old[column] for column in kept if values[column] is None}}
        if values["match_key"] != key:
            self.known.rekey(key, values["match_key"])
        self.pending.replace_statement(state.id, values, {c: value for c, value in values.items() if value != old[c]})
        self.counts.statements_updated += 1
        self.counts.revisions_added += 1
        if state.source_id is None or state.source_id == values["source_id"]:
            return None
        return self.sources.path(state.source_id)

    def _save_parts(self, statement_id: int, statement: records.Statement, keys: StatementKeys, source_id: int) -> None:
        people = self._ids_of(keys.people, "people")
        organisations = self._ids_of(keys.organisations, "organisations")
        quotes = rows.quote_rows(statement_id, statement.quotes, people, organisations)
        speakers = []
        # ids given here, for the full-text index and speakers
        for quote, parsed in zip(quotes, statement.quotes, strict=True):
            quote["id"] = quote_id = self.ids.new("quotes")
            speakers += rows.quote_speaker_rows(quote_id, parsed, people, organisations)
        contacts, phones = rows.contact_rows(
            statement_id, statement.contacts, people, organisations, lambda: self.ids.new("contacts")
        )
        links = rows.link_rows(statement_id, statement, self._card_targets(statement.related, keys.cards, source_id))
        sections = rows.section_rows(statement_id, statement)
        for table, new in (
            ("quotes", quotes),
            ("quote_speakers", speakers),
            ("contacts", contacts),
            ("contact_phones", phones),
            ("links", links),
            ("sections", sections),
        ):
            self.pending.add(table, new)
        self.counts.quotes_added += len(quotes)
        self.counts.contacts_added += len(contacts)
        self.counts.phones_added += len(phones)
        self.counts.links_added += len(links)

    def _card_targets(self, cards, card_keys, source_id: int) -> list[int]:
        """The statement each related card describes; a card-only statement is made for one not yet known."""
        targets = []
        for card, (key, base) in zip(cards, card_keys, strict=True):
            state = self.known.statement(key)
            if state is None:
                slug = self.known.unique_slug(base)
                state = self._add(key, {**rows.card_values(card, source_id, self.now), "slug": slug})
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


def _stored_values(archive: Archive, statement_id: int, columns: tuple[str, ...]) -> dict:
    row = archive.execute(f"SELECT {', '.join(columns)} FROM statements WHERE id = ?", (statement_id,)).fetchone()
    return dict(zip(columns, row, strict=True))

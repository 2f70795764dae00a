"""What a writer knows of the archive: the ids it hands out, and the statements, people and slugs it has seen
(which archived statement a new reading is: identity.py).

Ids are given here, from each table's largest id at the start of the transaction, so that children can point
to parents before either is written; the write transaction holds the archive's write lock (BEGIN IMMEDIATE,
or PostgreSQL's advisory lock), so no other writer takes an id meanwhile.

What was looked up stays known across commits as long as no other writer commits in between (the engine's
write generation tells): related cards name the same statements again and again, and each look-up saved is
a query. An archive that was empty when the load began, and that nobody else wrote to since, holds nothing
the writer does not know: a key it has not seen is not there, and no query is asked (a cold load).
"""

from __future__ import annotations

from dataclasses import dataclass

from iwfdb.db import Archive
from iwfdb.keys import UNTITLED

# Tables whose ids the writer gives (the others take theirs from the engine).
ID_TABLES = ("sources", "statements", "people", "organisations", "contacts", "quotes")
KNOWN_STATEMENTS = 200_000  # statements remembered, at most: about 20 MB (memory stays bounded)
SHARED = ""  # what an address or an opening is known by when several statements share it: no merge on it


@dataclass(slots=True)
class StatementState:
    """A statement as the writer knows it."""

    id: int
    card_only: bool
    sha256: str | None
    source_id: int | None
    url: str | None = None


class Ids:
    """Ids handed out in Python, from the largest of each table at the start of the transaction (`restart`)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def restart(self, archive: Archive) -> None:
        self.next = {
            table: archive.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0] for table in ID_TABLES
        }

    def new(self, table: str) -> int:
        identifier = self.next[table]
        self.next[table] += 1
        return identifier


class Known:
    """Statements by match key, people by name key, slugs: looked up once, remembered while still true."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.reset()

    def reset(self) -> None:
        """Know nothing, as at the start (what a load learnt is of no more use once it ends; its memory is)."""
        self.generation: object = None  # the engine's write generation when this knowledge was last true
        self.complete = False  # the archive holds nothing but what is known here
        self.statements: dict[str, StatementState] = {}
        self.people: dict[str, int] = {}
        self.organisations: dict[str, int] = {}
        self.slugs: set[str] = set()
        self.twins: dict[str, str] = {}  # sha256 -> path of a file archived in this load
        self.addresses: dict[str, str] = {}  # url -> match key, of statements written in this load
        self.openings: dict[str, str] = {}  # body_key -> match key, likewise

    def refresh(self, after_own_commit: bool) -> None:
        """At the start of a transaction: keep what is known if no one else has written since, else forget it."""
        generation = self.archive.side.write_generation(self.archive.connection)
        first = self.generation is None
        still_true = not first and after_own_commit and generation is not None and generation == self.generation
        self.generation = generation
        if first:
            self.complete = self._archive_is_empty()
        elif still_true and len(self.statements) <= KNOWN_STATEMENTS:
            return
        else:
            self.complete = False
            self.statements = {}
        if not still_true:
            self.addresses, self.openings = {}, {}
        if first or not still_true:
            self.people = dict(self.archive.execute("SELECT name_key, id FROM people").fetchall())
            self.organisations = dict(self.archive.execute("SELECT name_key, id FROM organisations").fetchall())
            self.slugs = set()
            self.twins = {}

    def after_commit(self, generation: object) -> None:
        """Remember the write generation our own commit left the archive at, so it is not taken for another's."""
        self.generation = generation

    def statement(self, key: str) -> StatementState | None:
        if key in self.statements or self.complete:
            return self.statements.get(key)
        row = self.archive.execute(
            "SELECT id, card_only, sha256, source_id, url FROM statements WHERE match_key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        self.statements[key] = StatementState(row[0], bool(row[1]), row[2], row[3], row[4])
        return self.statements[key]

    def remember(self, key: str, state: StatementState, url: str | None = None, body_key: str | None = None) -> None:
        self.statements[key] = state
        for cache, value in ((self.addresses, url), (self.openings, body_key)):
            if value:
                cache[value] = key if cache.get(value, key) == key else SHARED

    def rekey(self, old: str, new: str) -> None:
        """A statement's match key changed (a body-only rendering, now read with its title and date)."""
        self.statements[new] = self.statements.pop(old)
        self.addresses = {url: new if key == old else key for url, key in self.addresses.items()}
        self.openings = {body: new if key == old else key for body, key in self.openings.items()}

    def by_address(self, url: str) -> str | None:
        """The match key of the statement read from this address, if any."""
        return self._key_by("url", url, self.addresses)

    def by_opening(self, body_key: str, untitled_only: bool) -> str | None:
        """The match key of a statement whose opening paragraphs are these (only one without a title, if asked)."""
        key = self._key_by("body_key", body_key, self.openings)
        return None if key is None or (untitled_only and not key.startswith(UNTITLED)) else key

    def _key_by(self, column: str, value: str, cache: dict[str, str]) -> str | None:
        """The one statement with this address or opening; none when several share it (a site's one canonical
        link for many pages, a boilerplate opening): a merge must not guess which."""
        if value not in cache and not self.complete:
            found = self.archive.execute(
                f"SELECT match_key FROM statements WHERE {column} = ? ORDER BY id LIMIT 2", (value,)
            ).fetchall()
            if found:
                cache[value] = found[0][0] if len(found) == 1 else SHARED
        return cache.get(value) or None

    def unique_slug(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`... whichever no statement has yet (one index look-up each)."""
        slug, number = base, 1
        while slug in self.slugs or (not self.complete and self._slug_taken(slug)):
            number += 1
            slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

    def twin(self, sha256: str, key: str) -> str | None:
        """The path of another file already archived with these very bytes, if any."""
        if sha256 in self.twins and self.twins[sha256] != key:
            return self.twins[sha256]
        if self.complete:
            return None
        row = self.archive.execute(
            "SELECT path FROM sources WHERE sha256 = ? AND outcome IN ('loaded', 'updated') AND path <> ? LIMIT 1",
            (sha256, key),
        ).fetchone()
        return row[0] if row else None

    def forget(self, pruned: dict[str, list[str]]) -> None:
        """People and organisations whose rows are gone."""
        for table, keys in pruned.items():
            known = self.people if table == "people" else self.organisations
            for key in keys:
                known.pop(key, None)

    def _slug_taken(self, slug: str) -> bool:
        return self.archive.execute("SELECT 1 FROM statements WHERE slug = ?", (slug,)).fetchone() is not None

    def _archive_is_empty(self) -> bool:
        """No statement and no file (one that failed counts: a load must know it failed before)."""
        return all(
            self.archive.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None
            for table in ("statements", "sources")
        )

"""The limit to compare `iwfdb load` with: the same statements written by Python's `sqlite3` directly.

The schema is the project's own, made by its migrations (`iwfdb.db.migrate.upgrade`); then the rows are
written with the stdlib `sqlite3` module: `executemany` per table for every batch of files, all in one
transaction, WAL, synchronous=NORMAL, foreign keys on, into the same tables, with the same FTS5 triggers
filling statements_fts and quotes_fts. The files are streamed: found, then read, hashed and parsed one at
a time, and their rows written a batch at a time; no more than one batch is ever held in memory.

The parse is *minimal* on purpose, a line-based skim: title line (with a `Statement - ` prefix cut off),
`Published:` date, body lines up to the closing sections, quotes (lines that open with a quote mark or
carry `said:`), a contact line with its phones, related cards (title, title, summary, date line) as
links to statements (card-only rows made for unknown ones), closing sections, and a link row for
`www.iwf.org.uk`. It is crude; it exists to put a floor under the cost of reading files and writing
rows, not to be right.

Usage: python bench/baseline.py DB DIR [--glob '*.txt']   (prints a JSON summary on stdout)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

BATCH_FILES = 1000
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec"), start=1)}  # fmt: skip
PUBLISHED = re.compile(r"Published:\s*(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})")
CARD_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4}) ([A-Z][a-z]+)")
KIND_PREFIX = re.compile(r"(Statement)\s*[-:–]\s+")
CLOSING = ("Ends", "Notes to editors", "Contact:", "What we do", "About the Internet Watch Foundation")
SECTION_HEADINGS = ("Notes to editors:", "What we do:", "About the Internet Watch Foundation")
PHONE = re.compile(r"(?:\+44\s*(?:\(0\)\s*)?|0)\d[\d ]{8,12}\d")
QUOTE_OPENERS = ("“", '"', "‘")
SAID = re.compile(r"^(.{2,120}?),? (?:said|added|told MPs|continued):\s*(.*)$")
SAID_AFTER = re.compile(r"[”\"],? said ([^,.]+)")
SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SPACES = re.compile(r"\s+")


def find_files(root: Path, glob: str) -> list[Path]:
    return sorted(p for p in root.rglob(glob) if p.is_file())


def minimal_parse(data: bytes) -> dict | None:
    """A statement's parts from a skim of its lines, or None for a file that is plainly not one."""
    if not data or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.replace("\u00a0", " ").split("\n")]
    lines = [line for line in lines if line]
    if not lines or lines[0].startswith(("#", "=")):
        return None
    date_at = next((i for i, line in enumerate(lines[:6]) if line.startswith("Published:")), None)
    published = None
    if date_at is not None:
        match = PUBLISHED.match(lines[date_at])
        if match and match.group(2).lower() in MONTHS:
            published = f"{match.group(3)}-{MONTHS[match.group(2).lower()]:02d}-{int(match.group(1)):02d}"
    title, kind = (lines[date_at - 1] if date_at else None), None
    if title:
        prefix = KIND_PREFIX.match(title)
        if prefix:
            kind, title = prefix.group(1), title[prefix.end() :]
    cards_at = len(lines)
    cards = []
    while cards_at >= 4 and CARD_DATE.fullmatch(lines[cards_at - 1]):
        match = CARD_DATE.fullmatch(lines[cards_at - 1])
        month = match.group(2)[:3].lower()
        when = f"{match.group(3)}-{MONTHS.get(month, 1):02d}-{int(match.group(1)):02d}"
        cards.append((lines[cards_at - 4], lines[cards_at - 2], when, match.group(4), cards_at - 4))
        cards_at -= 4
    cards.reverse()
    start = (date_at + 1) if date_at is not None else 0
    end = next((i for i in range(start, cards_at) if lines[i].startswith(CLOSING)), cards_at)
    body = lines[start:end]
    return {
        "title": title, "kind": kind, "published": published, "body": "\n\n".join(body),
        "quotes": _quotes(body, start), "contacts": _contacts(lines, end, cards_at),
        "sections": _sections(lines, end, cards_at), "cards": cards,
        "urls": [(i, "www.iwf.org.uk") for i in range(end, cards_at) if "www.iwf.org.uk" in lines[i]],
    }  # fmt: skip


def _quotes(body: list[str], first_line: int) -> list[tuple]:
    """(speaker, attribution, text, line) for lines that look like quotes; crude by design."""
    found = []
    for i, line in enumerate(body):
        if line.startswith(QUOTE_OPENERS):
            previous = body[i - 1] if i else ""
            after = SAID_AFTER.search(line)
            if previous.endswith(":") and "said" in previous:
                speaker, attribution = previous.rsplit(" said", 1)[0].split(", ")[-1], previous
            elif after:
                speaker, attribution = after.group(1), after.group(0)
            else:
                speaker, attribution = None, ""
            found.append((speaker, attribution, line, first_line + i))
        elif "said:" in line or "added:" in line:
            match = SAID.match(line)
            if match and match.group(2):
                found.append((match.group(1).split(", ")[0], match.group(1), match.group(2), first_line + i))
    return found


def _contacts(lines: list[str], start: int, stop: int) -> list[tuple]:
    """(name, role, email_hidden, phones, line) for the line after `Contact:` (or `Contact: X` inline)."""
    for i in range(start, stop):
        if lines[i].startswith("Contact:"):
            text = lines[i][8:].strip() or (lines[i + 1] if i + 1 < stop else "")
            name, _, rest = text.partition(",")
            hidden = "[email protected]" in text or (i + 2 < stop and "[email protected]" in lines[i + 2])
            phones = [(raw, _e164(raw)) for raw in PHONE.findall(text)]
            return [(name.strip() or None, rest.split(",")[0].strip() or None, hidden, phones, i + 1)]
    return []


def _e164(raw: str) -> str:
    digits = re.sub(r"\D", "", raw.replace("(0)", ""))
    return "+" + digits if raw.startswith("+") else "+44" + digits.lstrip("0")


def _sections(lines: list[str], start: int, stop: int) -> list[tuple]:
    heads = [i for i in range(start, stop) if lines[i].startswith(SECTION_HEADINGS)]
    return [(lines[h], "\n".join(lines[h + 1 : nxt]), h + 1) for h, nxt in zip(heads, heads[1:] + [stop])]


def normalise(text: str) -> str:
    return SPACES.sub(" ", text).strip().casefold()


def slugify(title: str | None, published: str | None) -> str:
    ascii_text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    return f"{published or 'undated'}-{SLUG_JUNK.sub('-', ascii_text.casefold()).strip('-')}"[:80]


class Writer:
    """Rows for a batch of files, with ids given here, written with one executemany per table."""

    TABLES = {
        "sources": "id, path, size, mtime_ns, sha256, outcome, error, first_loaded_at, last_loaded_at",
        "people": "id, name, name_key, kind",
        "statements": "id, slug, match_key, title, kind, published, byline, summary, body, card_only, source_id,"
                      " sha256, first_loaded_at, last_loaded_at",
        "quotes": "id, statement_id, position, person_id, speaker, role, honours, attribution, text, line",
        "contacts": "id, statement_id, position, person_id, name, role, email, email_hidden, handles, line",
        "contact_phones": "id, contact_id, position, raw, e164",
        "links": "id, statement_id, position, target_statement_id, url, text, line",
        "sections": "id, statement_id, position, heading, text, line",
    }  # fmt: skip

    def __init__(self, connection: sqlite3.Connection, now: str, direct_fts: bool):
        self.connection = connection
        self.direct_fts = direct_fts
        self.card_titles: dict[int, str] = {}  # card-only statements, for their FTS 'delete' when upgraded
        self.now = now
        self.ids = dict.fromkeys(self.TABLES, 0)
        self.rows: dict[str, list[tuple]] = {table: [] for table in self.TABLES}
        self.upgrades: list[tuple] = []  # card-only statements that a file now gives in full
        self.statements: dict[str, tuple[int, bool]] = {}  # match_key: (id, card_only)
        self.people: dict[str, int] = {}
        self.slugs: set[str] = set()
        self.counts = {"files": 0, "failed": 0, "duplicate": 0, "statements_updated": 0}

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def add_file(self, path: Path, data: bytes, mtime_ns: int) -> None:
        self.counts["files"] += 1
        sha256 = hashlib.sha256(data).hexdigest()
        parsed = minimal_parse(data)
        source_id = self.next_id("sources")
        outcome = "loaded" if parsed else "failed"
        self.rows["sources"].append((source_id, str(path.absolute()), len(data), mtime_ns, sha256, outcome,
                                     None if parsed else "not a statement", self.now, self.now))  # fmt: skip
        if parsed is None:
            self.counts["failed"] += 1
            return
        key = f"{normalise(parsed['title'] or path.name)}|{parsed['published'] or 'undated'}"
        values = (parsed["title"], parsed["kind"], parsed["published"], None, None, parsed["body"] or None)
        known = self.statements.get(key)
        if known and not known[1]:
            self.counts["duplicate"] += 1
            return
        if known:
            statement_id = known[0]
            self.upgrades.append((*values, source_id, sha256, self.now, statement_id))
            self.counts["statements_updated"] += 1
        else:
            statement_id = self.new_statement(key, values, False, source_id, sha256)
        self.statements[key] = (statement_id, False)
        self.add_parts(statement_id, parsed, source_id)

    def new_statement(self, key: str, values: tuple, card_only: bool, source_id: int, sha256) -> int:
        statement_id = self.next_id("statements")
        slug = slugify(values[0], values[2])
        while slug in self.slugs:
            slug += "-2"
        self.slugs.add(slug)
        self.rows["statements"].append((statement_id, slug, key, *values, card_only, source_id, sha256,
                                        self.now, self.now))  # fmt: skip
        if card_only:
            self.card_titles[statement_id] = values[0]
        return statement_id

    def person(self, name: str | None) -> int | None:
        if not name:
            return None
        key = normalise(name)
        if key not in self.people:
            self.people[key] = self.next_id("people")
            self.rows["people"].append((self.people[key], name, key, "person"))
        return self.people[key]

    def add_parts(self, statement_id: int, parsed: dict, source_id: int) -> None:
        for position, (speaker, attribution, text, line) in enumerate(parsed["quotes"]):
            self.rows["quotes"].append((self.next_id("quotes"), statement_id, position, self.person(speaker),
                                        speaker, None, None, attribution, text, line))  # fmt: skip
        for position, (name, role, hidden, phones, line) in enumerate(parsed["contacts"]):
            contact_id = self.next_id("contacts")
            self.rows["contacts"].append((contact_id, statement_id, position, self.person(name), name, role, None,
                                          hidden, "", line))  # fmt: skip
            for number, (raw, e164) in enumerate(phones):
                self.rows["contact_phones"].append((self.next_id("contact_phones"), contact_id, number, raw, e164))
        links = [(line, None, title, self.card_target(title, when, kind, source_id))
                 for title, _summary, when, kind, line in parsed["cards"]]  # fmt: skip
        links += [(line, url, url, None) for line, url in parsed["urls"]]
        for position, (line, url, text, target) in enumerate(sorted(links, key=lambda link: link[0])):
            self.rows["links"].append((self.next_id("links"), statement_id, position, target, url, text, line))
        for position, (heading, text, line) in enumerate(parsed["sections"]):
            self.rows["sections"].append((self.next_id("sections"), statement_id, position, heading, text, line))

    def card_target(self, title: str, when: str, kind: str, source_id: int) -> int:
        key = f"{normalise(title)}|{when}"
        if key not in self.statements:
            values = (title, kind, when, None, None, None)
            self.statements[key] = (self.new_statement(key, values, True, source_id, None), True)
        return self.statements[key][0]

    def flush(self) -> None:
        """Write the batch: one executemany per table (and, with `direct_fts`, per FTS5 table)."""
        for table, columns in self.TABLES.items():
            if self.rows[table]:
                marks = ", ".join("?" * (columns.count(",") + 1))
                self.connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", self.rows[table])
        if self.upgrades:
            self.connection.executemany(
                "UPDATE statements SET title = ?, kind = ?, published = ?, byline = ?, summary = ?, body = ?,"
                " card_only = 0, source_id = ?, sha256 = ?, last_loaded_at = ? WHERE id = ?", self.upgrades)
        if self.direct_fts:
            self.index_batch()
        for rows in self.rows.values():
            rows.clear()
        self.upgrades.clear()

    def index_batch(self) -> None:
        """The batch's FTS5 rows, as the triggers would make them, in one executemany per FTS5 table.

        The operations are sorted by rowid, because FTS5 flushes its in-memory buffer when a rowid is not
        above the last one it buffered (in an isolated test the order made no measurable difference; it
        costs nothing either). The sort is stable: a card-only statement made and given in full in the same
        batch is inserted, deleted and inserted again, in that order (a delete of a row not yet indexed
        corrupts an FTS5 index).
        """
        operations = [(r[0], None, r[3], r[7], r[8]) for r in self.rows["statements"]]
        for r in self.upgrades:  # a card-only statement now given in full: its card's words leave the index
            operations.append((r[-1], "delete", self.card_titles.pop(r[-1]), None, None))
            operations.append((r[-1], None, r[0], r[4], r[5]))
        operations.sort(key=lambda operation: operation[0])
        self.connection.executemany(
            "INSERT INTO statements_fts(statements_fts, rowid, title, summary, body) VALUES (?, ?, ?, ?, ?)",
            [(command, rowid, title, summary, body) for rowid, command, title, summary, body in operations])
        self.connection.executemany("INSERT INTO quotes_fts(rowid, text) VALUES (?, ?)",
                                    [(r[0], r[8]) for r in self.rows["quotes"]])  # fmt: skip

    def row_counts(self) -> dict[str, int]:
        return dict(self.ids)


FTS_TRIGGERS = ("statements_fts_after_insert", "statements_fts_after_update", "quotes_fts_after_insert",
                "quotes_fts_after_update")  # fmt: skip


def load(database: Path, root: Path, glob: str = "*.txt", fts: str = "direct") -> dict:
    """Create the schema with the project's migrations, then write every file's rows; a summary.

    fts="direct" (the default, and the limit): the FTS insert/update triggers are set aside inside the
    transaction, the batch's FTS rows are written with executemany, and the triggers are put back before
    COMMIT. fts="triggers": the schema's triggers index each row as it is written.
    """
    started = time.perf_counter()
    from iwfdb.db import locate
    from iwfdb.db.migrate import upgrade

    upgrade(locate(str(database)))
    schema_done = time.perf_counter()
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "temp_store=MEMORY"):
        connection.execute(f"PRAGMA {pragma}")
    writer = Writer(connection, datetime.now(timezone.utc).isoformat(timespec="seconds"), fts == "direct")
    connection.execute("BEGIN")
    triggers = []
    if fts == "direct":
        names = ", ".join(f"'{name}'" for name in FTS_TRIGGERS)
        triggers = connection.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                      f" AND name IN ({names})").fetchall()  # fmt: skip
        for name, _sql in triggers:
            connection.execute(f"DROP TRIGGER {name}")
    for number, path in enumerate(find_files(root, glob), start=1):
        status = os.stat(path)
        writer.add_file(path, path.read_bytes(), status.st_mtime_ns)
        if number % BATCH_FILES == 0:
            writer.flush()
    writer.flush()
    for _name, sql in triggers:
        connection.execute(sql)
    connection.execute("COMMIT")
    connection.close()
    finished = time.perf_counter()
    return {"schema_seconds": round(schema_done - started, 3), "load_seconds": round(finished - schema_done, 3),
            "fts": fts, **writer.counts, "rows": writer.row_counts()}  # fmt: skip


def read_and_hash(root: Path, glob: str = "*.txt") -> int:
    """What an unchanged re-load cannot avoid: find every file, read it and hash it; returns the bytes read."""
    total = 0
    for path in find_files(root, glob):
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Raw sqlite3 baseline load (see the module docstring).")
    parser.add_argument("database", type=Path)
    parser.add_argument("root", type=Path)
    parser.add_argument("--glob", default="*.txt")
    parser.add_argument("--fts", choices=("direct", "triggers"), default="direct",
                        help="write FTS5 rows per batch (default) or let the schema's triggers do it per row")
    args = parser.parse_args(argv)
    print(json.dumps(load(args.database, args.root, args.glob, args.fts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How well iwfdb finds who said what: speaker precision and recall on a synthetic corpus, and people rows.

    python bench/speakers.py CORPUS [--db PATH] [--n N] [--show K]

Loads CORPUS (written by `bench/corpus.py`, with its `truth.jsonl`; `--n N` writes it first if need be)
into an archive with `iwfdb.store.load_paths`, then compares every stored quote's speaker with the truth:
the same statement file, the same position, the same kind and the same key (`iwfdb.keys.person_key` for
people and groups, `organisation_key` for bodies; unknown sources have no speaker). Precision is the
share of stored quotes whose speaker is right, recall the share of true quotes stored with the right
speaker. Then it lists the `people` rows of kind `person` that are no generated person: a fused name
('Economy Baroness Jones') or a made-up one; and press offices named as contacts (organisations, which
`people` must not hold).

The archive is read through iwfdb's own door (a SQLite file, or --db postgresql://...): quotes(statement_id,
position, speaker, speaker_kind), people(name, kind), statements(id, source_id), sources(id, path). Exit
status 1 when a target (precision and recall 0.99, no row that is no generated person) is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import corpus

from iwfdb.db import Location, Purpose, locate, open_archive
from iwfdb.keys import group_members, organisation_key, person_key
from iwfdb.store.load import load_paths

TARGET = 0.99
STORED_QUOTES = """
    SELECT src.path, q.position, q.speaker, q.speaker_kind
    FROM quotes q
    JOIN statements s ON s.id = q.statement_id
    JOIN sources src ON src.id = s.source_id
"""
# Rows are keyed again here rather than trusted for their name_key: an archive written by an older iwfdb
# keyed them otherwise (before accents were folded).
PEOPLE = "SELECT name FROM people WHERE kind = 'person' ORDER BY name"


@dataclass
class Score:
    truth: int = 0
    stored: int = 0
    right: int = 0
    missed: Counter[str] = field(default_factory=Counter)  # by true kind
    wrong: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.right / self.stored if self.stored else 1.0

    def recall(self) -> float:
        return self.right / self.truth if self.truth else 1.0


def speaker_key(speaker: str | None, kind: str) -> str | None:
    """What two namings of one speaker share: a person's or group's key, a body's key, nothing for unknown."""
    if speaker is None or kind == "unknown":
        return None
    return organisation_key(speaker) if kind == "organisation" else person_key(speaker)


def read_truth(root: Path) -> dict[str, dict]:
    path = root / corpus.TRUTH_FILE
    if not path.is_file():
        raise SystemExit(f"{path}: no truth beside the corpus; write the corpus with bench/corpus.py (or pass --n)")
    with path.open(encoding="utf-8") as lines:
        return {record["path"]: record for record in map(json.loads, lines)}


def stored_quotes(database: Location, root: Path) -> dict[str, dict[int, tuple[str | None, str]]]:
    """{file relative to the corpus: {position: (speaker, kind)}}; the kind as the archive shows it."""
    found: dict[str, dict[int, tuple[str | None, str]]] = {}
    with open_archive(database, Purpose.INSPECT) as archive:
        for path, position, speaker, kind in archive.execute(STORED_QUOTES).fetchall():
            relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
            found.setdefault(relative, {})[position] = (speaker, kind)
    return found


def score(truth: dict[str, dict], stored: dict[str, dict[int, tuple[str | None, str]]]) -> Score:
    result = Score()
    for path, record in truth.items():
        got = stored.get(path, {})
        result.stored += len(got)
        for position, expected in enumerate(record["quotes"]):
            result.truth += 1
            speaker, kind = got.get(position, (None, "missing"))
            if kind == expected["kind"] and speaker_key(speaker, kind) == speaker_key(
                expected["speaker"], expected["kind"]
            ):
                result.right += 1
            else:
                result.missed[expected["kind"]] += 1
                result.wrong.append(
                    f"{path} quote {position}: expected {expected['speaker']!r} ({expected['kind']}), "
                    f"got {speaker!r} ({kind})"
                )
    return result


def unexpected_people(database: Location, truth: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(people rows that are no generated person, rows that are press offices named as contacts)."""
    people = {person_key(q["speaker"]) for r in truth.values() for q in r["quotes"] if q["kind"] == "person"}
    # The members of a joint quote's group are people too (each has a row, linked by quote_speakers).
    people |= {person_key(member) for r in truth.values() for q in r["quotes"] if q["kind"] == "group"
               for member in group_members(q["speaker"])}  # fmt: skip
    people |= {person_key(c["name"]) for r in truth.values() for c in r["contacts"] if c["kind"] == "person"}
    offices = {person_key(c["name"]) for r in truth.values() for c in r["contacts"] if c["kind"] != "person"}
    with open_archive(database, Purpose.INSPECT) as archive:
        rows = [(name, person_key(name)) for (name,) in archive.execute(PEOPLE).fetchall()]
    strangers = [name for name, key in rows if key not in people and key not in offices]
    return strangers, [name for name, key in rows if key in offices]


def report(result: Score, strangers: list[str], offices: list[str], seconds: float, show: int) -> bool:
    """Prints the figures; True when every target is met."""
    print(f"quotes: {result.truth} true, {result.stored} stored, {result.right} with the right speaker "
          f"(load: {seconds:.1f} s)")  # fmt: skip
    print(f"speaker precision {result.precision():.4f}, recall {result.recall():.4f} (target {TARGET})")
    if result.missed:
        print("missed, by true kind: " + ", ".join(f"{kind} {count}" for kind, count in result.missed.most_common()))
    for line in result.wrong[:show]:
        print(f"  {line}")
    print(f"people rows of kind person that are no generated person: {len(strangers)}")
    for name in strangers[:show]:
        print(f"  {name}")
    print(f"press offices in people (organisations, not people): {len(offices)}")
    for name in offices[:show]:
        print(f"  {name}")
    return result.precision() >= TARGET and result.recall() >= TARGET and not strangers and not offices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speaker precision and recall of iwfdb on a synthetic corpus.")
    parser.add_argument("corpus", type=Path, help="a corpus written by bench/corpus.py (with truth.jsonl)")
    parser.add_argument("--db", help="the archive to load into: a file or a postgresql:// URL (default: a temporary file)")
    parser.add_argument("--n", type=int, help="write a corpus of N files first (reused when already there)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--show", type=int, default=20, help="how many wrong quotes and people rows to list")
    args = parser.parse_args(argv)
    if args.n:
        corpus.write_corpus(args.corpus, args.n, args.seed)
    truth = read_truth(args.corpus)
    with tempfile.TemporaryDirectory() as scratch:
        database = locate(args.db or str(Path(scratch) / "speakers.sqlite"))
        started = time.perf_counter()
        load_paths(database, [args.corpus])
        seconds = time.perf_counter() - started
        result = score(truth, stored_quotes(database, args.corpus))
        strangers, offices = unexpected_people(database, truth)
    return 0 if report(result, strangers, offices, seconds, args.show) else 1


if __name__ == "__main__":
    sys.exit(main())

"""How much of each fixture family the parser gets right: title, date, byline, speakers and contacts.

    python bench/families.py [FIXTURES_DIR] [--prefix P ...]

Reads every golden pair of tests/fixtures/valid/ (or FIXTURES_DIR): the text and the record it must give.
A family is the fixtures whose names share their first word (`speakers_...`, `contacts_...`, `titles_...`).
Per family, it prints the share of checks right: the title, the date and the byline of each fixture, each
quote's speaker and kind (in order), and each fixture's contacts (name, role and phones). The golden tests
demand every check of the parser the fixtures were written for; run this script with an older parser on the
path (`PYTHONPATH=/path/to/old/src`) to see how much of each family it got right.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes

VALID = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "valid"


def checks(text_file: Path) -> list[tuple[str, bool]]:
    """(what, right) for each check of one fixture against its expected record."""
    expected = json.loads(text_file.with_suffix(".json").read_text(encoding="utf-8"))
    publisher = expected.get("publisher") if expected.get("publisher") not in (None, "IWF") else None
    try:
        record = parse_bytes(text_file.read_bytes(), text_file.name, publisher=publisher).statement
    except ParseError:
        record = None
    found = []
    for field in ("title", "published", "byline"):
        value = getattr(record, field) if record else None
        found.append((field, (None if value is None else str(value)) == expected[field]))
    quotes = [(quote.speaker, quote.speaker_kind) for quote in record.quotes] if record else []
    for index, quote in enumerate(expected["quotes"]):
        found.append(("speaker", index < len(quotes) and quotes[index] == (quote["speaker"], quote["speaker_kind"])))
    contacts = [(c.name, c.role, [p.e164 for p in c.phones]) for c in record.contacts] if record else []
    wanted = [(c["name"], c["role"], [p["e164"] for p in c["phones"]]) for c in expected["contacts"]]
    found.append(("contacts", contacts == wanted))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", type=Path, nargs="?", default=VALID)
    parser.add_argument("--prefix", action="append", help="only the families whose name starts so (repeatable)")
    arguments = parser.parse_args()
    right: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for text_file in sorted(arguments.fixtures.glob("*.txt")):
        family = text_file.stem.split("_")[0]
        if arguments.prefix and not family.startswith(tuple(arguments.prefix)):
            continue
        for what, ok in checks(text_file):
            total[family, what] += 1
            right[family, what] += ok
    for family in sorted({family for family, _ in total}):
        parts = [f"{what} {right[family, what]}/{total[family, what]}" for what in
                 ("title", "published", "byline", "speaker", "contacts") if total[family, what]]  # fmt: skip
        share = sum(right[family, what] for what in ("title", "published", "byline", "speaker", "contacts"))
        count = sum(total[family, what] for what in ("title", "published", "byline", "speaker", "contacts"))
        print(f"{family:12} {share / count:5.2f}  ({', '.join(parts)})")


if __name__ == "__main__":
    main()

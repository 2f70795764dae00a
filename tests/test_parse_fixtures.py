"""Golden tests: each statement in tests/fixtures/valid/ parses to the JSON beside it.

Every variation of the statement format has a fixture of its own. After a deliberate change of the
parser's behaviour, rewrite the expected files with `IWFDB_UPDATE_GOLDEN=1 pytest tests/test_parse_fixtures.py`
and review the diff: it is the change of behaviour, line by line.

A page of another organisation is parsed with that organisation as the publisher hint: the one its
expected record names (`"publisher": "NCMEC"`), as `iwfdb load` would be told.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from iwfdb.parse import parse_bytes
from iwfdb.records import parsed_file_to_dict

VALID = Path(__file__).parent / "fixtures" / "valid"
FIXTURES = sorted(VALID.glob("*.txt"))


def parse_fixture(path: Path, publisher: str | None = None) -> dict:
    record = parsed_file_to_dict(parse_bytes(path.read_bytes(), path.name, publisher=publisher))
    del record["sha256"]
    return record


def publisher_hint(expected: dict) -> str | None:
    """The organisation a page of another organisation is read for; None for the IWF's own pages."""
    return expected["publisher"] if expected.get("publisher") not in (None, "IWF") else None


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_parses_to_its_expected_record(fixture: Path) -> None:
    expected_file = fixture.with_suffix(".json")
    expected = json.loads(expected_file.read_text(encoding="utf-8")) if expected_file.exists() else {}
    actual = parse_fixture(fixture, publisher_hint(expected))
    if os.environ.get("IWFDB_UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == expected


def test_every_fixture_has_an_expected_record() -> None:
    assert len(FIXTURES) >= 25
    assert sorted(VALID.glob("*.json")) == [path.with_suffix(".json") for path in FIXTURES]

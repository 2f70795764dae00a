"""Golden tests: each statement in tests/fixtures/valid/ parses to the JSON beside it.

Every variation of the statement format has a fixture of its own. After a deliberate change of the
parser's behaviour, rewrite the expected files with `IWFDB_UPDATE_GOLDEN=1 pytest tests/test_parse_fixtures.py`
and review the diff: it is the change of behaviour, line by line.
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


def parse_fixture(path: Path) -> dict:
    record = parsed_file_to_dict(parse_bytes(path.read_bytes(), path.name))
    del record["sha256"]
    return record


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_parses_to_its_expected_record(fixture: Path) -> None:
    expected_file = fixture.with_suffix(".json")
    actual = parse_fixture(fixture)
    if os.environ.get("IWFDB_UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))


def test_every_fixture_has_an_expected_record() -> None:
    assert len(FIXTURES) >= 25
    assert sorted(VALID.glob("*.json")) == [path.with_suffix(".json") for path in FIXTURES]

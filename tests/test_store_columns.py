"""One column list per table (iwfdb.store.rows.COLUMNS): held to the schema, and every row a load writes has
exactly its table's columns, so that a column added to the schema cannot be forgotten on some rows (a card's
statement, a failed file's source) and written on others."""

from __future__ import annotations

from pathlib import Path

import pytest

from iwfdb.db import Purpose, open_archive
from iwfdb.models import Base
from iwfdb.parse import parse_bytes
from iwfdb.record_keys import statement_keys
from iwfdb.store.batch import INSERT_ORDER
from iwfdb.store.load import load_paths
from iwfdb.store.rows import COLUMNS, STATEMENT_VALUES, card_values, statement_values

FIXTURES = Path(__file__).parent / "fixtures"
# Ids the engine gives itself: no row names them, nothing points to them.
ENGINE_IDS = {"contact_phones": {"id"}, "links": {"id"}, "sections": {"id"}, "parse_warnings": {"id"}}


def test_the_column_lists_are_the_schema_s_columns_but_the_ids_the_engine_gives():
    assert set(COLUMNS) == set(INSERT_ORDER)
    for table, columns in COLUMNS.items():
        assert len(set(columns)) == len(columns), table
        schema = {column.name for column in Base.metadata.tables[table].columns}
        assert set(columns) == schema - ENGINE_IDS.get(table, set()), table


def test_a_full_statement_and_a_card_s_statement_have_the_same_columns():
    path = FIXTURES / "archive_read" / "2023_annual_report.txt"
    parsed = parse_bytes(path.read_bytes(), str(path))
    assert parsed.statement.related, "the fixture must hold a card"
    full = statement_values(parsed, statement_keys(parsed.statement, path.name), 1, "now")
    card = card_values(parsed.statement.related[0], 1, "now")
    assert list(full) == list(STATEMENT_VALUES)
    assert set(card) == set(STATEMENT_VALUES)
    assert (full["card_only"], card["card_only"]) == (False, True)


def mismatches(table: str, columns, rows: list[dict]) -> list[str]:
    """What rows lack or add beside the columns they are written with."""
    wanted = set(columns)
    return [f"{table}: lacks {sorted(wanted - set(row))}, adds {sorted(set(row) - wanted)}"
            for row in rows if set(row) != wanted]


def test_the_check_names_a_row_that_lacks_or_adds_a_column():
    columns = COLUMNS["sections"]
    row = dict.fromkeys(columns)
    assert mismatches("sections", columns, [row]) == []
    assert mismatches("sections", columns, [{**row, "new": 1}]) == ["sections: lacks [], adds ['new']"]
    del row["line"]
    assert mismatches("sections", columns, [row]) == ["sections: lacks ['line'], adds []"]


@pytest.fixture
def written(db, monkeypatch):
    """Every row the load writes, by table, after checking it has exactly the columns it is written with."""
    with open_archive(db, Purpose.INSPECT) as archive:
        side = archive.side
    real, found, wrong = side.insert_rows, {}, []

    def insert_rows(cursor, table, columns, rows):
        assert tuple(columns) == COLUMNS[table]
        wrong.extend(mismatches(table, columns, rows))
        found.setdefault(table, []).extend(rows)
        return real(cursor, table, columns, rows)

    monkeypatch.setattr(side, "insert_rows", insert_rows)
    yield found
    assert wrong == []


def test_every_row_a_load_writes_has_exactly_its_table_s_columns(db, written, tmp_path):
    """Statements full and from cards, quotes said together, contacts with phones, failed and duplicate files."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in [*(FIXTURES / "archive_read").glob("*.txt"), *(FIXTURES / "speakers").glob("*")][:40]:
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "copy.txt").write_bytes((FIXTURES / "archive_read" / "2019_hash_list.txt").read_bytes())
    (folder / "broken.txt").write_text("not a statement at all")
    report = load_paths(db, [folder], workers=0)
    assert report.files["duplicate"] == 1 and report.failures
    assert set(written) == set(COLUMNS), f"tables no fixture wrote: {set(COLUMNS) - set(written)}"


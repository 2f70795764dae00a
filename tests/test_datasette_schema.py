"""schema.toml, the one source of the schema's descriptions: complete against the migrated schema, and the
source of docs/schema.md's schema block (`IWFDB_UPDATE_GOLDEN=1 pytest tests/test_datasette_schema.py` rewrites it)."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from iwfdb.datasette.metadata import hidden_tables, load_browse_config
from iwfdb.datasette.schema import Described, Descriptions, as_html, for_readers, load_descriptions
from iwfdb.db import locate, upgrade_archive

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
SOURCE = "src/iwfdb/datasette/schema.toml"
BEGIN = (f"<!-- schema-descriptions: generated from {SOURCE}; "
         "IWFDB_UPDATE_GOLDEN=1 pytest tests/test_datasette_schema.py rewrites it -->")  # fmt: skip
END = "<!-- /schema-descriptions -->"


def markdown_cell(text: str) -> str:
    return text.replace("|", "\\|")


def overview_table(tables: list[Described], heading: str) -> list[str]:
    if heading == "view":
        lines = ["| view | one row per |", "|---|---|"]
        return lines + [f"| `{t.name}` | {markdown_cell(t.row)} |" for t in tables]
    lines = ["| table | one row per | natural key (UNIQUE) |", "|---|---|---|"]
    return lines + [f"| `{t.name}` | {markdown_cell(t.row)} | {markdown_cell(t.key or '—')} |" for t in tables]


def column_details(described: Described) -> list[str]:
    kind = "view" if described.is_view else "table"
    lines = [f"<details><summary>The columns of the {kind} <code>{described.name}</code></summary>", "",
             "| column | what it holds |", "|---|---|"]  # fmt: skip
    lines += [f"| `{column}` | {markdown_cell(text)} |" for column, text in described.columns.items()]
    return [*lines, "", "</details>", ""]


def readme_block(descriptions: Descriptions) -> str:
    """docs/schema.md shows between its markers: two overview tables, then every column, folded."""
    tables = [t for t in descriptions.tables if not t.is_view]
    views = [t for t in descriptions.tables if t.is_view]
    lines = [BEGIN, *overview_table(tables, "table"), "", *overview_table(views, "view"), ""]
    for described in descriptions.tables:
        lines += column_details(described)
    return "\n".join([*lines[:-1], END])


def migrated_schema(tmp_path: Path) -> dict[str, tuple[str, list[str]]]:
    """{name: (table or view, columns in order)} of a new archive at the newest revision."""
    database = tmp_path / "a.sqlite"
    upgrade_archive(locate(str(database)))
    with sqlite3.connect(database) as connection:
        objects = connection.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                                     "AND name NOT LIKE 'sqlite_%'").fetchall()  # fmt: skip
        return {name: (kind, [row[1] for row in connection.execute(f"PRAGMA table_info('{name}')")])
                for name, kind in objects}  # fmt: skip


def test_the_schema_doc_block_is_generated_from_schema_toml():
    text = SCHEMA_DOC.read_text()
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"docs/schema.md needs one block between {BEGIN} and {END}"
    before, rest = text.split(BEGIN)
    current, after = rest.split(END)
    expected = readme_block(load_descriptions())
    if os.environ.get("IWFDB_UPDATE_GOLDEN"):
        SCHEMA_DOC.write_text(before + expected + after)
        return
    assert BEGIN + current + END == expected, (
        f"docs/schema.md's schema block differs from {SOURCE}: run IWFDB_UPDATE_GOLDEN=1 pytest {__file__}")


def test_every_table_view_and_column_of_the_schema_is_described_in_order(tmp_path):
    schema = migrated_schema(tmp_path)
    descriptions = {described.name: described for described in load_descriptions().tables}
    hidden = set(hidden_tables(load_browse_config()))
    missing_tables = set(schema) - set(descriptions) - hidden
    assert not missing_tables, f"describe these tables or views in {SOURCE} (or hide them in browse.toml)"
    assert not set(descriptions) - set(schema), f"{SOURCE} describes tables the schema does not have"
    assert hidden <= set(schema), "browse.toml hides tables the schema does not have"
    for name, described in descriptions.items():
        kind, columns = schema[name]
        assert described.is_view == (kind == "view"), f"{name} is a {kind}: put it under [{kind}s.{name}]"
        missing = [column for column in columns if column not in described.columns]
        assert not missing, f"add a description of {name}.{missing} under [{kind}s.{name}.columns] in {SOURCE}"
        assert list(described.columns) == columns, f"{SOURCE}: {name}'s columns, as the schema orders them"


def test_the_datasette_configuration_names_only_columns_that_exist(tmp_path):
    schema = migrated_schema(tmp_path)
    for name, options in load_browse_config()["tables"].items():
        columns = schema[name][1]
        named = [options.get(key) for key in ("label_column", "sort", "sort_desc", "fts_pk")]
        facets = options.get("facets", [])
        named += [facet if isinstance(facet, str) else next(iter(facet.values())) for facet in facets]
        assert set(filter(None, named)) <= set(columns), name
        if "fts_table" in options:
            assert options["fts_table"] in schema, name


def test_every_description_is_a_sentence_without_stray_marks():
    for described in load_descriptions().tables:
        for text in [described.row, described.key or "", *described.columns.values()]:
            assert text.count("`") % 2 == 0, f"{described.name}: unbalanced ` in {text!r}"
            assert text == text.strip() and "  " not in text, f"{described.name}: spacing in {text!r}"
        assert all(described.columns.values()), f"{described.name}: an empty description"


@pytest.mark.parametrize("text, html", [
    ("`card_only = 1`: known", "<code>card_only = 1</code>: known"),
    ("a <b> & `x|y`", "a &lt;b&gt; &amp; <code>x|y</code>"),
])  # fmt: skip
def test_code_marks_become_html_code(text, html):
    assert as_html(text) == html


@pytest.mark.parametrize("text, for_reader", [
    ("the statement's number; `rowid` of `statements_fts`", "the statement's number"),
    ("the natural key: casefolded name", "casefolded name"),
    ("the title as printed; NULL when the text shows none", "the title as printed; empty when the text shows none"),
    ("1 when known only from a card", "yes when known only from a card"),
    ("NULLIFY stays; `row` stays", "NULLIFY stays; `row` stays"),
])  # fmt: skip
def test_the_web_page_describes_columns_without_the_schemas_jargon(text, for_reader):
    assert for_readers(text) == for_reader


def test_no_column_is_described_to_readers_in_the_schemas_jargon():
    for described in load_descriptions().tables:
        for column, text in described.columns.items():
            jargon = re.search(r"rowid|natural key|\bNULL\b|^1 when", for_readers(text), re.IGNORECASE)
            assert not jargon, (described.name, column)

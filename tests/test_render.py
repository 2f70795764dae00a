"""The output convention: every format parses back to the rows it was given."""

from __future__ import annotations

import csv
import io
import json

import pytest

from iwfdb.render import (
    MARK_END,
    MARK_START,
    Format,
    bar_lines,
    cell_text,
    choose_format,
    highlighted,
    write_data,
    write_object,
    write_table,
)

ROWS = [
    {"id": 1, "title": 'Comma, "quote" and\nnewline', "card_only": False, "quotes": 2, "phones": ["+441223203030"]},
    {"id": 2, "title": "£ – “curly” \t tab", "card_only": True, "quotes": None, "phones": []},
]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def render(fmt, rows=ROWS):
    out = io.StringIO()
    write_data(rows, fmt, out)
    return out.getvalue()


def test_json_is_one_array_of_objects_with_the_keys_in_order():
    text = render(Format.json)
    assert json.loads(text) == ROWS
    assert list(json.loads(text)[0]) == ["id", "title", "card_only", "quotes", "phones"]
    assert "“curly”" in text  # UTF-8, not \\u escapes


def test_jsonl_is_one_object_per_line():
    lines = render(Format.jsonl).splitlines()
    assert [json.loads(line) for line in lines] == ROWS


@pytest.mark.parametrize("fmt, delimiter", [(Format.csv, ","), (Format.tsv, "\t")])
def test_csv_and_tsv_round_trip(fmt, delimiter):
    back = list(csv.DictReader(io.StringIO(render(fmt)), delimiter=delimiter))
    assert [row["title"] for row in back] == [row["title"] for row in ROWS]
    assert back[0] == {"id": "1", "title": ROWS[0]["title"], "card_only": "false", "quotes": "2",
                       "phones": '["+441223203030"]'}
    assert (back[1]["card_only"], back[1]["quotes"], json.loads(back[1]["phones"])) == ("true", "", [])


def test_cell_text():
    assert [cell_text(v) for v in (None, "x", 3, 2.5, True, ["a"], {"k": 1})] == [
        "", "x", "3", "2.5", "true", '["a"]', '{"k": 1}']
    assert json.loads(cell_text(b"\x00\x01")) == {"$base64": True, "encoded": "AAE="}


def test_blobs_in_json_use_the_sqlite_utils_shape():
    assert json.loads(render(Format.json, [{"b": b"hi"}])) == [{"b": {"$base64": True, "encoded": "aGk="}}]


def test_one_record_is_one_object():
    out = io.StringIO()
    write_object({"id": 1, "quotes": [{"text": "x"}]}, Format.json, out)
    assert json.loads(out.getvalue()) == {"id": 1, "quotes": [{"text": "x"}]}


def test_default_format_is_table_at_a_terminal_and_json_elsewhere():
    assert choose_format(None, Terminal()) is Format.table
    assert choose_format(None, io.StringIO()) is Format.json
    assert choose_format(Format.csv, Terminal()) is Format.csv


def test_table_shows_every_cell_and_no_markup(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = io.StringIO()
    write_table(["id", "title"], [(1, "[bold]not markup[/bold]"), (2, None)], out)
    text = out.getvalue()
    assert "[bold]not markup[/bold]" in text and "id" in text and "\x1b[" not in text


def test_no_color_at_a_terminal(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    write_table(["match", "snippet"], [("statement", highlighted(f"a {MARK_START}hash{MARK_END} list"))], out)
    text = out.getvalue()
    assert "hash" in text
    assert not any(f"\x1b[{code}" in text for code in ("31", "32", "33", "34", "35", "36", "38;"))


def test_highlighted_snippet_marks_matches_bold():
    text = highlighted(f"the {MARK_START}hash{MARK_END} list and {MARK_START}more{MARK_END}")
    assert text.plain == "the hash list and more"
    assert [text.plain[span.start:span.end] for span in text.spans if span.style == "bold"] == ["hash", "more"]


def test_bar_lines_scale_to_the_largest():
    lines = bar_lines([("2017", 1), ("2024", 4)], width=8).splitlines()
    assert lines == ["2017  1  ██", "2024  4  ████████"]
    assert bar_lines([]) == ""

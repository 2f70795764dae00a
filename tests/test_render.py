"""The output convention: every format parses back to the rows it was given."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
from datetime import date

import pytest

from iwfdb.render import Format, cell_text, choose_format, plain_data, visible, write_data, write_object

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


# Every format round-trips, whatever the text holds

HOSTILE = "clear\x1b[2J title\x1b]0;owned\x07 csi\u009b31m bidi\u202eevil del\x7f ls\u2028end cr\rlf\nnul\x00"


@pytest.mark.parametrize("fmt, delimiter", [(Format.csv, ","), (Format.tsv, "\t")])
def test_a_carriage_return_is_quoted_so_that_the_row_stays_one(fmt, delimiter):
    rows = [{"id": 1, "text": "x\ry"}, {"id": 2, "text": "plain"}, {"id": 3, "text": HOSTILE}]
    text = render(fmt, rows)
    back = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert [row["text"] for row in back] == ["x\ry", "plain", HOSTILE]
    assert "\n2" + delimiter + "plain\n" in text  # rows without one are written as before


def test_json_is_strict_and_writes_an_infinity_as_a_string():
    rows = [{"big": float("inf"), "small": float("-inf"), "nested": [{"x": float("nan")}], "n": 1.5}]
    for fmt in (Format.json, Format.jsonl):
        text = render(fmt, rows)
        parsed = json.loads(text if fmt is Format.json else f"[{text}]", parse_constant=pytest.fail)
        assert parsed == [{"big": "Infinity", "small": "-Infinity", "nested": [{"x": "NaN"}], "n": 1.5}]
    assert cell_text(float("inf")) == "Infinity" and float(cell_text(float("-inf"))) == float("-inf")


@pytest.mark.parametrize("fmt", [Format.json, Format.jsonl])
def test_json_keeps_the_data_exact_and_escapes_what_a_terminal_would_obey(fmt):
    rows = [{"title": HOSTILE, "path": "caf\udce9.txt"}]
    text = render(fmt, rows)
    assert json.loads(text if fmt is Format.json else f"[{text}]") == rows
    assert not any(0x7F <= ord(c) <= 0x9F or c in "\u202e\u2028\x1b\x07\r" or 0xD800 <= ord(c) <= 0xDFFF
                   for c in text)
    assert "\\u009b" in text and "\\u202e" in text and "\\udce9" in text


# Rows are mappings or records, a list or a stream


@dataclasses.dataclass(frozen=True)
class Phone:
    raw: str
    e164: str | None


@dataclasses.dataclass(frozen=True)
class Contact:
    id: int
    name: str
    seen: date
    phones: tuple[Phone, ...]


RECORD = Contact(7, "Emma Hardy", date(2017, 3, 7), (Phone("01223 203030", "+441223203030"),))
AS_DICT = {"id": 7, "name": "Emma Hardy", "seen": "2017-03-07", "phones": [{"raw": "01223 203030", "e164": "+441223203030"}]}


@pytest.mark.parametrize("fmt", [Format.json, Format.jsonl, Format.csv, Format.tsv])
def test_records_are_written_as_the_mappings_they_stand_for(fmt):
    assert render(fmt, [RECORD]) == render(fmt, [AS_DICT])
    out = io.StringIO()
    write_object(RECORD, fmt, out)
    expected = io.StringIO()
    write_object(AS_DICT, fmt, expected)
    assert out.getvalue() == expected.getvalue()


def test_an_empty_result_is_an_empty_array_a_header_row_or_nothing():
    def empty(fmt, columns=None):
        out = io.StringIO()
        assert write_data(iter(()), fmt, out, columns) == 0
        return out.getvalue()

    assert empty(Format.json) == "[]\n" and empty(Format.jsonl) == ""
    assert empty(Format.csv, ["id", "name"]) == "id,name\n"
    assert empty(Format.tsv, Contact) == "id\tname\tseen\tphones\n"


class Closed(io.StringIO):
    """A reader that goes away after a few writes, as `head` does."""

    def __init__(self, writes: int):
        super().__init__()
        self.writes = writes

    def write(self, text):
        self.writes -= 1
        if self.writes < 0:
            raise BrokenPipeError
        return super().write(text)


@pytest.mark.parametrize("fmt", [Format.json, Format.jsonl, Format.csv, Format.tsv])
def test_rows_are_written_as_they_come(fmt):
    produced = []

    def endless():
        for number in itertools.count():
            produced.append(number)
            yield {"n": number}

    with pytest.raises(BrokenPipeError):
        write_data(endless(), fmt, Closed(writes=5), columns=["n"])
    assert len(produced) <= 6


def test_visible_writes_out_what_a_terminal_would_obey():
    assert visible(HOSTILE) == ("clear\\x1b[2J title\\x1b]0;owned\\x07 csi\\x9b31m bidi\\u202eevil del\\x7f"
                                " ls\\u2028end cr\\rlf\\nnul\\x00")
    assert visible("a\tb\nc\r", keep_layout=True) == "a\tb\nc\\r"
    assert visible("caf\udce9") == "caf\\xe9"  # a file name's byte that is not UTF-8
    assert visible("Hargreaves “quoted” – £ 日本") == "Hargreaves “quoted” – £ 日本"


def test_plain_data_turns_records_into_dicts_all_the_way_down():
    assert plain_data([RECORD, {"nested": RECORD}]) == [
        {"id": 7, "name": "Emma Hardy", "seen": date(2017, 3, 7), "phones": [{"raw": "01223 203030",
                                                                           "e164": "+441223203030"}]},
        {"nested": {"id": 7, "name": "Emma Hardy", "seen": date(2017, 3, 7),
                    "phones": [{"raw": "01223 203030", "e164": "+441223203030"}]}}]

"""The one output convention of every read command: `--format table|json|jsonl|csv|tsv`.

- `table` is for people (see iwfdb.terminal). It is the default when stdout is a terminal.
- `json` is one JSON array of objects, one object per line; `jsonl` one object per line; `csv` and `tsv`
  a header row, then one row per object. Rows are written as they come, so that a result of millions of
  rows takes no more memory than one row and `| head -1` answers at once.
- Every format round-trips. In CSV and TSV a missing value is an empty cell, true/false are `true`/`false`,
  a list or an object is written as its JSON text, and a cell holding a line break (a carriage return
  included) is quoted. JSON is strict: a number JSON cannot write (an infinity from `iwfdb sql`) is the
  string `"Infinity"`, `"-Infinity"` or `"NaN"`, as JavaScript and Python's float() read them.
- Data is kept exact, and what could drive a terminal is escaped as each format allows: JSON writes
  control characters (C1 ones included), Unicode's line separators and bidirectional controls as `\\uXXXX`.
  CSV and TSV have no escapes: their cells are the data itself. Text for people goes through visible().

Rows may be mappings or records (dataclass instances): as_row() turns either into a mapping, in one place
(plain_data() does it all the way down, for the record views).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, time
from enum import Enum
from itertools import chain
from pathlib import PurePath
from typing import IO, Any

# Private-use marks around the matched words of a snippet, turned into bold text by terminal.highlighted().
MARK_START, MARK_END = "\ue000", "\ue001"

# Characters that a terminal obeys or that change how the text around them is shown: C0 and C1 controls,
# DEL, Unicode's line and paragraph separators, bidirectional embeddings, overrides and isolates, and lone
# surrogates (bytes of a file name that are not UTF-8, as Python decodes them).
# json.dumps escapes U+0000-U+001F itself, and leaves the others raw.
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_OBEYED_IN_A_LINE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_OBEYED_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")  # tab and line feed are layout
_RAW_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


def choose_format(requested: Format | None, stream: IO[str]) -> Format:
    """The format asked for, else `table` at a terminal and `json` for a pipe or a file."""
    if requested is not None:
        return requested
    isatty = getattr(stream, "isatty", None)
    return Format.table if isatty and isatty() else Format.json


def visible(text: str, *, keep_layout: bool = False) -> str:
    """`text` with every character a terminal would obey written out (`\\x1b`, `\\r`, `\\u202e`).

    With `keep_layout`, tabs and line feeds stay (the paragraphs of a statement, the lines of a table
    cell); without, the text is one line whatever it holds (a message, a file name).
    """
    pattern = _OBEYED_BUT_LAYOUT if keep_layout else _OBEYED_IN_A_LINE
    return pattern.sub(_written_out, text)


def _written_out(match: re.Match) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode() keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def number(count: int) -> str:
    """A count for people, as every message writes it: with thousands separators (12,345)."""
    return f"{count:,}"


def counted(count: int, noun: str) -> str:
    """`1 file`, `12,345 files`: a count and its noun, plural unless the count is one."""
    return f"{number(count)} {noun}" if count == 1 else f"{number(count)} {noun}s"


def as_row(row: Any) -> Mapping[str, Any]:
    """A row as a mapping of column to value: a mapping as it is, a record by its fields in order."""
    if isinstance(row, Mapping):
        return row
    if _is_record(row):
        return {field.name: getattr(row, field.name) for field in dataclasses.fields(row)}
    raise TypeError(f"a row must be a mapping or a dataclass instance, not {type(row).__name__}")


def column_names(columns: Sequence[str] | type | None, first: Mapping[str, Any] | None) -> list[str]:
    """The columns of a result: given (names, or a record class), else the keys of its first row."""
    if isinstance(columns, type) and dataclasses.is_dataclass(columns):
        return [field.name for field in dataclasses.fields(columns)]
    if columns is not None and not isinstance(columns, type):
        return list(columns)
    return list(first) if first is not None else []


def write_data(rows: Iterable[Any], fmt: Format, out: IO[str], columns: Sequence[str] | type | None = None) -> int:
    """Rows as JSON, JSON lines, CSV or TSV, each written as it comes; returns how many were written.

    An empty result is `[]` in JSON, the header row in CSV and TSV (when `columns` names them), nothing
    in JSON lines. Columns are `columns` if given, else the keys of the first row.
    """
    mappings = map(as_row, rows)
    if fmt is Format.json:
        return _write_json_array(mappings, out)
    if fmt is Format.jsonl:
        count = 0
        for count, row in enumerate(mappings, start=1):
            out.write(json_text(row) + "\n")
        return count
    if fmt in (Format.csv, Format.tsv):
        return _write_delimited(mappings, fmt, out, columns)
    raise ValueError(f"write_data cannot write {fmt.value}; use iwfdb.terminal.write_table")


def write_object(record: Any, fmt: Format, out: IO[str]) -> None:
    """One record (`iwfdb show`): a JSON object, one JSON line, or a one-row CSV/TSV."""
    if fmt is Format.json:
        out.write(json_text(as_row(record), indented=True) + "\n")
    else:
        write_data([record], fmt, out)


def cell_text(value: Any) -> str:
    """A value as the text of a CSV cell or a table cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE[str(value)]
    if isinstance(value, (bool, list, tuple, dict, bytes, set, frozenset)) or _is_record(value):
        return json_text(value)
    if isinstance(value, (date, time, Enum, PurePath)):
        return str(_plain(value))
    return str(value)


def json_text(value: Any, indented: bool = False) -> str:
    """`value` as strict JSON (see the module docstring): what any JSON parser reads back as it was."""
    encoder = _INDENTED if indented else _COMPACT
    try:
        text = encoder.encode(value)
    except ValueError:  # an infinity somewhere: rare enough to walk the value only then
        text = encoder.encode(_finite(value))
    return _RAW_IN_JSON.sub(_json_escape, text)


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _write_json_array(rows: Iterator[Mapping[str, Any]], out: IO[str]) -> int:
    out.write("[")
    count = 0
    for count, row in enumerate(rows, start=1):
        out.write((",\n " if count > 1 else "") + json_text(row))
    out.write("]\n")
    return count


def _write_delimited(rows: Iterator[Mapping[str, Any]], fmt: Format, out: IO[str], columns) -> int:
    first = next(rows, None)
    names = column_names(columns, first)
    if not names:
        return 0
    dialect = "excel-tab" if fmt is Format.tsv else "excel"
    # csv quotes a cell holding a character of its line terminator; "\n" keeps output Unix-like but would
    # leave a lone "\r" bare, and a reader would split the row there: such rows are quoted whole.
    plain = csv.writer(out, dialect=dialect, lineterminator="\n")
    quoted = csv.writer(out, dialect=dialect, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(names)
    count = 0
    for count, row in enumerate(chain([first], rows) if first is not None else (), start=1):
        cells = [cell_text(row.get(name)) for name in names]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)
    return count


_NON_FINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def plain_data(value: Any) -> Any:
    """Records and mappings, however nested, as plain dicts and lists: what the record views read."""
    return _walk(value, lambda leaf: leaf)


def _finite(value: Any) -> Any:
    """`value` with every infinity or NaN, however deep, replaced by its string."""
    return _walk(
        value, lambda leaf: _NON_FINITE[str(leaf)] if isinstance(leaf, float) and not math.isfinite(leaf) else leaf
    )


def _walk(value: Any, leaf) -> Any:
    if isinstance(value, Mapping) or _is_record(value):
        return {key: _walk(item, leaf) for key, item in as_row(value).items()}
    if isinstance(value, (list, tuple)):
        return [_walk(item, leaf) for item in value]
    return leaf(value)


def _is_record(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _plain(value: Any) -> Any:
    """What JSON cannot write by itself: BLOBs (in the shape sqlite-utils uses), records, dates, paths."""
    if isinstance(value, bytes):
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}
    if _is_record(value):
        return dict(as_row(value))
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# Made once: json.dumps() with any option builds a new encoder each call, a third of the time of a row.
_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain)
_INDENTED = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain, indent=2)

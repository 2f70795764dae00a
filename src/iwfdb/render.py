"""The one output convention of every read command: `--format table|json|jsonl|csv|tsv`.

- `table` is for people: a rich table (or, for one record, a titled view). It is the default when stdout
  is a terminal. Colour follows rich's rules and NO_COLOR. rich is imported only when a table is drawn.
- `json` is one JSON array of objects, one object per line; `jsonl` one object per line; `csv` and `tsv`
  a header row, then one row per object. In CSV and TSV a missing value is an empty cell, true/false
  are `true`/`false`, and a list or an object is written as its JSON text, so that every cell round-trips.
  When stdout is not a terminal, the default is `json`, as `sqlite-utils query` does: a script gets data
  it can parse, whatever the command.
"""

from __future__ import annotations

import base64
import csv
import json
import os
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import IO, Any

# Private-use marks around the matched words of a snippet, turned into bold text by highlighted().
MARK_START, MARK_END = "\ue000", "\ue001"
BAR = "█"
BAR_WIDTH = 40


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
    return Format.table if _is_terminal(stream) else Format.json


def write_data(rows: Sequence[dict], fmt: Format, out: IO[str]) -> None:
    """Rows as JSON, JSON lines, CSV or TSV, keys in the order of the first row."""
    if fmt is Format.json:
        out.write("[" + ",\n ".join(_json(row) for row in rows) + "]\n")
    elif fmt is Format.jsonl:
        out.writelines(_json(row) + "\n" for row in rows)
    elif fmt in (Format.csv, Format.tsv):
        columns = list(rows[0]) if rows else []
        writer = csv.writer(out, dialect="excel-tab" if fmt is Format.tsv else "excel", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell_text(row.get(column)) for column in columns] for row in rows)
    else:
        raise ValueError(f"write_data cannot write {fmt.value}; use write_table")


def write_object(record: dict, fmt: Format, out: IO[str]) -> None:
    """One record (`iwfdb show`): a JSON object, one JSON line, or a one-row CSV/TSV."""
    if fmt is Format.json:
        out.write(json.dumps(record, ensure_ascii=False, indent=2, default=_json_default) + "\n")
    else:
        write_data([record], fmt, out)


def cell_text(value: Any) -> str:
    """A value as the text of a CSV cell or a table cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, list, tuple, dict, bytes)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


def write_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str], title: str | None = None) -> None:
    """Rows under headers as a rich table; a cell may be a str or a rich Text (see highlighted())."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", header_style="bold", show_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell_text(cell)) for cell in row))
    _console(out).print(table)


def write_record(title: str, fields: Sequence[tuple[str, Any]], blocks: Sequence[tuple[str, str]], out: IO[str]) -> None:
    """One record for people: a bold title, `label  value` lines, then headed blocks of text."""
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    console.print(Text(title, style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column(overflow="fold")
    for label, value in fields:
        if value not in (None, "", [], ()):
            grid.add_row(label, value if isinstance(value, Text) else Text(cell_text(value)))
    console.print(grid)
    for heading, text in blocks:
        if text:
            console.print()
            console.print(Text(heading, style="bold underline"))
            console.print(text if isinstance(text, Text) else Text(text))


def bar_lines(pairs: Sequence[tuple[str, int]], width: int = BAR_WIDTH) -> str:
    """`label ████ n` lines, bars scaled to the largest n: a bar chart that any terminal shows."""
    if not pairs:
        return ""
    label_width = max(len(label) for label, _ in pairs)
    number_width = max(len(str(n)) for _, n in pairs)
    top = max(n for _, n in pairs) or 1
    return "\n".join(
        f"{label:<{label_width}}  {n:>{number_width}}  {BAR * max(1 if n else 0, round(width * n / top))}"
        for label, n in pairs
    )


def highlighted(snippet: str):
    """A snippet whose matches are between MARK_START and MARK_END, as a rich Text with the matches bold."""
    from rich.text import Text

    text = Text()
    for index, part in enumerate(snippet.replace(MARK_END, MARK_START).split(MARK_START)):
        text.append(part, style="bold" if index % 2 else None)
    return text


def _console(out: IO[str]):
    from rich.console import Console

    return Console(file=out, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, emoji=False)


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _json(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    """BLOBs from `iwfdb sql`, in the shape sqlite-utils uses for them."""
    if isinstance(value, bytes):
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot write {type(value).__name__} as JSON")

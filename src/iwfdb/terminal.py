"""Output for people: tables, one record's view, bar charts, and messages on stderr.

Text from the archive or from a file name may hold anything, escape sequences included: all of it is
shown through render.visible(), so that the terminal shows such characters and never obeys them.

Lines wrap at spaces and a word is never split: an id, a date, a slug, a phone number or an e-mail address
is printed whole, so that it can be copied (a slug into `iwfdb show`). A table gives its columns of single
words their full width and shares what is left among its columns of text, each at least as wide as its
longest word. When that cannot fit, each row is printed as `label  value` lines instead, as psql's expanded
display does, and a word wider than the screen is left for the terminal to wrap rather than cut. Bold and
dim are for a terminal: with NO_COLOR, or written elsewhere, output holds no escape sequence at all. rich is
imported only when something is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

from iwfdb.render import MARK_END, MARK_START, cell_text, number, visible

if TYPE_CHECKING:
    from rich.console import OverflowMethod  # rich is imported when a table is drawn, not before

BAR = "█"
BAR_WIDTH = 40
# A table is for reading: past this many rows it stops, and says how to get them all (see write_table).
TABLE_ROWS = 1_000
# The narrowest a column of text gets: below this a table is harder to read than one row's lines.
TEXT_FLOOR = 16
# rich's SIMPLE_HEAD table without edges: one space of padding either side of a column, one between.
COLUMN_GAP = 3


def tell(*lines: str) -> None:
    """Lines for a person on stderr (errors, notes, summaries), each one line, control characters shown."""
    sys.stderr.write("".join(visible(line) + "\n" for line in lines))
    sys.stderr.flush()


@dataclass(slots=True)
class _Column:
    header: str
    cells: list  # rich Text, one a row
    whole: bool  # every value is a single word: never wrapped, never shortened
    least: int  # the narrowest it can be
    most: int  # the width its widest line wants


def write_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str]) -> bool:
    """Rows under headers, for people; a cell is a value or a rich Text (see highlighted()).

    Returns True when there were more than TABLE_ROWS rows: the first TABLE_ROWS are shown.
    """
    taken = list(islice(rows, TABLE_ROWS + 1))
    cut = len(taken) > TABLE_ROWS
    taken = taken[:TABLE_ROWS]
    columns = [_measure(header, [_cell(row[index]) for row in taken]) for index, header in enumerate(headers)]
    console = _console(out)
    widths = _widths(columns, console.width - COLUMN_GAP * len(columns) + 1)
    if widths is None:
        _write_expanded(console, columns, len(taken))
    else:
        _write_columns(console, columns, widths, len(taken))
    return cut


def write_record(
    title: str, fields: Sequence[tuple[str, Any]], blocks: Sequence[tuple[str, Any]], out: IO[str]
) -> None:
    """One record for people: a bold title, `label  value` lines, then headed blocks of text."""
    console = _console(out)
    console.print(_prose(title, style="bold", overflow="ignore"), crop=False)
    _write_fields(console, [(label, _cell(value)) for label, value in fields if value not in (None, "", [], ())])
    for heading, text in blocks:
        if text:
            console.print()
            console.print(_prose(heading, style="bold underline", overflow="ignore"), crop=False)
            console.print(text if _is_text(text) else _prose(text, overflow="ignore"), crop=False)


def bar_lines(pairs: Sequence[tuple[str, int]], width: int = BAR_WIDTH) -> str:
    """`label ████ n` lines, bars scaled to the largest n: a bar chart that any terminal shows."""
    if not pairs:
        return ""
    from rich.cells import cell_len

    shown = [(visible(label), n) for label, n in pairs]
    label_width = max(cell_len(label) for label, _ in shown)
    number_width = max(len(number(n)) for _, n in shown)
    top = max(n for _, n in shown) or 1
    return "\n".join(
        f"{label}{' ' * (label_width - cell_len(label))}  {number(n):>{number_width}}  "
        f"{BAR * max(1 if n else 0, round(width * n / top))}"
        for label, n in shown
    )


def highlighted(snippet: str):
    """A snippet whose matches are between MARK_START and MARK_END, as a rich Text with the matches bold."""
    from rich.text import Text

    text = Text()
    for index, part in enumerate(snippet.replace(MARK_END, MARK_START).split(MARK_START)):
        text.append(visible(part, keep_layout=True), style="bold" if index % 2 else None)
    return text


def _measure(header: str, cells: list) -> _Column:
    from rich.cells import cell_len

    header = visible(header)
    lines = [line for cell in cells for line in cell.plain.split("\n")]
    whole = all(" " not in line for line in lines)
    header_word = max(cell_len(word) for word in header.split(" "))
    widest = max((cell_len(line) for line in lines), default=0)
    longest_word = max((cell_len(word) for line in lines for word in line.split(" ")), default=0)
    most = max(widest, cell_len(header))
    least = most if whole else max(header_word, longest_word, min(most, TEXT_FLOOR))
    return _Column(header, cells, whole, least, most)


def _widths(columns: list[_Column], room: int) -> list[int] | None:
    """Each column's width within `room`: words whole, the rest shared fairly; None when it cannot fit."""
    widths = [column.least for column in columns]
    spare = room - sum(widths)
    if spare < 0:
        return None
    # The text columns that want least are served first; each takes at most an equal part of what is left.
    growing = sorted((i for i, column in enumerate(columns) if not column.whole), key=lambda i: columns[i].most)
    for served, index in enumerate(growing):
        grant = min(columns[index].most - widths[index], spare // (len(growing) - served))
        widths[index] += grant
        spare -= grant
    return widths


def _write_columns(console, columns: list[_Column], widths: list[int], count: int) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
    for column, width in zip(columns, widths, strict=False):
        table.add_column(Text(column.header), width=width, no_wrap=column.whole, overflow="ellipsis")
    for index in range(count):
        table.add_row(*(column.cells[index] for column in columns))
    console.print(table)


def _write_expanded(console, columns: list[_Column], count: int) -> None:
    for index in range(count):
        if index:
            console.print()
        _write_fields(console, [(column.header, column.cells[index]) for column in columns])


def _write_fields(console, fields: list[tuple[str, Any]]) -> None:
    """`label  value` lines, values wrapped at spaces beside their labels (a word too long is kept whole)."""
    from rich.cells import cell_len
    from rich.text import Text

    if not fields:
        return
    label_width = max(cell_len(visible(label)) for label, _ in fields)
    room = max(console.width - label_width - 2, TEXT_FLOOR)
    for label, value in fields:
        unbroken = value.copy()
        unbroken.overflow = "ignore"  # set on the Text, "ignore" wraps at spaces and folds no word
        lines = unbroken.wrap(console, room) or [Text()]
        for index, line in enumerate(lines):
            shown = visible(label) if index == 0 else ""
            margin = Text(shown + " " * (label_width - cell_len(shown) + 2), style="dim")
            console.print(Text.assemble(margin, line), crop=False, soft_wrap=True)


def _cell(value: Any):
    """A value as the rich Text of a cell: control characters shown, line feeds kept."""
    if _is_text(value):
        return value
    return _prose(cell_text(value))


def _prose(text: str, style: str = "", overflow: OverflowMethod | None = None):
    """Text as rich shows it, control characters written out; `overflow="ignore"` keeps long words whole."""
    from rich.text import Text

    return Text(visible(text, keep_layout=True), style=style, overflow=overflow)


def _is_text(value: Any) -> bool:
    from rich.text import Text

    return isinstance(value, Text)


def styled(out: IO[str]) -> bool:
    """Whether `out` shows bold, dim and colours: a terminal, unless NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def _console(out: IO[str]):
    from rich.console import Console

    # Without styles, no escape sequence at all: rich's own no_color leaves bold and dim.
    console = Console(
        file=out, color_system="auto" if styled(out) else None, highlight=False, emoji=False, markup=False
    )
    # rich would exit 1 by itself: the command line's boundary decides (rich documents replacing the method)
    console.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
    return console


def _closed_pipe() -> None:
    raise BrokenPipeError

"""Output for people: tables that never split a word, record views, bars, and text that cannot drive a terminal."""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter

import pytest

from iwfdb.render import MARK_END, MARK_START
from iwfdb.render import counted, number
from iwfdb.terminal import TABLE_ROWS, bar_lines, highlighted, styled, tell, write_record, write_table


class Terminal(io.StringIO):
    def isatty(self):
        return True


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


HOSTILE = "Title\x1b[2J\x1b]0;owned\x07 \u009b31m \u202eevil\r over"
# What must never reach a terminal raw: the sequences above, and any C0/C1 control but tab and line feed.
RAW = re.compile("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202e]|\x1b[\\[\\]]2J|\x1b\\]0")


def test_text_from_the_archive_is_shown_not_obeyed(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    write_table(["title", "snippet"], [(HOSTILE, highlighted(f"a {MARK_START}{HOSTILE}{MARK_END}"))], out)
    write_table(["a", "b", "c", "d"], [(HOSTILE * 3, "x" * 90, HOSTILE, "y" * 90)], out)  # rows as label lines
    write_record(HOSTILE, [("title", HOSTILE)], [(HOSTILE, HOSTILE), ("chart", bar_lines([(HOSTILE, 3)]))], out)
    text = out.getvalue()
    assert not RAW.search(text), repr(text)
    assert "Title\\x1b[2J\\x1b]0;owned\\x07 \\x9b31m \\u202eevil\\r over" in text


def test_messages_are_one_line_with_control_characters_shown(capsys):
    tell(f"bad{HOSTILE}.txt:1:1: not a statement", "second\nline")
    assert capsys.readouterr().err == (
        "badTitle\\x1b[2J\\x1b]0;owned\\x07 \\x9b31m \\u202eevil\\r over.txt:1:1: not a statement\nsecond\\nline\n")


# Tables never split an id, a date, a slug, a phone number or an e-mail address, at any width

SLUG = "2024-12-16-iwf-welcomes-ofcom-duties-but-warns-more-needed-to-realise-hopes-of"  # 78 characters
ROWS = [
    (1, "2017-03-07", "Susie Hargreaves", "We are never complacent, the reality is that new images and videos "
     "of children being sexually abused appear every day", "press@iwf.org.uk", "+441223203030\n+447929553679",
     "2017-03-07-iwfs-work-with-industry-and-social-networks"),
    (12345, "2024-12-16", "Emma Hardy", "Short.", "media.relations@example.org.uk", "+447929553679", SLUG),
]
HEADERS = ["id", "published", "speaker", "text", "email", "phones", "statement"]
WORDS = [str(cell) for row in ROWS for index, cell in enumerate(row) if index in (0, 1, 4, 6)] + [
    phone for row in ROWS for phone in row[5].split("\n")]


@pytest.mark.parametrize("width", range(60, 201, 7))
def test_a_table_never_splits_a_word_it_must_keep_whole(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = io.StringIO()
    write_table(HEADERS, ROWS, out)
    lines = out.getvalue().splitlines()
    for word, times in Counter(WORDS).items():  # each one whole, as many times as it was given
        assert sum(line.split().count(word) for line in lines) == times, (word, width, out.getvalue())
    for line in lines:  # only a word wider than the screen makes a line longer than the screen
        assert len(line.rstrip()) <= width or any(word in line and len(word) > width - 12 for word in WORDS), line


def test_a_table_that_fits_is_columns_and_one_that_does_not_is_label_lines(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = io.StringIO()
    write_table(HEADERS, ROWS, wide)
    assert wide.getvalue().splitlines()[0].split() == HEADERS
    monkeypatch.setenv("COLUMNS", "80")
    narrow = io.StringIO()
    write_table(HEADERS, ROWS, narrow)
    lines = [line.rstrip() for line in narrow.getvalue().splitlines()]
    assert lines[:3] == ["id         1", "published  2017-03-07", "speaker    Susie Hargreaves"]
    assert f"statement  {SLUG}" in lines  # wider than the screen: whole, for the terminal to wrap
    assert all(len(line) <= 80 for line in lines if SLUG not in line)


def test_a_table_shows_at_most_table_rows_and_says_it_left_some_out():
    taken = []

    def rows(count):
        for number in range(count):
            taken.append(number)
            yield (number, "2017-03-07")

    assert write_table(["id", "published"], rows(TABLE_ROWS * 5), io.StringIO()) is True
    assert len(taken) == TABLE_ROWS + 1  # the stream is read no further than needed
    out = io.StringIO()
    assert write_table(["id", "published"], rows(TABLE_ROWS), out) is False
    assert len(out.getvalue().splitlines()) == TABLE_ROWS + 2  # the header, its rule, the rows


def test_the_record_views_read_records_as_well_as_dicts():
    from iwfdb.cli.read_views import stats_view

    @dataclasses.dataclass(frozen=True)
    class Stat:
        group: str
        name: str
        value: int

    rows = [Stat("counts", "statements", 4), Stat("per_year", "2017", 1), Stat("top_speakers", "Susie", 1)]
    as_records, as_dicts = io.StringIO(), io.StringIO()
    stats_view(rows, as_records)
    stats_view([dataclasses.asdict(row) for row in rows], as_dicts)
    assert as_records.getvalue() == as_dicts.getvalue() and "statements  4" in as_records.getvalue()


@pytest.mark.parametrize("terminal, environment", [
    (True, {"NO_COLOR": "1"}),
    (False, {}),
    (False, {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}),  # rich's own overrides do not bring styles back
])  # fmt: skip
def test_without_styles_no_escape_sequence_at_all_bold_and_dim_included(monkeypatch, terminal, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    out = Terminal() if terminal else io.StringIO()
    assert not styled(out)
    write_table(["match", "snippet"], [("statement", highlighted(f"a {MARK_START}hash{MARK_END} list"))], out)
    write_record("A title", [("id", 1), ("slug", "a-slug")], [("Text", "Body"), ("Chart", bar_lines([("2017", 3)]))],
                 out)  # fmt: skip
    text = out.getvalue()
    assert "hash" in text and "A title" in text and "slug" in text
    assert "\x1b" not in text


def test_a_terminal_still_shows_bold_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Terminal()
    assert styled(out)
    write_record("A title", [("id", 1)], [], out)
    assert "\x1b[1m" in out.getvalue()


def test_counts_for_people_have_thousands_separators_everywhere():
    from iwfdb.cli.read_views import stats_view

    assert (number(1234567), counted(1, "file"), counted(12345, "file")) == ("1,234,567", "1 file", "12,345 files")
    out = io.StringIO()
    stats_view([{"group": "counts", "name": "statements", "value": 12345},
                {"group": "per_year", "name": "2024", "value": 1234}, {"group": "per_year", "name": "2017", "value": 5},
                {"group": "top_speakers", "name": "Susie Hargreaves", "value": 2048}], out)  # fmt: skip
    text = out.getvalue()
    assert "statements  12,345" in text and "2024  1,234" in text and "2017      5" in text
    assert "Susie Hargreaves  2,048" in text and "12345" not in text

"""The parser's smaller promises: line endings and odd whitespace, dates, speakers, text output."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.parse import parse_bytes, parse_text
from iwfdb.parse.dates import DateProblem, match_card_date, parse_date
from iwfdb.parse.speakers import Speaker, read_speaker
from iwfdb.records import to_jsonable

SEED = Path(__file__).parents[1] / "seeds" / "000_ca4268db049531f8.txt"


def plain(data: bytes):
    return to_jsonable(parse_bytes(data, "x.txt").statement)


@pytest.mark.parametrize(
    "variant",
    [
        lambda data: data.replace(b"\n", b"\r\n"),
        lambda data: data.replace(b"\n", b"\r"),
        lambda data: b"\xef\xbb\xbf" + data,
        lambda data: data.replace(b" ", b" \t "),
        lambda data: data.replace(b" ", b"\xc2\xa0"),
        lambda data: data.replace(b"\n", b"   \n") + b"\n\n",
    ],
    ids=["crlf", "cr", "bom", "tabs", "no-break-spaces", "trailing-spaces"],
)
def test_odd_but_valid_text_parses_as_its_plain_counterpart(variant) -> None:
    data = SEED.read_bytes()
    assert plain(variant(data)) == plain(data)


def test_very_long_lines_parse() -> None:
    long_paragraph = "The IWF removes images. " * 5000
    statement = parse_text(f"Statement - Long\n\nPublished: Tue 7 Mar 2017\n\n{long_paragraph}\n\nMore.\n")
    assert statement.body[0].text == long_paragraph.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue 7 Mar 2017", date(2017, 3, 7)),
        ("7 March 2017", date(2017, 3, 7)),
        ("Sun, 7th September, 2008", date(2008, 9, 7)),
        ("Wednesday 1 January 2025", date(2025, 1, 1)),
    ],
)
def test_dates_in_the_ways_statements_print_them(text: str, expected: date) -> None:
    assert parse_date(text) == (expected, None)


def test_a_weekday_that_disagrees_keeps_the_date_with_a_note() -> None:
    value, note = parse_date("Mon 7 Mar 2017")
    assert value == date(2017, 3, 7)
    assert note == "'Mon 7 Mar 2017': 2017-03-07 is a Tuesday, not a Mon; kept the date"


@pytest.mark.parametrize("text", ["Tue 7 Ma", "31 February 2024", "7 Smarch 2017", ""])
def test_what_is_not_a_date_says_why(text: str) -> None:
    with pytest.raises(DateProblem):
        parse_date(text)


def test_card_date_lines() -> None:
    assert match_card_date("16 December 2024 Statement") == (date(2024, 12, 16), "Statement")
    assert match_card_date("16 December 2024") == (date(2024, 12, 16), None)
    assert match_card_date("16 Decem") is None


@pytest.mark.parametrize(
    ("who", "speaker"),
    [
        ("IWF CEO, Susie Hargreaves, OBE", Speaker("Susie Hargreaves", "person", "IWF CEO", "OBE")),
        ("CEO of the IWF Susie Hargreaves", Speaker("Susie Hargreaves", "person", "CEO of the IWF", None)),
        (
            "Chief Executive of the Internet Watch Foundation, Susie Hargreaves",
            Speaker("Susie Hargreaves", "person", "Chief Executive of the Internet Watch Foundation", None),
        ),
        ("Interim CEO at the IWF, Derek Ray-Hill", Speaker("Derek Ray-Hill", "person", "Interim CEO at the IWF")),
        ("Home Secretary Priti Patel", Speaker("Priti Patel", "person", "Home Secretary")),
        ("Ms Susie Hargreaves", Speaker("Susie Hargreaves", "person")),
        ("the European Commission", Speaker("European Commission", "organisation")),
        ("an anonymous child", Speaker(None, "unknown")),
        (
            "Director of Policy and Public Affairs, Michael Tunks",
            Speaker("Michael Tunks", "person", "Director of Policy and Public Affairs"),
        ),
    ],
)
def test_speakers_as_attributions_print_them(who: str, speaker: Speaker) -> None:
    assert read_speaker(who) == speaker


def test_text_format_shows_each_part_with_its_line() -> None:
    result = CliRunner().invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "  title      IWF's work with industry and social networks" in result.stdout
    assert "      15  Susie Hargreaves (IWF CEO, OBE): “We are never complacent" in result.stdout
    assert ("      26  Emma Hardy · Director of External Relations · e-mail hidden by the page · +441223203030 or "
            "+447929553679") in result.stdout  # as `iwfdb show` prints a contact
    assert "      36  2024-12-16 Statement IWF welcomes Ofcom duties" in result.stdout


def test_many_quotes_parse_in_linear_time() -> None:
    """Each pronoun looks back a bounded way: 40,000 quotes (a 2.6 MB text) take seconds, not minutes."""
    quotes = (f"Ms {person(i)} Smith said: “Quote number {i}.”\n\nShe added: “More {i}.”" for i in range(20_000))
    started = time.monotonic()
    statement = parse_text("Statement - Many quotes\n\nPublished: Tue 7 Mar 2017\n\n" + "\n\n".join(quotes))
    assert time.monotonic() - started < 20
    assert len(statement.quotes) == 40_000
    assert statement.quotes[-1].speaker == f"{person(19_999)} Smith"


def person(number: int) -> str:
    """A first name of its own for each number: 'Baaa', 'Caaa'..."""
    letters = "".join("abcdefghijklmnopqrstuvwxyz"[number // 26**place % 26] for place in range(4))
    return letters.capitalize()

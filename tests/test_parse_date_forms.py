"""Dates as pages show them (issue 18): every common written form, in a page's head or its byline.

A numeric date whose order of day and month is not certain stays unknown with a warning, never guessed.
"""

from __future__ import annotations

from datetime import date

import pytest

from iwfdb.parse import parse_text

BODY = "\n\nParents should talk to their children about sextortion, police said on Tuesday.\n\nCases have risen."


def header(text: str) -> tuple[str | None, date | None, str | None, list[str]]:
    statement = parse_text(text + BODY, publisher="The Daily Example")
    return statement.title, statement.published, statement.byline, [w.message for w in statement.warnings]


TITLE = "Parents urged to talk about sextortion"

WRITTEN_FORMS = {
    "day month year": ("18 July 2023", date(2023, 7, 18)),
    "weekday, day month year": ("Tuesday, 18 July 2023", date(2023, 7, 18)),
    "month day, year": ("July 18, 2023", date(2023, 7, 18)),
    "abbreviated month with a dot": ("Oct. 13, 2020", date(2020, 10, 13)),
    "abbreviated month, weekday": ("Tue, Oct. 13, 2020", date(2020, 10, 13)),
    "a middle dot before the year": ("October 13 · 2020", date(2020, 10, 13)),
    "posted on": ("posted on April 21, 2015", date(2015, 4, 21)),
    "Published on, with a time": ("Published on 18 July 2023 at 9:30 am", date(2023, 7, 18)),
    "month first, the day over 12": ("2/26/2015", date(2015, 2, 26)),
    "day first with dots": ("19.01.2020", date(2020, 1, 19)),
    "day first with dashes and a time": ("18-07-2023 - 13:05", date(2023, 7, 18)),
    "ISO 8601": ("2023-07-18", date(2023, 7, 18)),
    "day and month alike": ("04/04/2020", date(2020, 4, 4)),
}


@pytest.mark.parametrize("written, expected", WRITTEN_FORMS.values(), ids=WRITTEN_FORMS.keys())
def test_a_date_line_under_the_headline(written: str, expected: date) -> None:
    title, published, _, warnings = header(f"{TITLE}\n\n{written}")
    assert (title, published) == (TITLE, expected)
    assert not any("date is unknown" in warning for warning in warnings)


@pytest.mark.parametrize("written, expected", WRITTEN_FORMS.values(), ids=WRITTEN_FORMS.keys())
def test_a_date_line_above_the_headline(written: str, expected: date) -> None:
    assert header(f"{written}\n\n{TITLE}")[:2] == (TITLE, expected)


@pytest.mark.parametrize(
    "byline, expected_date, expected_byline",
    [
        ("By Tom Bennett | October 13, 2020", date(2020, 10, 13), "Tom Bennett"),
        ("Tom Bennett · Oct. 13, 2020", date(2020, 10, 13), "Tom Bennett"),
        ("By Jo Li, Tuesday 18 July 2023", date(2023, 7, 18), "Jo Li"),
        ("Posted on April 21, 2015 by the editors", date(2015, 4, 21), None),
    ],
)
def test_a_date_in_the_byline(byline: str, expected_date: date, expected_byline: str | None) -> None:
    assert header(f"{TITLE}\n\n{byline}")[:3] == (TITLE, expected_date, expected_byline)


@pytest.mark.parametrize("written", ["03/04/2020", "12-07-2019", "05-06-2021"])
def test_a_numeric_date_that_reads_two_ways_stays_unknown_with_a_warning(written: str) -> None:
    title, published, _, warnings = header(f"{TITLE}\n\n{written}")
    assert (title, published) == (TITLE, None)
    assert any("order of day and month is not certain" in warning for warning in warnings)


@pytest.mark.parametrize("written", ["31/02/2020", "Feb. 30, 2021"])
def test_a_date_that_does_not_exist_stays_unknown(written: str) -> None:
    title, published, _, warnings = header(f"{TITLE}\n\n{written}")
    assert (title, published) == (TITLE, None)
    assert any("not a real date" in warning for warning in warnings)


@pytest.mark.parametrize(
    "furniture",
    ["Jump to content", "Skip to main content", "iStock 1443562017", "+ FOLLOW", "Supported by", "Biz & IT —"],
)
def test_site_furniture_above_the_headline_is_never_the_title(furniture: str) -> None:
    assert header(f"{furniture}\n\n{TITLE}\n\n18 July 2023")[:2] == (TITLE, date(2023, 7, 18))


@pytest.mark.parametrize("label", ["News", "Tech", "Higher education", "Tom Bennett"])
def test_a_section_label_or_byline_above_a_dated_headline_is_never_the_title(label: str) -> None:
    assert header(f"{label}\n\n{TITLE}\n\n18 July 2023")[:2] == (TITLE, date(2023, 7, 18))

"""Dates as pages print them: 'Tue 7 Mar 2017', '16 December 2024', 'Sun, 7th September, 2008', and on
the pages of other organisations 'April 25, 2017'.

Written by hand rather than with strptime: strptime follows the machine's locale, cannot say "this was
cut off", and would accept a weekday that does not match the date.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
         ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]
    )
    for name in names
}

_WEEKDAY = r"(?:(?P<weekday>[A-Za-z]{3,9}),?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>\d{4})"
DATE = re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}")
# The month first, as American pages print it: 'April 25, 2017', 'Tuesday, April 25, 2017'.
MONTH_FIRST_DATE = re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}")
# A card's date line: the related statement's date and kind, e.g. '16 December 2024 Statement'.
# The kind may be several words: 'IWF In The News'.
CARD_DATE_LINE = re.compile(rf"{_DAY}\s+{_MONTH}\s+{_YEAR}(?:\s+(?P<kind>[A-Z][A-Za-z]*(?: [A-Za-z]+){{0,4}}))?")
# What is left of a date line when a crawl stopped in the middle of it: '16 Decem', '7 Mar 20'.
CUT_DATE = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+[A-Za-z]{0,9}(?:\s+\d{0,4})?)?")


class DateProblem(ValueError):
    """The text is meant as a date but is not a valid one; the message says why."""


def is_date_line(text: str) -> bool:
    """Whether a whole line is a date in one of the printed forms (valid or not)."""
    return bool(DATE.fullmatch(text) or MONTH_FIRST_DATE.fullmatch(text))


def parse_date(text: str) -> tuple[date, str | None]:
    """The date a whole text spells and a note when its weekday disagrees, or DateProblem."""
    written = text.strip().rstrip(".")
    match = DATE.fullmatch(written) or MONTH_FIRST_DATE.fullmatch(written)
    if not match:
        raise DateProblem(f"'{text}' is not a date (cut off?); expected a date such as 'Tue 7 Mar 2017'")
    value = _date_from(match, text)
    weekday = match["weekday"]
    if weekday and WEEKDAYS.get(weekday.lower()) not in (None, value.weekday()):
        return value, f"'{text}': {value.isoformat()} is a {value.strftime('%A')}, not a {weekday}; kept the date"
    return value, None


def _date_from(match: re.Match[str], text: str) -> date:
    month = MONTHS.get(match["month"].lower())
    if month is None:
        raise DateProblem(f"'{text}' is not a date: '{match['month']}' is not a month")
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise DateProblem(f"'{text}' is not a real date") from None


def match_card_date(text: str) -> tuple[date, str | None] | None:
    """(date, kind) when the line is a related card's date line, else None."""
    if not text[:1].isdigit():
        return None
    match = CARD_DATE_LINE.fullmatch(text)
    if not match or match["month"].lower() not in MONTHS:
        return None
    try:
        return _date_from(match, text), match["kind"]
    except DateProblem:
        return None


def looks_like_cut_date(text: str) -> bool:
    """Whether a line is the start of a date that the crawl cut off."""
    return bool(CUT_DATE.fullmatch(text)) and match_card_date(text) is None

"""Dates as pages print them: 'Tue 7 Mar 2017', '16 December 2024', 'Sun, 7th September, 2008', and on
the pages of other organisations 'April 25, 2017', 'Oct. 13, 2020', 'October 13 · 2020', 'posted on April
21, 2015', '18-07-2023 - 13:05', '19.01.2020', '2/26/2015', '2023-07-18'.

A numeric date is read only when its order is certain: a day over 12 ('19.01.2020', '2/26/2015'), dots
('03.04.2020' is 3 April wherever dots are written), or the year first (ISO 8601). '03/04/2020' could be
3 April or 4 March: it raises DateProblem saying so, and the date stays unknown rather than guessed.

Written by hand rather than with strptime: strptime follows the machine's locale, cannot say "this was
cut off", and would accept a weekday that does not match the date. Nor with htmldate, which guesses
'03/04/2020' (as 3 April), and costs 0.4 s to import.
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
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
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
# Day, month and year in figures: '19.01.2020', '2/26/2015', '18-07-2023'; and ISO 8601, '2023-07-18'.
NUMERIC_DATE = re.compile(r"(?P<first>\d{1,2})(?P<separator>[./-])(?P<second>\d{1,2})(?P=separator)(?P<year>\d{4})")
ISO_WRITTEN_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
# What stands around a date on a line of its own: 'Posted on ...', 'Published: ...', '... - 13:05', '... at 9:30 am'.
DATE_PREFIX = re.compile(
    r"^(?:(?:posted|published|updated|first published|last updated|date)(?:\s+on)?\s*:?\s+)", re.IGNORECASE
)
TIME_SUFFIX = re.compile(
    r"(?:\s*[-–|,·]\s*|\s+(?:at\s+)?)\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?$", re.IGNORECASE
)
# 'October 13 · 2020': a separator some sites print between the day and the year.
MIDDLE_DOT = re.compile(r"\s+[·|]\s+(?=\d{4}\b)")
MAX_MONTH = 12
# A card's date line: the related statement's date and kind, e.g. '16 December 2024 Statement'.
# The kind may be several words: 'IWF In The News'.
CARD_DATE_LINE = re.compile(rf"{_DAY}\s+{_MONTH}\s+{_YEAR}(?:\s+(?P<kind>[A-Z][A-Za-z]*(?: [A-Za-z]+){{0,4}}))?")
# What is left of a date line when a crawl stopped in the middle of it: '16 Decem', '7 Mar 20'.
CUT_DATE = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+[A-Za-z]{0,9}(?:\s+\d{0,4})?)?")


class DateProblem(ValueError):
    """The text is meant as a date but is not a valid one; the message says why."""


def is_date_line(text: str) -> bool:
    """Whether a whole line is a date in one of the printed forms (valid or not)."""
    core = _core(text)
    return bool(
        DATE.fullmatch(core)
        or MONTH_FIRST_DATE.fullmatch(core)
        or NUMERIC_DATE.fullmatch(core)
        or ISO_WRITTEN_DATE.fullmatch(core)
    )


def parse_date(text: str) -> tuple[date, str | None]:
    """The date a whole text spells and a note when its weekday disagrees, or DateProblem."""
    written = _core(text).rstrip(".")
    numeric = NUMERIC_DATE.fullmatch(written) or ISO_WRITTEN_DATE.fullmatch(written)
    if numeric:
        return _numeric_date(numeric, text), None
    match = DATE.fullmatch(written) or MONTH_FIRST_DATE.fullmatch(written)
    if not match:
        raise DateProblem(f"'{text}' is not a date (cut off?); expected a date such as 'Tue 7 Mar 2017'")
    value = _date_from(match, text)
    weekday = match["weekday"]
    if weekday and WEEKDAYS.get(weekday.lower()) not in (None, value.weekday()):
        return value, f"'{text}': {value.isoformat()} is a {value.strftime('%A')}, not a {weekday}; kept the date"
    return value, None


def find_date(text: str) -> tuple[str, str] | None:
    """(the date as written, the rest of the line) for a short line that holds a date among other words:
    'By Tom Bennett | October 13, 2020', 'Posted on April 21, 2015 by the editors'."""
    plain = MIDDLE_DOT.sub(", ", text)
    for pattern in (DATE, MONTH_FIRST_DATE, NUMERIC_DATE, ISO_WRITTEN_DATE):
        match = pattern.search(plain)
        if match is None or (
            "month" in match.groupdict() and match["month"].lower() not in MONTHS and not match["month"].isdigit()
        ):
            continue
        weekday = match.groupdict().get("weekday")
        start = match.start() if not weekday or weekday.lower() in WEEKDAYS else match.start(_after_weekday(match))
        rest = f"{plain[:start]} {plain[match.end() :]}"
        return plain[start : match.end()], DATE_PREFIX.sub("", " ".join(rest.split()).strip(" |·-–,")).strip()
    return None


def _after_weekday(match: re.Match[str]) -> str:
    """The group a date starts with once a word taken for its weekday ('The 12 May') is left out."""
    return "day" if match.re is DATE else "month"


def _core(text: str) -> str:
    """The date of a date line without what stands around it: 'Posted on April 21, 2015' -> 'April 21, 2015'."""
    core = text.strip()
    if core[:1].isalpha() and DATE_PREFIX.match(core):
        core = DATE_PREFIX.sub("", core)
    if ":" in core or "." in core[-4:]:
        core = TIME_SUFFIX.sub("", core)
    return MIDDLE_DOT.sub(", ", core) if "·" in core or "|" in core else core


def _numeric_date(match: re.Match[str], text: str) -> date:
    """The date of '19.01.2020', '2/26/2015' or '2023-07-18', when the order of day and month is certain."""
    if "month" in match.groupdict():
        day, month = int(match["day"]), int(match["month"])
    else:
        first, second = int(match["first"]), int(match["second"])
        day_first = match["separator"] == "."  # '03.04.2020': no country writes the month first with dots
        if first <= MAX_MONTH and second <= MAX_MONTH and first != second and not day_first:
            raise DateProblem(
                f"'{text}' could be {first} {_month_name(second)} or {second} {_month_name(first)} "
                f"{match['year']}: the order of day and month is not certain"
            )
        day, month = (second, first) if second > MAX_MONTH else (first, second)
    try:
        return date(int(match["year"]), month, day)
    except ValueError:
        raise DateProblem(f"'{text}' is not a real date") from None


def _month_name(number: int) -> str:
    return date(2000, number, 1).strftime("%B") if 1 <= number <= MAX_MONTH else str(number)


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

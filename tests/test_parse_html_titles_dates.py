"""A web page's title and date as the page shows them (issue 18), from tests/fixtures/html/.

The headline is the page's own: its h1 where the metadata agrees, the metadata's where the h1 is empty or
a section's label; what stands above the headline (a kicker, '+ FOLLOW', a sponsor's label, a photo
caption) is never the title. The date is the one the page shows, not the day of a UTC timestamp.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iwfdb.parse import parse_bytes

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"

EXPECTED = {
    # page: (title, published, byline, warnings that must be there)
    "title_kicker_above_h1": (
        "Universities told to act on online abuse of students", date(2023, 7, 18),
        "Tom Bennett, Education Correspondent", [],
    ),
    "title_empty_h1": ("Helpline sees record calls from parents", date(2015, 4, 21), None, []),
    "title_h1_is_a_section": ("AI tools used to make abuse images, watchdog warns", date(2020, 10, 13), "Tom Bennett",
                              []),
    "date_local_not_utc": ("Police warn families about sextortion scam", date(2023, 1, 16), None, []),
    "date_numeric_by_language": ("Neue Regeln gegen Missbrauchsdarstellungen im Netz", date(2020, 4, 3), None, []),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_page_gives_its_own_headline_date_and_byline(name: str) -> None:
    statement = parse_bytes((PAGES / f"{name}.html").read_bytes(), f"{name}.html", publisher="Example").statement
    title, published, byline, _ = EXPECTED[name]
    assert (statement.title, statement.published, statement.byline) == (title, published, byline)
    assert not any(statement.title in paragraph.text for paragraph in statement.body)
    assert not [warning for warning in statement.warnings if "date" in warning.message or "title" in warning.message]


def _page(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body><main>{body}</main></body></html>".encode()


BODY = "<p>Police warned families on Monday about a scam.</p><p>Reports have doubled.</p>"


def test_json_ld_in_cdata_gives_its_date_and_headline() -> None:
    head = ('<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", "headline": "Scam warning", '
            '"datePublished": "2020-10-13T09:00:00-04:00"}\n//]]></script>')  # fmt: skip
    statement = parse_bytes(_page(head, BODY), "p.html", publisher="Example").statement
    assert (statement.title, statement.published) == ("Scam warning", date(2020, 10, 13))
    assert not statement.warnings or all("JSON" not in warning.message for warning in statement.warnings)


def test_a_utc_timestamp_a_day_apart_from_the_shown_date_keeps_the_shown_date() -> None:
    head = '<meta property="article:published_time" content="2023-01-17T03:15:00Z">'
    shown = parse_bytes(_page(head, "<h1>Scam warning</h1><p>January 16, 2023</p>" + BODY), "p.html",
                        publisher="Example").statement  # fmt: skip
    assert shown.published == date(2023, 1, 16)
    unshown = parse_bytes(_page(head, "<h1>Scam warning</h1>" + BODY), "p.html", publisher="Example").statement
    assert unshown.published == date(2023, 1, 17)  # no date shown: the markup's is all there is


def test_a_timestamp_with_its_own_offset_is_the_page_day() -> None:
    head = '<meta property="article:published_time" content="2023-01-16T22:15:00-05:00">'
    statement = parse_bytes(_page(head, "<h1>Scam warning</h1>" + BODY), "p.html", publisher="Example").statement
    assert statement.published == date(2023, 1, 16)


def test_an_h1_that_agrees_with_the_metadata_is_the_title_even_when_short() -> None:
    head = '<meta property="og:title" content="Hotline news | Example">'
    statement = parse_bytes(_page(head, "<h1>Hotline news</h1>" + BODY), "p.html", publisher="Example").statement
    assert statement.title == "Hotline news"

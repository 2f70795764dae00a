"""Web pages: each HTML twin in tests/fixtures/html/ gives the records of its text fixture, plus what the
page states in machine form (address, publisher, the e-mail address Cloudflare hid)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes
from iwfdb.parse.cfemail import decode_cfemail
from iwfdb.parse.html import looks_like_html, parse_html
from iwfdb.records import to_jsonable

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "fixtures" / "html"
NEWS = "https://www.iwf.org.uk/news-media/news/"
IWF = "IWF"  # as the archive names it, whatever the page calls it
# twin page: (its text fixture, the page's address, e-mail addresses by contact name)
TWINS = {
    "seed": (ROOT.parent / "seeds" / "000_ca4268db049531f8.txt",
             NEWS + "statement-iwf-s-work-with-industry-and-social-networks/", {"Emma Hardy": "media@iwf.org.uk"}),
    "byline_by": (None, "https://www.iwf.org.uk/about-us/blog/why-we-must-talk-about-sextortion/", {}),
    "closing_sections": (None, NEWS + "iwf-renews-partnership-with-the-police/", {}),
    "contacts_inline_and_organisation": (None, NEWS + "iwf-statement-on-hotline-hours/",
                                         {"IWF Press Office": "press@iwf.org.uk"}),
    "contacts_multiline": (None, NEWS + "iwf-statement-on-new-research/", {"Cat McShane": "media@iwf.org.uk"}),
    "quote_after_attribution": (None, NEWS + "hotline-celebrates-25-years/", {}),
    "quote_multi_paragraph": (None, NEWS + "iwf-ceo-sets-out-priorities/", {}),
    "standfirst_captions_bullets": (None, NEWS + "new-data-reveals-scale-of-ai-abuse-imagery/", {}),
}  # fmt: skip
HIDDEN = "[email protected]"  # as the text parser shows it: a no-break space is a space


def _record(path: Path) -> dict:
    return to_jsonable(parse_bytes(path.read_bytes(), path.name).statement)


def _without_lines(value):
    if isinstance(value, dict):
        return {key: _without_lines(item) for key, item in value.items() if key not in ("line", "title_line")}
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


def _as_the_text_shows_it(page: dict, emails: dict[str, str]) -> dict:
    """The page's record with the decoded addresses hidden again, as the text rendering has them."""
    for contact in page["contacts"]:
        if contact["name"] in emails:
            assert contact["email"] == emails[contact["name"]] and contact["email_hidden"] is False
            contact["email"], contact["email_hidden"] = None, True
    for section in page["sections"]:
        for address in emails.values():
            section["text"] = section["text"].replace(address, HIDDEN)
    return page


@pytest.mark.parametrize("name", sorted(TWINS))
def test_a_page_gives_the_records_of_its_text_plus_address_publisher_and_email(name):
    text_file, address, emails = TWINS[name]
    page = _record(PAGES / f"{name}.html")
    text = _record(text_file or ROOT / "fixtures" / "valid" / f"{name}.txt")
    assert (page.pop("url"), page.pop("publisher")) == (address, IWF)  # as the page states it
    text_publisher = IWF if "IWF" in (text_file or ROOT / "fixtures" / "valid" / f"{name}.txt").read_text() else None
    assert (text.pop("url"), text.pop("publisher")) == (None, text_publisher)  # the IWF's layout, naming the IWF
    assert _without_lines(_as_the_text_shows_it(page, emails)) == _without_lines(text)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_every_line_points_at_the_html_line_the_record_came_from(name):
    path = PAGES / f"{name}.html"
    lines = html.unescape(path.read_text(encoding="utf-8", errors="replace")).splitlines()
    statement = parse_bytes(path.read_bytes(), path.name).statement
    assert statement.title in lines[statement.title_line - 1]
    for part in (*statement.body, *statement.quotes, *statement.contacts, *statement.related):
        words = " ".join(_shown_text(part).replace("• ", "").split()[:3])
        assert words in " ".join(lines[part.line - 1].split()), (part, lines[part.line - 1])


def _shown_text(part) -> str:
    for name in ("text", "name", "title"):
        if getattr(part, name, None):
            return getattr(part, name)
    raise AssertionError(f"{part} has no text")


def test_cloudflare_hex_decodes_to_the_address_and_nothing_else_does():
    assert decode_cfemail("3c515958555d7c554b5a12534e5b124957") == "media@iwf.org.uk"
    for not_an_address in ("", "3c", "zz5158", "3c515958555d7c554b5a12534e5b12495", "00414243"):
        assert decode_cfemail(not_an_address) is None


def _page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body><main>{body}</main></body></html>".encode()


STATEMENT = "<h1>Statement - Hotline news</h1><p>Published: Tue 7 Mar 2017</p><p>The IWF opened a new office.</p>"


def test_an_address_that_cannot_be_decoded_stays_hidden_with_a_warning():
    page = _page(STATEMENT + '<p>Contact:</p>\n<p>Jo Bloggs <a class="__cf_email__" data-cfemail="3c51zz">'
                 "[email&#160;protected]</a> 01223 203030</p>")
    statement = parse_html(page, "p.html").statement
    (contact,) = statement.contacts
    assert (contact.email, contact.email_hidden) == (None, True)
    assert any("cannot be decoded" in warning.message and warning.line == 2 for warning in statement.warnings)


def test_a_mailto_link_gives_its_address():
    page = _page(STATEMENT + '<p>Contact:</p><p>Jo Bloggs, Press Officer, <a href="mailto:jo%40example.org?subject=Hi">'
                 "email</a> or 01223 203030</p>")
    (contact,) = parse_html(page, "p.html").statement.contacts
    assert (contact.name, contact.role, contact.email) == ("Jo Bloggs", "Press Officer", "jo@example.org")


def test_a_block_quote_without_marks_is_a_quote_as_the_browser_shows_it():
    page = _page(STATEMENT + "<p>Susie Hargreaves said:</p><blockquote><p>We act.</p><p>We will not stop.</p>"
                 "</blockquote><p>The IWF works with partners.</p>")
    quotes = parse_html(page, "p.html").statement.quotes
    assert [(quote.speaker, quote.text) for quote in quotes] == [("Susie Hargreaves", "We act.\n\nWe will not stop.")]


def test_machine_dates_come_first_and_a_disagreeing_text_is_told():
    head = ('<meta property="article:published_time" content="2017-03-09T10:00:00+01:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2017-03-08"}</script>')
    statement = parse_html(_page(STATEMENT, head), "p.html").statement
    assert statement.published.isoformat() == "2017-03-08"
    assert any("JSON-LD datePublished says 2017-03-08, its text 2017-03-07" in w.message for w in statement.warnings)


def test_a_date_that_is_not_iso_is_left_out_with_a_warning():
    head = '<meta property="article:published_time" content="last Tuesday">'
    statement = parse_html(_page(STATEMENT, head), "p.html").statement
    assert statement.published.isoformat() == "2017-03-07"  # from the text's Published: line
    assert any("'last Tuesday' is not an ISO 8601 date" in warning.message for warning in statement.warnings)


def test_a_related_card_date_is_never_the_page_date():
    body = ("<article><h1>Hotline news</h1><p>The IWF opened a new office today, the IWF says.</p></article>"
            '<section class="related"><article class="card"><h3>Older news</h3><p>Something else happened.</p>'
            '<p><time datetime="2016-01-01">1 January 2016</time> News</p></article></section>')
    statement = parse_html(_page(body), "p.html").statement
    assert statement.published is None
    assert [(card.title, card.date.isoformat()) for card in statement.related] == [("Older news", "2016-01-01")]


def test_a_page_without_h1_takes_its_title_from_json_ld_never_from_the_site_name():
    head = ('<meta property="og:site_name" content="IWF"><meta property="og:title" content="Hotline news | IWF">'
            '<script type="application/ld+json">{"@type": "Article", "headline": "Hotline news"}</script>')
    body = "<p>The IWF opened a new office, and it said so in a long sentence for the press.</p><p>More text.</p>"
    assert parse_html(_page(body, head), "p.html").statement.title == "Hotline news"
    head_og = '<meta property="og:site_name" content="IWF"><meta property="og:title" content="Hotline news | IWF">'
    assert parse_html(_page(body, head_og), "p.html").statement.title == "Hotline news"
    assert parse_html(_page(body), "p.html").statement.title is None


def test_the_address_is_canonical_then_og_url_then_where_the_page_was_fetched():
    canonical = '<link rel="canonical" href="/news/a"><meta property="og:url" content="https://b.example/news/b">'
    fetched = "https://a.example/news/a?utm_source=x"
    assert parse_html(_page(STATEMENT, canonical), "p", url=fetched).statement.url == "https://a.example/news/a"
    assert parse_html(_page(STATEMENT, canonical), "p").statement.url == "https://b.example/news/b"
    assert parse_html(_page(STATEMENT), "p", url=fetched).statement.url == fetched
    assert parse_html(_page(STATEMENT), "p").statement.url is None


def test_furniture_is_left_out_but_never_the_element_holding_the_headline():
    body = ('<div class="page-wrapper menu-open"><div class="cookie-banner">We use cookies. Hide</div>'
            '<div class="share">Share on X</div>' + STATEMENT + '<div hidden>Secret</div></div>')
    statement = parse_html(_page(body), "p.html").statement
    assert statement.title == "Hotline news"
    assert [paragraph.text for paragraph in statement.body] == ["The IWF opened a new office."]


def test_the_encoding_the_page_declares_is_used_and_a_wrong_one_is_refused():
    page = _page(STATEMENT.replace("new office", "new office \x92so\x92 they say"), '<meta charset="windows-1252">')
    page = page.replace("\x92".encode(), b"\x92")
    assert "\u2019so\u2019" in parse_html(page, "p.html").statement.body[0].text
    undeclared = _page(STATEMENT).replace(b"new office", b"caf\xe9 office")
    with pytest.raises(ParseError, match="not UTF-8"):
        parse_html(undeclared, "p.html")


def test_a_page_with_no_text_is_refused():
    with pytest.raises(ParseError, match="p.html:1:1: no text"):
        parse_bytes(_page("<nav>Home</nav><script>app()</script>"), "p.html")


@pytest.mark.parametrize("start", [
    b"<!DOCTYPE html>", b"\xef\xbb\xbf  <!doctype HTML>", b"\n<html lang=en>", b"<!-- saved from url=(0013)x -->\n<html>",
    b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
])  # fmt: skip
def test_pages_are_recognised_by_their_first_bytes(start):
    assert looks_like_html(start + b"<body><p>x</p></body></html>")


@pytest.mark.parametrize("start", [b"Statement - <html> in a title", b"<htmlx>", b"IWF <!DOCTYPE html>", b""])
def test_texts_are_not_pages(start):
    assert not looks_like_html(start)


def test_a_page_of_another_organisation_loads_with_its_publisher_and_date():
    statement = parse_bytes((PAGES / "nspcc.html").read_bytes(), "nspcc.html", publisher="NSPCC").statement
    assert (statement.publisher, statement.title) == ("NSPCC", "NSPCC responds to new online safety figures")
    assert statement.published.isoformat() == "2024-04-25"
    assert statement.contacts[0].email == "press@nspcc.org.uk"
    assert [quote.speaker for quote in statement.quotes] == ["Sir Peter Wanless"]
    assert not any("unknown" in warning.message for warning in statement.warnings)


def test_a_page_of_another_organisation_without_closing_headings_loads():
    """The page says whose it is: it need not mention the IWF to be read."""
    page = (PAGES / "nspcc.html").read_bytes().replace(b"<h2>Media enquiries</h2>", b"")
    assert parse_bytes(page, "nspcc.html", publisher="NSPCC").statement.publisher == "NSPCC"

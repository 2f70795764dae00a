"""What the single walks over a page (issue 17, item 4) decide, element by element, as the walks they replaced
did: the headline, the main region, the furniture left out, the quote marks given, the article's date."""

from __future__ import annotations

from iwfdb.parse import parse_bytes

HEAD = "<h1>Statement - Walks</h1><p>Published: Tue 7 Mar 2017</p><p>The IWF removes images of abuse.</p>"


def statement(body: str):
    return parse_bytes(f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), "page.html").statement


def texts(body: str) -> list[str]:
    read = statement(body)
    return [paragraph.text for paragraph in (*read.body, *read.captions)] + [quote.text for quote in read.quotes]


def test_the_headline_is_the_first_h1_inside_a_region_else_the_first_outside_the_furniture():
    assert statement("<header><div><h1>Site</h1></div></header><article><div><p>x</p></div></article>"
                     f"<div><article><div>{HEAD}</div></article></div>").title == "Walks"  # fmt: skip
    assert statement(f"<header><div><h1>Site</h1></div></header><div><div>{HEAD}</div></div>").title == "Walks"


def test_the_main_region_is_the_one_holding_the_headline():
    read = statement("<main><p>Another region, the IWF says.</p></main>" + "<div>" * 30 + f"<main>{HEAD}</main>"
                     + "</div>" * 30)  # fmt: skip
    assert [paragraph.text for paragraph in read.body] == ["The IWF removes images of abuse."]


def test_a_footer_is_furniture_except_in_a_block_quote_even_when_the_quote_holds_the_main_region():
    body = texts(f"{HEAD}<div><div><footer>Site footer</footer></div></div><blockquote><p>Words said</p><footer>"
                 "Jo Bloggs</footer></blockquote>")  # fmt: skip
    assert "Site footer" not in " ".join(body) and any("Jo Bloggs" in text for text in body)
    inside = texts(f"<blockquote><div role='main'>{HEAD}<footer>Quoted source</footer></div></blockquote>")
    assert any("Quoted source" in text for text in inside)


def test_block_quotes_get_marks_once_however_they_nest():
    body = texts(HEAD + "<blockquote><p>“Marked,” she said.</p><blockquote><p>Unmarked inside</p></blockquote>"
                 "</blockquote><blockquote><p>Outer</p><blockquote><p>Inner</p></blockquote></blockquote>")  # fmt: skip
    joined = " | ".join(body)
    assert "“Unmarked inside”" in joined  # its own marks: the quote around it showed some already
    assert "“Outer | “Inner”" in joined and "““" not in joined  # the outer one's marks reach the inner one's words


def test_the_date_of_a_time_element_in_a_related_card_is_not_the_articles():
    card = "<div class='related'>" + "<div>" * 20 + "<time datetime='2001-01-01'>x</time>" + "</div>" * 20 + "</div>"
    assert statement(f"<article>{card}<h1>Walks</h1><p>The IWF removes images.</p></article>").published is None
    own = "<div>" * 20 + "<time datetime='2019-05-06'>x</time>" + "</div>" * 20
    assert str(statement(f"<article>{card}{own}<h1>Walks</h1><p>The IWF removes.</p></article>").published) \
        == "2019-05-06"  # fmt: skip

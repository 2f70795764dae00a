"""The web-page parser's promise: for any page at all, a statement or a ParseError, in time linear in its size."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes
from iwfdb.records import ParsedFile

SEED_PAGE = (Path(__file__).parent / "fixtures" / "html" / "seed.html").read_text(encoding="utf-8")
PIECES = st.sampled_from([
    "<p>", "</p>", "<div class='share'>", "</div>", "<blockquote>", "</blockquote>", "<q>", "</q>", "<br>",
    "<h1>", "</h1>", "<main>", "</main>", "<article>", "</article>", "<header>", "</header>", "<li>", "<ul>",
    "<time datetime='2017-03-07'>", "<time datetime='x'>", "</time>", "<figure><img alt='a'>", "</figure>",
    '<a href="/cdn-cgi/l/email-protection#3c5158">', '<span data-cfemail="3c515958555d7c554b5a12534e5b124957">',
    '<a href="mailto:a@b.org">', "</a>", "</span>", "Statement - ", "Published: Tue 7 Mar 2017", "said:", "“",
    "Ends", "Contact:", "+44 (0) 1223 203030", "[email&#160;protected]", "16 December 2024 Statement", "&nbsp;",
    '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": ', "}</script>", "IWF",
    '<link rel="canonical" href="', '">', '<meta property="og:site_name" content="', "\n",
])  # fmt: skip
page_like = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=80).map(
    lambda parts: "<!DOCTYPE html><html><body>" + "".join(parts)
)
seed_lines = SEED_PAGE.splitlines()
cut_or_shuffled_seed = st.lists(st.sampled_from(seed_lines), max_size=len(seed_lines)).map("\n".join)


def parses_or_refuses(data: bytes) -> None:
    try:
        parsed = parse_bytes(data, "page.html")
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1
        return
    assert isinstance(parsed, ParsedFile)
    lines = data.count(b"\n") + 1
    assert all(1 <= part.line <= lines for part in (*parsed.statement.body, *parsed.statement.warnings))


@settings(max_examples=300, deadline=None)
@given(page_like)
def test_any_page(text: str) -> None:
    parses_or_refuses(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None)
@given(cut_or_shuffled_seed)
def test_the_seed_page_cut_and_shuffled(text: str) -> None:
    parses_or_refuses(("<!DOCTYPE html>\n" + text).encode())


@settings(max_examples=100, deadline=None)
@given(st.binary())
def test_any_bytes_after_a_doctype(data: bytes) -> None:
    parses_or_refuses(b"<!DOCTYPE html>" + data)


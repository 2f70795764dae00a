"""The parser is linear on every input: each family of pathological text, timed at n and 4n.

The families marked "was:" took quadratic or exponential time before issue 10: a pattern with nested
or adjacent quantifiers over the same characters, or a loop that walked the rest of the text again from
every paragraph (each of them took over a minute at 4n then). The others guard the patterns and loops
that read names, attributions and marks. A ratio of times measured in one run stands on a shared machine
where absolute times do not: linear growth gives about 4, quadratic 16; the bound is 8. Each size is
timed a few times and the fastest run kept, and a ratio over the bound is measured again (up to three
times) before the test fails: a neighbour's burst of work on a shared machine passes, quadratic growth
does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes, parse_text

HEAD = "Statement - A pathological page\n\nPublished:  Tue 7 Mar 2017\n\nThe IWF removes images.\n\n"
GROWTH = 4
MAX_RATIO = 10  # linear is 4x, quadratic 16x: room for two test processes sharing two busy cores
RUNS = 3
ATTEMPTS = 3


def _surname(number: int) -> str:
    """A different capitalised word for each number: 'Ba', 'Bb'... (names hold no digits)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
        if not number:
            return "B" + letters


def _contact(details: str) -> str:
    return f"{HEAD}Ends\n\nContact:\n\n{details}"


FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    # name: (text of size n, n such that the larger text takes a few tens of milliseconds)
    # was: the e-mail pattern searched from every start
    "e-mail: a long a.b.a.b token with @": (lambda n: _contact("a.b" * n + "@"), 100_000),
    # was: the same, with a domain after the @
    "e-mail: dots then @ and a domain": (lambda n: _contact("a." * n + "@x"), 100_000),
    # was: exponential lead-out pattern
    "contact: a run of commas before a phone": (lambda n: _contact("Jo " + "," * n + " Bloggs 01223 203030"), 150_000),
    # was: the same pattern, quadratic
    "contact: lead-out words before a phone": (lambda n: _contact("Jo" + " on" * n + " x 01223 203030"), 60_000),
    # was: each paragraph walked all the following
    "quotes: paragraphs that open a quote and never close it": (
        lambda n: HEAD + "\n\n".join(f"“Quote {i} opens and goes on" for i in range(n)),
        1_500,
    ),
    "quotes: a pronoun after many long paragraphs of names": (
        lambda n: HEAD + "\n\n".join(f"Jane Doe{'x' * (i % 7)} met Sam Roe." for i in range(n)) + "\n\nShe said: “Hi.”",
        3_000,
    ),
    "quotes: many pronouns, each looking back": (
        lambda n: HEAD + "\n\n".join(f"Ms Ann Lee{'e' * (i % 5)} said: “{i}.”\n\nShe added: “More.”" for i in range(n)),
        500,
    ),
    "names: one paragraph of capitalised words": (lambda n: HEAD + "Aa " * n + "said: “Hi.”", 100_000),
    "names: a pronoun after one paragraph of many different people": (
        lambda n: HEAD + ", ".join(f"Ann {_surname(i)}" for i in range(n)) + " met.\n\nShe said: “Hi.”",
        5_000,
    ),
    "names: a short name after many people of that name": (
        lambda n: HEAD + ", ".join(f"{_surname(i)} Lee" for i in range(n)) + " met.\n\nLee said: “Hi.”",
        5_000,
    ),
    "names: a pronoun after a long run of capitalised words": (
        lambda n: HEAD + "Aa " * n + "met us.\n\nShe said: “Hi.”",
        100_000,
    ),
    "dates: a long line of times and dates in the header": (
        lambda n: "Title\n\n" + "12:30 - 12/12/2020 · " * n + "\n\nBody text.",
        20_000,
    ),
    # was: each address's sentence sought from the start
    "links: many addresses in one paragraph of many sentences": (
        lambda n: HEAD + " ".join(f"See site{i}.com now." for i in range(n)),
        3_000,
    ),
    # was: a leading '\s*' re-read the run of spaces from each of them
    "lines: a link artefact after a long run of spaces": (lambda n: HEAD + "x" + " " * n + "y Window\n", 2_000_000),
    "attributions: 'said' again and again in one paragraph": (lambda n: HEAD + "a said " * n + "b said: “c”", 50_000),
    "marks: unclosed single marks in one paragraph": (lambda n: HEAD + "‘a " * n + "end.", 100_000),
    # whose statement it is: texts naming the IWF without its layout, read by the gate's patterns
    "gate: words spelling IWF before (IWF)": (lambda n: "A page\n\nThe IWF " + "Ia Wa Fa, " * n + "(IWF) said.", 30_000),
    "gate: spellings of IWF that never end": (lambda n: "A page\n\nThe IWF " + "Ia Wa Fa " * n + "said.", 30_000),
    "gate: unclosed quote marks and 'told'": (lambda n: "A page\n\nThe IWF " + "“we told Aa& " * n, 30_000),
}


# Web pages whose elements are nested deeper as they grow: 2,000 deep at 4n (just under the 2,048 levels
# libxml2 reads). A walk from each element to the root, or over each element's descendants, takes time as
# elements times depth: 16x at 4n. Before issue 17, pages of 20,000 elements 2,000 deep took 45-50 s, and
# the families of footers, headers, <main> regions and <time> elements took 9-22x the time at 4n here.
PAGE_HEAD = "<h1>Statement - A deep page</h1><p>Published: Tue 7 Mar 2017</p><p>The IWF removes images.</p>"
PAGE_ELEMENTS = 2_500  # 10,000 at 4n; a page of 10,000 elements takes about half a second to parse
DEPTH_SHARE = 5  # nested a fifth of their elements deep
RUNS_OF_NESTING = 5


def _nested(opening: str, closing: str) -> Callable[[int], str]:
    """`n` times `opening`, in runs each nested n/5 deep."""
    depth = lambda n: n // DEPTH_SHARE  # noqa: E731
    return lambda n: (opening * depth(n) + closing * depth(n)) * RUNS_OF_NESTING


def _deep(n: int, inside: str) -> str:
    return "<div>" * (n // DEPTH_SHARE) + inside + "</div>" * (n // DEPTH_SHARE)


PAGE_FAMILIES: dict[str, Callable[[int], str]] = {
    # the shape at 4n: 20,000 elements 2,000 deep
    "elements nested deep": lambda n: PAGE_HEAD + ("<div class='x'><span>IWF " * (n // 10)
                                                   + "</span></div>" * (n // 10)) * 10,
    "many footers, deep inside the page": lambda n: _deep(n, PAGE_HEAD + "<footer>Site</footer><p>IWF</p>" * n),
    "footers nested in footers": lambda n: PAGE_HEAD + _nested("<footer><div>f ", "</div></footer>")(n // 2),
    "headings nested in headers": lambda n: "".join(f"<header>{_nested('<div><h1>T</h1>', '</div>')(n // 2)}</header>"
                                                    for _ in range(2)) + PAGE_HEAD,
    "many <main> regions, the headline deep": lambda n: "<main><p>IWF</p></main>" * n + _deep(n, PAGE_HEAD),
    "<main> regions nested in each other": lambda n: _nested("<main><p>IWF</p>", "</main>")(n) + _deep(n, PAGE_HEAD),
    "articles nested in each other": lambda n: _nested("<article><p>IWF</p>", "</article>")(n) + PAGE_HEAD,
    "<time> elements nested deep": lambda n: PAGE_HEAD + _nested("<div><time datetime='2017-03-07'>7 March</time>",
                                                                 "</div>")(n // 2),
    "block quotes nested in block quotes": lambda n: PAGE_HEAD + _nested("<blockquote><p>IWF said</p>",
                                                                         "</blockquote>")(n // 2),
    "paragraphs": lambda n: PAGE_HEAD + "<p>The IWF said so.</p>" * n,
    "contact lines with e-mail links": lambda n: PAGE_HEAD + "<p>Contact:</p>"
                                                 + '<p>Jo <a href="mailto:j@b.org">mail</a> 01223 203030</p>' * (n // 4),
}  # fmt: skip


def _fastest(parse: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        try:
            parse()
        except ParseError:
            pass
        best = min(best, time.perf_counter() - started)
    return best


def _assert_linear(name: str, small: Callable[[], object], large: Callable[[], object]) -> None:
    _fastest(small)  # warm caches and lazy imports
    ratios = []
    for _ in range(ATTEMPTS):  # a burst of load from a neighbour passes; quadratic growth fails every time
        ratios.append(_fastest(large) / max(_fastest(small), 1e-4))
        if ratios[-1] < MAX_RATIO:
            return
    pytest.fail(f"{name}: {GROWTH}x the input took {', '.join(f'{r:.1f}' for r in ratios)}x the time")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_parse_time_grows_linearly(family: str) -> None:
    make, n = FAMILIES[family]
    small, large = make(n), make(n * GROWTH)
    _assert_linear(family, lambda: parse_text(small), lambda: parse_text(large))


@pytest.mark.parametrize("family", sorted(PAGE_FAMILIES))
def test_page_parse_time_grows_linearly_whatever_the_nesting(family: str) -> None:
    small, large = (f"<!DOCTYPE html><html><body>{PAGE_FAMILIES[family](n)}</body></html>".encode()
                    for n in (PAGE_ELEMENTS, PAGE_ELEMENTS * GROWTH))  # fmt: skip
    _assert_linear(family, lambda: parse_bytes(small, "page.html"), lambda: parse_bytes(large, "page.html"))

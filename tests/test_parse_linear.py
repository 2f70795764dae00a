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
from iwfdb.parse import parse_text

HEAD = "Statement - A pathological page\n\nPublished:  Tue 7 Mar 2017\n\nThe IWF removes images.\n\n"
GROWTH = 4
MAX_RATIO = 8
RUNS = 3
ATTEMPTS = 3


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


def _fastest(text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        try:
            parse_text(text)
        except ParseError:
            pass
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_parse_time_grows_linearly(family: str) -> None:
    make, n = FAMILIES[family]
    small, large = make(n), make(n * GROWTH)
    _fastest(small)  # warm caches and lazy imports
    ratios = []
    for _ in range(ATTEMPTS):  # a burst of load from a neighbour passes; quadratic growth fails every time
        ratios.append(_fastest(large) / max(_fastest(small), 1e-4))
        if ratios[-1] < MAX_RATIO:
            return
    pytest.fail(f"{family}: {GROWTH}x the input took {', '.join(f'{r:.1f}' for r in ratios)}x the time")

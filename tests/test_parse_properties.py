"""The parser's promise: for any text at all, a statement or a ParseError, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes, parse_text
from iwfdb.records import Statement

SEED_LINES = (Path(__file__).parents[1] / "seeds" / "000_ca4268db049531f8.txt").read_text().splitlines()
FORMAT_WORDS = st.sampled_from(
    ["Statement - ", "Published:  ", "Tue 7 Mar 2017", "said:", "“", "”", '"', "Ends", "Contact:", "+44 (0) ",
     "[email protected]", "16 December 2024 Statement", "www.iwf.org.uk", "She said:", " and ", ", OBE", "\n", "\n\n"]
)
statement_like = st.lists(
    st.one_of(st.sampled_from(SEED_LINES), FORMAT_WORDS, st.text(max_size=40)), max_size=60
).map("\n".join)


def parses_or_refuses(parse) -> None:
    try:
        assert isinstance(parse(), Statement)
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    parses_or_refuses(lambda: parse_text(text))


@settings(max_examples=300, deadline=None)
@given(statement_like)
def test_statement_like_text(text: str) -> None:
    parses_or_refuses(lambda: parse_text(text))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    parses_or_refuses(lambda: parse_bytes(data, "x.txt").statement)

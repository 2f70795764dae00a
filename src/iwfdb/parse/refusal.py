"""Telling a statement from what is not one: an encyclopedia article, a README, a stray text file.

A folder of statements may hold other files; they must be refused with a reason, never loaded as a
bogus statement with an invented title or date.
"""

from __future__ import annotations

import re

from iwfdb.errors import ParseError
from iwfdb.parse.body import is_closing
from iwfdb.parse.dates import match_card_date
from iwfdb.parse.header import KIND_PREFIX, PUBLISHED
from iwfdb.parse.text import Line

WIKI_HEADING = re.compile(r"=+ ?[^=]+? ?=+")
MARKDOWN = re.compile(r"^(?:#{1,6} \S|```|\* \[|\[!\[)")
KEY_VALUE = re.compile(r"^- [\w ]{1,40}: \S")
IWF = re.compile(r"\bIWF\b|Internet Watch Foundation")
EXPECTED = "expected an IWF statement: a title, 'Published: <date>', then paragraphs"
KEY_VALUE_SHARE = 0.3


def refuse_if_not_statement(lines: list[Line], publisher_given: bool = False) -> None:
    """ParseError when the (non-blank) lines are plainly something else, or show nothing of a statement.

    A page whose publisher the caller names (another organisation's) need not show any IWF evidence."""
    for line in lines:
        if WIKI_HEADING.fullmatch(line.text):
            raise ParseError(f"not a statement: '{line.text[:40]}' is wiki markup; {EXPECTED}", line=line.number)
    if MARKDOWN.match(lines[0].text):
        raise ParseError(f"not a statement: '{lines[0].text[:40]}' is Markdown; {EXPECTED}", line=lines[0].number)
    key_values = [line for line in lines if KEY_VALUE.match(line.text)]
    if len(key_values) >= 3 and len(key_values) > KEY_VALUE_SHARE * len(lines):
        raise ParseError(
            f"not a statement: {len(key_values)} '- Key: Value' lines are a data listing; {EXPECTED}",
            line=key_values[0].number,
        )
    if not publisher_given and not any(_is_evidence(line.text) for line in lines):
        raise ParseError(
            "not a statement: no 'Published:' date, no kind of statement, no IWF closing section, "
            f"no related card and no mention of the IWF; {EXPECTED}",
            line=lines[0].number,
        )


def mentions_iwf(lines: list[Line]) -> bool:
    """Whether the text names the IWF (a substring test first: the pattern on every line cost 5% of a parse)."""
    return any(("IWF" in line.text or "Watch Foundation" in line.text) and IWF.search(line.text) for line in lines)


def _is_evidence(text: str) -> bool:
    return bool(
        PUBLISHED.match(text) or KIND_PREFIX.match(text) or IWF.search(text) or match_card_date(text)
    ) or is_closing(text)

"""Small predicates about the shape of a line, shared by the recognisers."""

from __future__ import annotations

import re

# German „...“ and ‚...‘, French «...» beside the English marks.
OPENING_MARKS = '“"‘„«‚'
CLOSING_MARKS = "”\"’“'»‘"
ALL_MARKS = "“”\"‘’'„«»‚"
BULLET_MARKS = "•●▪◦·-–o"
BULLET = re.compile(r"^(?:[•●▪◦·\-–]|o(?= [A-Z0-9“\"]))\s+")
SENTENCE_END = re.compile(r"[.!?…][”\"’'*)\]]*$")
SENTENCE_BREAK = re.compile(r"[.!?][”\"’']?\s+[“\"‘]?[A-Z]")
# A footnote marker glued to the end of a paragraph: '...the year before.[1]', '...reports.1', '...”[2]'.
FOOTNOTE_MARK = re.compile(r"(?:\[\d{1,3}\]|(?<=[.!?”\"’])\d{1,2})$")
FOOTNOTE_REACH = 6


def word_count(text: str) -> int:
    return len(text.split())


def without_footnote(text: str) -> str:
    """The text without the footnote marker glued to its end, if any."""
    if text[-1:] not in "]0123456789":
        return text
    match = FOOTNOTE_MARK.search(text, max(0, len(text) - FOOTNOTE_REACH))
    return text[: match.start()] if match else text


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(without_footnote(text)))


def is_sentence(text: str) -> bool:
    """Prose rather than a heading: ends like a sentence and is more than a few words."""
    return ends_sentence(text) and word_count(text) >= 4


def is_single_sentence(text: str) -> bool:
    return is_sentence(text) and not SENTENCE_BREAK.search(text)


def opens_quote(text: str) -> bool:
    return text[:1] in OPENING_MARKS


def closes_quote(text: str) -> bool:
    """Whether a quoted paragraph ends its quote: it ends with a mark of any kind (marks are mismatched)."""
    text = _without_stop_after_mark(without_footnote(text))
    return text[-1:] in CLOSING_MARKS and len(text) > 1


def _without_stop_after_mark(text: str) -> str:
    """'«...».' and '“...”.': the full stop after the closing mark, as French and some English pages print it."""
    return text[:-1] if text.endswith(".") and text[-2:-1] in CLOSING_MARKS else text


def has_marks(text: str) -> bool:
    return any(mark in text for mark in '“”"‘„«»')


def strip_marks(text: str) -> str:
    """A quote's words without the marks around them (and the comma a 'said X' form leaves before the mark)."""
    text = _without_stop_after_mark(without_footnote(text.strip()))
    if text[:1] in OPENING_MARKS:
        text = text[1:]
    if text[-1:] in CLOSING_MARKS:
        text = text[:-1]
    return text.strip().removesuffix(",").strip()


def bullet_text(text: str) -> str | None:
    """The item of a bulleted line ('• item', 'o   item'), or None when the line is no bullet."""
    if text[:1] not in BULLET_MARKS:  # most lines: spare them the pattern
        return None
    match = BULLET.match(text)
    return text[match.end() :] if match else None


def starts_like_heading(text: str) -> bool:
    """Could open a headline: a capital, a digit, a quote mark or a symbol such as £ or #."""
    first = text[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in OPENING_MARKS + "£#$€'")

"""The top of a statement: junk, title and kind, publication date, byline and image captions.

Most pages read `title / Published: date / body`; others carry site junk before the headline, a lead item
for another article in place of the title, an old-site header date, or start straight with the body.
The title is only ever a line the text shows in the title's place: never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from iwfdb.parse.dates import DATE, DateProblem, parse_date
from iwfdb.parse.shapes import bullet_text, ends_sentence, is_sentence, starts_like_heading, word_count
from iwfdb.parse.text import Line
from iwfdb.records import ParseWarning, RelatedCard

KINDS = ("Statement", "News", "Blog", "Press release", "Press statement", "Media release", "Opinion", "Report")
KIND_PREFIX = re.compile(rf"^(?P<kind>{'|'.join(KINDS)})\s*(?:[-–—]|:)\s*(?P<title>\S.*)$", re.IGNORECASE)
PUBLISHED = re.compile(r"^Published\s*:\s*(?P<date>.*)$", re.IGNORECASE)
# How far into the text the header may reach: junk, a lead item and the title fit well within it.
HEADER_REACH = 12
ICON_WORDS = frozenset(
    "phone search map pin menu close email twitter facebook linkedin instagram youtube icon donate home x".split()
)
BYLINE = re.compile(r"^(?:By|Written by:?)\s+(?P<who>[A-Z].*)$")
NAME_AND_ROLE = re.compile(r"^(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}), (?P<role>[A-Z].{1,80})$")
CAPTION_MAX_WORDS = 6


@dataclass
class Header:
    title: str | None = None
    kind: str | None = None
    title_line: int | None = None
    published: date | None = None
    byline: str | None = None
    captions: list[Line] = field(default_factory=list)
    lead: RelatedCard | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    body_start: int = 0  # index, in the non-blank lines, of the first line after the header


def is_junk(text: str) -> bool:
    """Site furniture printed before the headline: icon alt texts, cookie notices, labels, breadcrumbs."""
    words = text.lower().replace(",", " ").split()
    if words and len(words) <= 10 and all(word in ICON_WORDS for word in words):
        return True
    lowered = text.lower()
    if "cookie" in lowered and text.rstrip(".").endswith("Hide"):
        return True
    if ("covid-19" in lowered or "coronavirus" in lowered) and word_count(text) > 12:
        return True
    return text.rstrip(":").lower() == "iwf news" or (text.startswith("Home") and " > " in text)


def read_header(lines: list[Line]) -> Header:
    """The header of a statement, given its non-blank lines."""
    header = Header()
    published_at = _find_published(lines)
    if published_at is not None:
        _read_title_before(lines[:published_at], header)
        _read_date(lines[published_at], PUBLISHED.match(lines[published_at].text)["date"], header)
        header.body_start = published_at + 1
    else:
        _read_header_without_published(lines, header)
    _read_byline_and_captions(lines, header)
    return header


def _find_published(lines: list[Line]) -> int | None:
    for index, line in enumerate(lines[:HEADER_REACH]):
        if PUBLISHED.match(line.text):
            return index
    return None


def _read_title_before(before: list[Line], header: Header) -> None:
    candidates = [line for line in before if not is_junk(line.text) and not DATE.fullmatch(line.text)]
    if not candidates:
        header.warnings.append(ParseWarning(before[-1].number if before else 1, "no title before 'Published:'"))
        return
    last = candidates[-1]
    if len(candidates) >= 2 and is_sentence(last.text) and not is_sentence(candidates[-2].text):
        _read_lead_item(candidates[-2], last, header)
        return
    for skipped in candidates[:-1]:
        header.warnings.append(ParseWarning(skipped.number, f"skipped '{skipped.text[:60]}' before the title"))
    _set_title(last, header)


def _read_lead_item(headline: Line, summary: Line, header: Header) -> None:
    """A headline and summary of another article stand where the title should: keep them as a card."""
    header.lead = RelatedCard(title=headline.text, summary=summary.text, date=None, kind=None, line=headline.number)
    header.warnings.append(
        ParseWarning(
            headline.number,
            f"'{headline.text[:60]}' is the lead item of another article, not this statement's title: "
            "the title is unknown",
        )
    )


def _set_title(line: Line, header: Header) -> None:
    match = KIND_PREFIX.match(line.text)
    if match:
        header.kind = _canonical_kind(match["kind"])
        header.title = match["title"]
    elif line.text.lower() in (kind.lower() for kind in KINDS):
        header.kind = header.title = _canonical_kind(line.text)
    else:
        header.title = line.text
    header.title_line = line.number


def _canonical_kind(written: str) -> str:
    return next(kind for kind in KINDS if kind.lower() == written.lower())


def _read_date(line: Line, text: str, header: Header) -> None:
    if not text:
        header.warnings.append(ParseWarning(line.number, "'Published:' with no date: the date is unknown"))
        return
    try:
        header.published, note = parse_date(text)
    except DateProblem as problem:
        header.warnings.append(ParseWarning(line.number, f"{problem}: the date is unknown"))
        return
    if note:
        header.warnings.append(ParseWarning(line.number, note))


def _read_header_without_published(lines: list[Line], header: Header) -> None:
    """Old-site pages (junk, label, header date, breadcrumb) and pages that start with the body."""
    index = 0
    while index < min(len(lines), HEADER_REACH):
        line = lines[index]
        if DATE.fullmatch(line.text) and header.published is None:
            _read_date(line, line.text, header)
        elif is_junk(line.text):
            pass
        elif header.title is None and _looks_like_title(line.text, lines, index):
            _set_title(line, header)
        else:
            break
        index += 1
    header.body_start = index
    if header.title is None:
        header.warnings.append(ParseWarning(lines[0].number, "no title: the text starts with the body"))
    if header.published is None:
        header.warnings.append(ParseWarning(lines[0].number, "no 'Published:' line: the date is unknown"))


def _looks_like_title(text: str, lines: list[Line], index: int) -> bool:
    if KIND_PREFIX.match(text):
        return True
    return (
        index + 1 < len(lines)
        and starts_like_heading(text)
        and not ends_sentence(text)
        and not text.endswith(":")
        and word_count(text) <= 25
        and bullet_text(text) is None
    )


def _read_byline_and_captions(lines: list[Line], header: Header) -> None:
    """A byline right after the date; short stray lines (image captions, alt text) before the first paragraph."""
    index = header.body_start
    if index < len(lines) and header.published is not None:
        byline = _byline(lines[index].text)
        if byline:
            header.byline = byline
            index += 1
    while index < len(lines) and _is_caption(lines, index):
        header.captions.append(lines[index])
        index += 1
    header.body_start = index


def _byline(text: str) -> str | None:
    if ends_sentence(text) or text.endswith(":") or word_count(text) > 14:
        return None
    match = BYLINE.match(text)
    if match:
        return match["who"]
    if NAME_AND_ROLE.match(text):
        return text
    return None


def _is_caption(lines: list[Line], index: int) -> bool:
    text = lines[index].text
    repeated = index + 1 < len(lines) and lines[index + 1].text == text
    short = word_count(text) <= CAPTION_MAX_WORDS and not ends_sentence(text) and not text.endswith(":")
    has_more = index + 1 < len(lines)
    return has_more and bullet_text(text) is None and (repeated or short) and not PUBLISHED.match(text)

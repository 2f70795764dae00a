"""The top of a statement: junk, title and kind, publication date, byline and image captions.

Most pages read `title / Published: date / body`; others carry site junk before the headline (icon alt
texts, widgets, a newsletter prompt, cookie and browser notices), a lead item for another article in place
of the title, an old-site header date, a site section heading and a date before the headline (pages of
other organisations), or start straight with the body. Annual-report pages may have no headline at all:
two blocks, each a heading and a 'From <role> <name>' line. The title is only ever a line the text shows
in the title's place: never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from iwfdb.parse.dates import DateProblem, find_date, is_date_line, parse_date
from iwfdb.parse.names import find_name, leading_name
from iwfdb.parse.shapes import bullet_text, ends_sentence, has_marks, is_sentence, starts_like_heading, word_count
from iwfdb.parse.text import Line
from iwfdb.parse.vocabulary import HONOURS
from iwfdb.records import ParseWarning, RelatedCard

KINDS = ("Statement", "News", "Blog", "Press release", "Press statement", "Media release", "Opinion", "Report")
KIND_PREFIX = re.compile(rf"^(?P<kind>{'|'.join(KINDS)})\s*(?:[-–—]|:)\s*(?P<title>\S.*)$", re.IGNORECASE)
PUBLISHED = re.compile(r"^Published\s*:\s*(?P<date>.*)$", re.IGNORECASE)
# How far into the text the header may reach: junk, a lead item and the title fit well within it.
HEADER_REACH = 12
ICON_WORDS = frozenset(
    "phone search map pin menu close email twitter facebook linkedin instagram youtube icon donate home x".split()
)
# 'By Name, Role', 'Written by: Name', and 'Written by:  By Name, Role' (a label and a redundant 'By').
BYLINE = re.compile(r"^(?:Written by:?\s+(?:By\s+)?|By\s+)(?P<who>\S.*)$")
BYLINE_MAX_WORDS = 14
# 'From our Chair, Baroness Joanna Shields': who wrote one block of an annual report.
FROM_LINE = re.compile(r"^From\s+(?P<who>\S.*)$")
# A speech page's headline, a sentence all the same: 'Remarks by <name>, <role>, at <venue>.'
REMARKS = re.compile(r"^Remarks (?:by|of|from) \S")
# A site's section heading ('Press Releases', 'Speeches') before the page's own headline is this short.
SECTION_HEADING_MAX_WORDS = 3
WIDGET_WORDS = frozenset(
    "share close menu search print download back to top skip jump main content icon follow subscribe".split()
)
# A stock photo's credit printed over the headline: 'iStock 1443562017', 'Getty Images', 'Photo: Alamy'.
STOCK_PHOTO = re.compile(r"\b(?:istock|getty ?images|shutterstock|alamy|adobe ?stock)\b", re.IGNORECASE)
STOCK_PHOTO_MAX_WORDS = 6
# A sponsor's label over a page: 'Supported by', 'In partnership with'; a section's kicker: 'Biz & IT —'.
LABEL_ENDING = re.compile(r"(?:\b(?:by|with)|\s[-–—|:])$", re.IGNORECASE)
LABEL_MAX_WORDS = 4
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
    """Site furniture printed before the headline: icon alt texts, widgets, notices, labels, breadcrumbs."""
    words = [word for word in text.lower().replace(",", " ").split() if word.strip("+•|·-–—")]
    if words and len(words) <= 10 and all(word in ICON_WORDS for word in words):
        return True
    if len(words) <= STOCK_PHOTO_MAX_WORDS and STOCK_PHOTO.search(text):
        return True
    if len(words) <= LABEL_MAX_WORDS and LABEL_ENDING.search(text):
        return True
    if words and len(words) <= 4 and (words[-1] == "icon" or all(word in WIDGET_WORDS for word in words)):
        return True
    lowered = text.lower()
    if "human-readable description" in lowered or _is_notice(lowered, text):
        return True
    return text.rstrip(":").lower() == "iwf news" or (text.startswith("Home") and " > " in text)


def _is_notice(lowered: str, text: str) -> bool:
    """A cookie, COVID-19, browser-support or newsletter notice."""
    if "cookie" in lowered and text.rstrip(".").endswith("Hide"):
        return True
    if ("covid-19" in lowered or "coronavirus" in lowered) and word_count(text) > 12:
        return True
    if "browser" in lowered and any(word in lowered for word in ("update", "upgrade", "support", "out of date")):
        return True
    return "newsletter" in lowered and (lowered.startswith(("sign up", "subscribe")) or "inbox" in lowered)


def read_header(lines: list[Line]) -> Header:
    """The header of a statement, given its non-blank lines."""
    header = Header()
    published_at = _find_published(lines)
    if published_at is not None:
        _read_title_before(lines[:published_at], header)
        _read_date(lines[published_at], _matched(PUBLISHED, lines[published_at].text)["date"], header)
        header.body_start = published_at + 1
    else:
        _read_header_without_published(lines, header)
    _read_byline_and_captions(lines, header)
    if published_at is None and header.published is None:
        header.warnings.append(ParseWarning(lines[0].number, "no 'Published:' line: the date is unknown"))
    return header


def _find_published(lines: list[Line]) -> int | None:
    for index, line in enumerate(lines[:HEADER_REACH]):
        if PUBLISHED.match(line.text):
            return index
    return None


def _read_title_before(before: list[Line], header: Header) -> None:
    candidates = [line for line in before if not is_junk(line.text) and not is_date_line(line.text)]
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
    elif _kind_alone(line.text):
        header.kind = header.title = _kind_alone(line.text)
    else:
        header.title = line.text
    header.title_line = line.number


def _kind_alone(text: str) -> str | None:
    """'Press release': a line that is only a statement's kind."""
    return _canonical_kind(text) if text.lower() in (kind.lower() for kind in KINDS) else None


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
    """Old-site pages (junk, label, header date, breadcrumb), pages of other organisations (a section
    heading, a date, the headline), annual-report pages, and pages that start with the body."""
    index = 0
    while index < min(len(lines), HEADER_REACH):
        line = lines[index]
        if is_date_line(line.text) and header.published is None:
            _read_date(line, line.text, header)
        elif is_junk(line.text):
            pass
        elif header.title is not None and header.kind is None and _kind_alone(line.text):
            header.kind = _kind_alone(line.text)  # 'Press release' under the headline, as the European Parliament
        elif _looks_like_title(line.text, lines, index) and (
            header.title is None or _is_section_heading(lines, index, header)
        ):
            if header.title is not None:
                header.warnings.append(
                    ParseWarning(header.title_line or line.number, f"skipped '{header.title}' before the title")
                )
            _set_title(line, header)
        else:
            break
        index += 1
    header.body_start = index
    _headline_of_blocks(lines, header)
    if header.title is None:
        header.warnings.append(ParseWarning(lines[0].number, "no title: the text starts with the body"))


def _is_section_heading(lines: list[Line], index: int, header: Header) -> bool:
    """Whether the title read so far is a site's section heading ('Press Releases') above this headline."""
    title_index = next(i for i in range(index) if lines[i].number == header.title_line)
    between = lines[title_index + 1 : index]
    kind_alone = header.kind is not None and header.title == header.kind  # 'News' over the headline
    return (
        word_count(header.title or "") <= SECTION_HEADING_MAX_WORDS
        and (header.kind is None or kind_alone)
        and all(is_date_line(line.text) or is_junk(line.text) for line in between)
        and (bool(between) or kind_alone or REMARKS.match(lines[index].text) is not None or _dated(lines, index + 1))
    )


def _dated(lines: list[Line], index: int) -> bool:
    """Whether the line at `index` dates or signs the line above it (a date, 'Published:', a byline): the
    line above is the headline, and a short line above that a section's label or a byline, not the title."""
    if index >= len(lines):
        return False
    text = lines[index].text
    return bool(
        is_date_line(text)
        or PUBLISHED.match(text)
        or _byline(text)
        or (word_count(text) <= BYLINE_MAX_WORDS and not is_sentence(text) and find_date(text))
    )


def _headline_of_blocks(lines: list[Line], header: Header) -> None:
    """A heading over a 'From <role> <name>' line heads one block of a page; with a second such block
    the page has no headline of its own, and the heading goes back to the body."""
    start = header.body_start
    if header.title is None or start >= len(lines) or not _is_from_line(lines[start].text):
        return
    later = any(_is_from_line(line.text) for line in lines[start + 1 :])
    if not later:
        header.byline = _matched(FROM_LINE, lines[start].text)["who"]
        header.body_start = start + 1
        return
    header.warnings.append(
        ParseWarning(
            header.title_line or lines[start].number,
            f"'{header.title[:60]}' heads the first of several blocks, not the page",
        )
    )
    header.body_start = next(i for i in range(start) if lines[i].number == header.title_line)
    header.title = header.kind = header.title_line = None


def _matched(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    """The match of a pattern a line is known to match (the caller found the line by it)."""
    match = pattern.match(text)
    if match is None:
        raise ValueError(f"{pattern.pattern!r} does not match {text!r}")
    return match


def _is_from_line(text: str) -> bool:
    match = FROM_LINE.match(text)
    return (
        match is not None
        and word_count(text) <= BYLINE_MAX_WORDS
        and not ends_sentence(text)
        and (find_name(match["who"].replace(",", " ")) is not None)
    )


def _looks_like_title(text: str, lines: list[Line], index: int) -> bool:
    if KIND_PREFIX.match(text) or REMARKS.match(text):
        return index + 1 < len(lines)
    return (
        index + 1 < len(lines)
        and starts_like_heading(text)
        and not ends_sentence(text)
        and not text.endswith(":")
        and word_count(text) <= 25
        and bullet_text(text) is None
    )


def _read_byline_and_captions(lines: list[Line], header: Header) -> None:
    """A byline right after the date (or the title); short stray lines (image captions, alt text) before
    the first paragraph."""
    index = header.body_start
    if index < len(lines) and header.byline is None and (header.published or header.title):
        index += _read_dated_byline(lines[index], header)
    while index < len(lines) and _is_caption(lines, index):
        if header.published is None and is_date_line(lines[index].text):
            _read_date(lines[index], lines[index].text, header)
        else:
            header.captions.append(lines[index])
        index += 1
    header.body_start = index


def _read_dated_byline(line: Line, header: Header) -> int:
    """Reads a byline, with or without a date ('By Tom Bennett | October 13, 2020', 'Posted on April 21,
    2015 by the editors'); how many lines it took (0 or 1)."""
    dated = find_date(line.text) if word_count(line.text) <= BYLINE_MAX_WORDS and not is_sentence(line.text) else None
    if dated is None:
        header.byline = _byline(line.text)
        return int(header.byline is not None)
    written, rest = dated
    if header.published is None:
        _read_date(line, written, header)
    rest = rest[3:] if rest.casefold().startswith("by ") else rest
    header.byline = _byline(f"By {rest}") if rest else None
    return 1


def _byline(text: str) -> str | None:
    if ends_sentence(text) or text.endswith(":") or has_marks(text) or word_count(text) > BYLINE_MAX_WORDS:
        return None  # 'Name, Role, said: “...' cut off by the end of the text is a quote, not a byline
    match = BYLINE.match(text)
    if match and match["who"][:1].isupper():
        return match["who"]
    return text if _is_name_and_role(text) else None


def _is_name_and_role(text: str) -> bool:
    """'Susie Hargreaves OBE, Chief Executive': a name (and post-nominals), a comma, a capitalised role."""
    name, _, role = text.partition(",")
    words = [word for word in name.split() if word.strip(".") not in HONOURS]
    span = leading_name(words)
    return span is not None and span.start == 0 and span.end == len(words) and role.strip()[:1].isupper()


def _is_caption(lines: list[Line], index: int) -> bool:
    text = lines[index].text
    if _is_from_line(text) or (index + 1 < len(lines) and _is_from_line(lines[index + 1].text)):
        return False  # a block's 'From <role> <name>' line, or the heading above it
    repeated = index + 1 < len(lines) and lines[index + 1].text == text
    short = word_count(text) <= CAPTION_MAX_WORDS and not ends_sentence(text) and not text.endswith(":")
    has_more = index + 1 < len(lines)
    return has_more and bullet_text(text) is None and (repeated or short) and not PUBLISHED.match(text)

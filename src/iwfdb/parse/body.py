"""Paragraphs, and where the body ends and the closing sections (Ends, Notes to editors...) begin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from iwfdb.parse.shapes import bullet_text, ends_sentence, opens_quote
from iwfdb.parse.text import Line
from iwfdb.records import Paragraph, Section

END_MARKERS = frozenset({"ends", "end", "-ends-", "- ends -", "– ends –", "ends."})
CLOSING_HEADINGS = frozenset(
    {
        "notes to editors",
        "note to editors",
        "notes for editors",
        "editor's notes",
        "editors' notes",
        "editors notes",
        "contact",
        "contacts",
        "media contact",
        "media contacts",
        "press contact",
        "media enquiries",
        "for media enquiries",
        "press enquiries",
        "press office",
        "what we do",
        "about the internet watch foundation",
        "about the iwf",
        "about iwf",
        "about us",
        "tags",
        "notes",
    }
)
INLINE_HEADING = re.compile(
    r"^(?P<heading>Contacts?|Media contacts?|Press contact|(?:For )?media enquiries|Press enquiries|"
    r"Notes? to editors)\s*:\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
LONGEST_HEADING = max(map(len, CLOSING_HEADINGS)) + 1
INLINE_HEADING_INITIALS = "CcMmPpFfNn"
# A line that carries on the previous one: it starts in lower case, or the previous one stopped mid-clause.
CONTINUATION_MARKS = ",;–-("
CONTINUATION_WORDS = frozenset("and or the of to a an in for with by on at".split())


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    rest: str | None  # what follows the colon on the same line ('Contact: Jo Bloggs on 01223 ...')


def heading_of(text: str) -> Heading | None:
    """The closing-section heading a line is ('Notes to editors:', 'Contact: ...'), else None."""
    if len(text) > LONGEST_HEADING and text[:1] not in INLINE_HEADING_INITIALS:
        return None
    key = text.rstrip(":").strip().lower()
    if key in CLOSING_HEADINGS:
        return Heading(text.rstrip(":").strip(), None)
    match = INLINE_HEADING.match(text)
    return Heading(match["heading"], match["rest"]) if match else None


def is_end_marker(text: str) -> bool:
    return text.strip().lower() in END_MARKERS


def is_closing(text: str) -> bool:
    return is_end_marker(text) or heading_of(text) is not None


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Paragraphs: lines between blank lines, joined only where a line evidently carries on the last one.

    Files of the no-blank-line family put each paragraph on one line, and headings, bullets and card
    lines stand alone, so a line is a paragraph of its own unless it continues a clause.
    """
    found: list[Paragraph] = []
    current: list[Line] = []
    for line in _with_list_items(lines):
        if current and line.text and _continues(current[-1].text, line.text):
            current.append(line)
            continue
        if current:
            found.append(Paragraph(" ".join(part.text for part in current), current[0].number))
        current = [line] if line.text else []
    if current:
        found.append(Paragraph(" ".join(part.text for part in current), current[0].number))
    return found


def _with_list_items(lines: list[Line]) -> Iterator[Line]:
    """Lines with one form of bullet; old-site list items, indented under a lead-in ending in ':' with no
    bullet of their own ('such as:' then '    search engines'), get one too."""
    lead_in: int | None = None  # the lead-in's indent, while its items follow
    for line in lines:
        if not line.text:
            yield line
        elif lead_in is not None and line.indent > lead_in and not opens_quote(line.text):
            yield Line(line.number, f"• {bullet_text(line.text) or line.text}", line.indent)
        else:
            lead_in = line.indent if line.text.endswith(":") else None
            yield _with_plain_bullet(line)


def _with_plain_bullet(line: Line) -> Line:
    """Bullets are written '•', '-', or 'o' and three spaces; the archive keeps one form: '• item'."""
    item = bullet_text(line.text)
    return Line(line.number, f"• {item}") if item is not None else line


def _continues(previous: str, text: str) -> bool:
    carries_on = (
        text[:1].islower()
        or previous[-1:] in CONTINUATION_MARKS
        or (previous.rpartition(" ")[2].lower() in CONTINUATION_WORDS)
    )
    return carries_on and not (
        bullet_text(text) is not None or is_closing(text) or is_closing(previous) or ends_sentence(previous)
    )


def split_closing(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The body, and the closing part that starts at the first 'Ends' or closing-section heading."""
    for index, paragraph in enumerate(paras):
        if is_closing(paragraph.text):
            return paras[:index], paras[index:]
    return paras, []


def read_sections(closing: list[Paragraph]) -> list[Section]:
    """Closing sections by heading; text after 'Ends' with no heading of its own is kept as 'Notes'."""
    sections: list[Section] = []
    heading: str | None = None
    start = 0
    texts: list[str] = []

    def flush() -> None:
        if heading is not None:
            sections.append(Section(heading=heading, text="\n".join(texts), line=start))

    for paragraph in closing:
        found = heading_of(paragraph.text)
        if found or is_end_marker(paragraph.text):
            flush()
            heading = found.text if found else None
            start, texts = paragraph.line, ([found.rest] if found and found.rest else [])
        else:
            if heading is None:
                heading, start = "Notes", paragraph.line
            texts.append(paragraph.text)
    flush()
    return sections

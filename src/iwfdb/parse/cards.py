"""Related-statement cards at the end of a page: title, the title again, a summary, 'date kind'.

Cards are read backwards from the end of the text, where they always stand: a chain of date lines, each
with its title and summary before it. What trails the last date line is a card the crawl cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from iwfdb.parse.dates import looks_like_cut_date, match_card_date
from iwfdb.parse.text import Line
from iwfdb.records import ParseWarning, RelatedCard

# A card holds at most these lines before its date line: title, repeated title, summary.
CARD_LINES = 3
# A link's label printed in a card, before its date line: 'Read the full article at Mashable.'
LINK_LABEL = re.compile(r"^(?:Read (?:the full (?:article|story|report)|more|here)|Listen (?:again|here)|Watch)\b")


@dataclass
class Cards:
    cards: list[RelatedCard] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    start: int = 0  # index, in the lines given, of the first card line (len(lines) when there are none)


def read_cards(lines: list[Line]) -> Cards:
    """The cards at the end of the given non-blank lines (the text after the header)."""
    dated = [index for index, line in enumerate(lines) if match_card_date(line.text)]
    found = Cards(start=len(lines))
    end = len(lines)
    trailing = _cut_off_card(lines, dated[-1] + 1 if dated else None)
    if trailing is not None:
        card, start = trailing
        found.cards.append(card)
        found.warnings.append(ParseWarning(card.line, f"related card '{card.title[:60]}' is cut off"))
        found.start = end = start
    for date_index in reversed(dated):
        if date_index != end - 1:  # cards follow each other to the end; a date line elsewhere is text
            break
        card_start = _card_start(lines, date_index)
        if card_start is None:
            break
        found.cards.append(_card(lines[card_start:date_index], lines[date_index]))
        found.start = end = card_start
    found.cards.reverse()
    return found


def _cut_off_card(lines: list[Line], after_last_date: int | None) -> tuple[RelatedCard, int] | None:
    """A card the crawl stopped in: the lines after the last date line, or a repeated title near the end."""
    if after_last_date is not None:
        tail = lines[after_last_date:]
        if not tail or len(tail) > CARD_LINES + 1:
            return None
        start = after_last_date
    else:
        repeated = _repeated_title_near_end(lines)
        if repeated is None:
            return None
        start, tail = repeated, lines[repeated:]
    cut_date = tail[-1] if len(tail) > 1 and looks_like_cut_date(tail[-1].text) else None
    parts = tail[:-1] if cut_date else tail
    if len(parts) > CARD_LINES:
        return None
    title, summary = _title_and_summary(parts)
    return RelatedCard(title=title.text, summary=summary, date=None, kind=None, line=title.number), start


def _repeated_title_near_end(lines: list[Line]) -> int | None:
    for start in range(max(0, len(lines) - CARD_LINES), len(lines) - 1):
        if lines[start].text == lines[start + 1].text:
            return start
    return None


def _card_start(lines: list[Line], date_index: int) -> int | None:
    """Where the card ending at this date line begins: 'title, title, summary' or 'title, summary', and
    perhaps a link's label before the date line."""
    if date_index >= 1 and LINK_LABEL.match(lines[date_index - 1].text):
        date_index -= 1
    if date_index >= 3 and lines[date_index - 3].text == lines[date_index - 2].text:
        return date_index - 3
    if date_index >= 2:
        return date_index - 2
    return None


def _title_and_summary(parts: list[Line]) -> tuple[Line, str | None]:
    title = parts[0]
    rest = parts[2:] if len(parts) > 1 and parts[1].text == title.text else parts[1:]
    return title, (" ".join(line.text for line in rest) or None)


def _card(parts: list[Line], date_line: Line) -> RelatedCard:
    if parts and LINK_LABEL.match(parts[-1].text):
        parts = parts[:-1]
    title, summary = _title_and_summary(parts)
    when, kind = match_card_date(date_line.text) or (None, None)  # a date line: it always matches
    return RelatedCard(title=title.text, summary=summary, date=when, kind=kind, line=title.number)

"""Quotes in the body: attribution then quote, both in one paragraph, or quote first and 'said X' after.

A quote may run over several paragraphs: each reopens with a mark and only the last one closes (a middle
paragraph sometimes has no marks at all). Marks are often mismatched, so any mark at the end of a
paragraph closes it. A paragraph that opens with a mark but has no attribution is not taken as a quote:
scare quotes and quoted titles are not speech.
"""

from __future__ import annotations

import re

from iwfdb.parse.shapes import ALL_MARKS, closes_quote, has_marks, opens_quote, strip_marks
from iwfdb.parse.speakers import PRONOUNS, Speaker, SpeakerMemory, is_short_name, read_speaker
from iwfdb.records import Paragraph, ParseWarning, Quote

VERBS = (
    r"said|says|added|adds|replied|replies|told|tells|asked|asks|continued|continues|reads|explained|explains|"
    r"commented|comments|stated|states|warned|warns|urged|urges|noted|notes|concluded|responded|wrote|writes|"
    r"insisted|insists|went on"
)
WHO = r"(?P<who>[^“”\"]{1,160}?)"
TAIL = r"(?P<tail>(?:\s+[^:“”\"]{1,60}?)?)"
ATTRIBUTION_ONLY = re.compile(rf"^{WHO},?\s+(?:{VERBS})\b{TAIL}\s*:$")
ACCORDING_TO_ONLY = re.compile(r"^(?P<who>According to [^:“”\"]{1,120}):$", re.IGNORECASE)
INLINE = re.compile(rf"^{WHO},?\s+(?:{VERBS})\b{TAIL}\s*[:,]\s*(?P<quote>[“\"‘].*)$")
ACCORDING_TO_INLINE = re.compile(r"^(?P<who>According to [^,:“”\"]{1,120})[,:]\s*(?P<quote>[“\"‘].*)$", re.IGNORECASE)
# After a closing mark: ', said Ms X.' / ' Ms X said.' / ' she added, ...'
TRAILING = re.compile(
    rf"^\s*,?\s*(?:(?:{VERBS})\s+(?P<who_after>[^“”\".]{{1,120}})|(?P<who_before>[^“”\".,]{{1,80}}?)\s+(?:{VERBS}))"
    r"\b[^“”\"]{0,160}$"
)
# Between two parts of one quote: '“We will not stop,” she said. “We will never stop.”'
MIDDLE = re.compile(
    rf"\s*,?\s*(?:(?:{VERBS})\s+(?P<who_after>[^“”\".]{{1,80}}?)|(?P<who_before>[^“”\".,]{{1,80}}?)\s+(?:{VERBS}))"
    r"\s*[.,:]\s*(?=[“\"‘])"
)
TRAILING_REACH = 200
MAX_WHO_WORDS = 20
# How far back 'She said:' or 'Ms McNally said:' looks for the person meant: far enough for any real
# statement, and a bound that keeps a file of a hundred thousand quotes linear.
LOOK_BACK = 40


def read_quotes(paras: list[Paragraph]) -> tuple[list[Quote], list[ParseWarning]]:
    """Every attributed quote in the body paragraphs, with speakers resolved in reading order."""
    reader = _QuoteReader(paras)
    index = 0
    while index < len(paras):
        index = reader.read_at(index)
    return reader.quotes, reader.warnings


class _QuoteReader:
    def __init__(self, paras: list[Paragraph]) -> None:
        self.paras = paras
        self.memory = SpeakerMemory()
        self.quotes: list[Quote] = []
        self.warnings: list[ParseWarning] = []

    def read_at(self, index: int) -> int:
        """Reads a quote starting at paragraph `index` if there is one; returns the next index to look at."""
        text = self.paras[index].text
        if not text.endswith(":") and not has_marks(text):  # cheap test first: most paragraphs are neither
            return index + 1
        match = text.endswith(":") and (ATTRIBUTION_ONLY.match(text) or ACCORDING_TO_ONLY.match(text))
        if match and index + 1 < len(self.paras) and opens_quote(self.paras[index + 1].text):
            if _plausible(match["who"]):
                texts, end, _ = self._collect(index + 1, self.paras[index + 1].text)
                self._add(match["who"], text, texts, self.paras[index + 1].line, index)
                return end
        match = INLINE.match(text) or ACCORDING_TO_INLINE.match(text)
        if match and _plausible(match["who"]):
            texts, end, _ = self._collect(index, match["quote"])
            self._add(match["who"], text[: match.start("quote")].strip(), texts, self.paras[index].line, index)
            return end
        if opens_quote(text):
            middle = _middle_attribution(text)
            if middle:
                quoted, who, attribution, rest = middle
                texts, end, _ = self._collect(index, rest)
                texts[0] = f"{quoted.strip(ALL_MARKS)} {texts[0]}"
                self._add(who, attribution, texts, self.paras[index].line, index)
                return end
            texts, end, trailing = self._collect(index, text)
            if trailing:
                who, attribution = trailing
                self._add(who, attribution, texts, self.paras[index].line, index)
                return end
        return index + 1

    def _collect(self, index: int, first: str) -> tuple[list[str], int, tuple[str, str] | None]:
        """The paragraphs of one quote from `index` on: (texts, next index, trailing (who, attribution))."""
        texts: list[str] = []
        text = first
        while True:
            trailing = _trailing_attribution(text)
            if trailing:
                quoted, who, attribution = trailing
                texts.append(strip_marks(quoted))
                return texts, index + 1, (who, attribution)
            texts.append(strip_marks(text))
            if closes_quote(text):
                return texts, index + 1, None
            following = [p.text for p in self.paras[index + 1 : index + 3]]
            if following and opens_quote(following[0]):
                index, text = index + 1, following[0]
            elif len(following) == 2 and not has_marks(following[0]) and opens_quote(following[1]):
                index, text = index + 1, following[0]
            else:
                if index + 1 >= len(self.paras):
                    self.warnings.append(
                        ParseWarning(self.paras[index].line, "quote is not closed: the text may be cut off")
                    )
                return texts, index + 1, None

    def _add(self, who: str, attribution: str, texts: list[str], line: int, index: int) -> None:
        speaker = self._resolve(read_speaker(who) if who.lower() not in PRONOUNS else None, who, line, index)
        self.memory.remember(speaker)
        self.quotes.append(
            Quote(
                speaker=speaker.name,
                speaker_kind=speaker.kind,
                role=speaker.role,
                honours=speaker.honours,
                text="\n\n".join(part for part in texts if part),
                line=line,
                attribution=attribution,
            )
        )

    def _resolve(self, speaker: Speaker | None, who: str, line: int, index: int) -> Speaker:
        before = [p.text for p in self.paras[max(0, index - LOOK_BACK) : index]]
        if speaker is None:
            name = self.memory.resolve_pronoun(who, before)
            if name is None:
                self.warnings.append(ParseWarning(line, f"'{who}' refers to no one named before: speaker unknown"))
                return Speaker(None, "unknown")
            return Speaker(name, "group" if " and " in name else "person")
        if speaker.kind == "person" and is_short_name(speaker.name):
            return Speaker(self.memory.resolve_short(speaker.name, before), "person", speaker.role, speaker.honours)
        return speaker


def _plausible(who: str) -> bool:
    return len(who.split()) <= MAX_WHO_WORDS


def _middle_attribution(text: str) -> tuple[str, str, str, str] | None:
    """('“We will not stop,”', who, attribution, '“We will never stop.”') for '“...,” she said. “...”'."""
    for mark in re.finditer(r"[”\"“]", text[1:TRAILING_REACH]):
        end = mark.end() + 1
        match = MIDDLE.match(text, end)
        if match:
            who = match["who_after"] or match["who_before"]
            if _plausible(who):
                return text[:end], who.strip(), match.group(0).strip(" ,.:"), text[match.end() :]
    return None


def _trailing_attribution(text: str) -> tuple[str, str, str] | None:
    """('“quoted,”', who, attribution) when a paragraph ends with '..., said Ms X.' after its quote."""
    start = max(0, len(text) - TRAILING_REACH)
    for mark in re.finditer(r"[”\"’“]", text[start:]):
        end = start + mark.end()
        match = TRAILING.match(text[end:])
        if match and end > 1:
            who = match["who_after"] or match["who_before"]
            if _plausible(who):
                return text[:end], who.strip(), text[end:].strip(" ,")
    return None

"""Quotes in the body: attribution then quote, both in one paragraph, or quote first and 'said X' after.

A quote may run over several paragraphs: each reopens with a mark and only the last one closes (a middle
paragraph sometimes has no marks at all). Marks are often mismatched, so any mark at the end of a
paragraph closes it; two single marks stand for a double one (‘’...’’). A paragraph that opens with a
mark but has no attribution is not taken as a quote: scare quotes and quoted titles are not speech. A
few words quoted inside a sentence are a quote when the sentence says who said them ('Jane Doe called
it “a landmark moment” for children').
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from iwfdb.parse.bodies import is_document
from iwfdb.parse.names import mentions_in
from iwfdb.parse.shapes import ALL_MARKS, closes_quote, has_marks, opens_quote, strip_marks
from iwfdb.parse.speakers import UNKNOWN, Speaker, SpeakerMemory, is_short_name, read_speaker
from iwfdb.parse.vocabulary import ABBREVIATIONS, PRONOUNS
from iwfdb.records import Paragraph, ParseWarning, Quote

VERBS = (
    r"said|says|added|adds|replied|replies|told|tells|asked|asks|continued|continues|reads|explained|explains|"
    r"commented|comments|stated|states|warned|warns|urged|urges|noted|notes|concluded|responded|wrote|writes|"
    r"insisted|insists|went on|"
    # German, French, Spanish, Italian and Polish pages: 'sagte Anna Müller', '«...», a déclaré Marie Curie'.
    r"sagte|sagt|erklärte|erklärt|betonte|betont|fügte hinzu|a déclaré|a dit|a expliqué|a ajouté|déclare|"
    r"explique|ajoute|dijo|afirmó|explicó|señaló|añadió|ha detto|ha dichiarato|powiedział|powiedziała"
)
# Verbs that carry on what the last speaker said: 'She added:', 'The statement continued:'.
CONTINUING = re.compile(r"\b(?:added|adds|continued|continues|went on|fügte hinzu|a ajouté|añadió)\b")
# Marks that open a quote in the languages of European pages, beside those of English ones.
OPENING = '“"‘„«‚'
# Anything but a double quote mark, in a speaker's words.
NOT_MARK = '[^“”"„«»]'
# Two ministers with their long titles ('Minister for Safeguarding and Violence Against Women and Girls
# Jess Phillips and ...') take some 200 characters and 30 words.
WHO = rf"(?P<who>{NOT_MARK}{{1,240}}?)"
TAIL = r"(?P<tail>(?:\s+[^:“”\"„«»]{1,60}?)?)"
# 'Name, Role said', 'Name, Role, said' and, with the space lost, 'Name, Executive,said'.
BEFORE_VERB = r"(?:\s*,\s*|\s+)"
ATTRIBUTION_ONLY = re.compile(rf"^{WHO}{BEFORE_VERB}(?:{VERBS})\b{TAIL}\s*:$")
ACCORDING = r"(?:According to|Selon|Laut|Según|Secondo)"
ACCORDING_TO_ONLY = re.compile(rf"^(?P<who>{ACCORDING} [^:“”\"„«»]{{1,120}}):$", re.IGNORECASE)
INLINE = re.compile(rf"^{WHO}{BEFORE_VERB}(?:{VERBS})\b{TAIL}\s*[:,]\s*(?P<quote>[{OPENING}].*)$")
# 'Name,Role, Organisation‘’Quote...': no verb, no colon, the mark glued to the attribution.
GLUED = re.compile(r"^(?P<who>[^“”\"‘’:„«»]{3,160}?[^\s“”\"‘’:„«»])(?P<quote>[“].*)$")
# Quoted words inside a sentence, and the words before them in that sentence.
PARTIAL_SPAN = re.compile(r"[“\"](?P<quote>[^“”\"]{1,100})[”\"]")
PARTIAL_WHO = re.compile(rf"^(?P<who>[^“”\"]{{1,120}}?)\s+(?:{VERBS}|described|calls|called|branded)\b")
PARTIAL_WORDS = (3, 12)
DOUBLED_SINGLE_MARKS = (("‘’", "“"), ("‘‘", "“"), ("’’", "”"))
ACCORDING_TO_INLINE = re.compile(
    rf"^(?P<who>{ACCORDING} [^,:“”\"„«»]{{1,120}})[,:]\s*(?P<quote>[{OPENING}].*)$", re.IGNORECASE
)
# A speaker's words after the quote, where a full stop may follow an abbreviation: 'explains Dr. Shadlen'.
AFTER_ABBREVIATION = "|".join(rf"(?<=\b{word.capitalize()})" for word in sorted(ABBREVIATIONS))
SPOKEN_BY = rf"(?:[^“”\"„«».]|(?:{AFTER_ABBREVIATION})\.)"
# After a closing mark: ', said Ms X.' / ' Ms X said.' / ' she added, ...'
TRAILING = re.compile(
    rf"^\s*,?\s*(?:(?:{VERBS})\s+(?P<who_after>{SPOKEN_BY}{{1,120}})|(?P<who_before>{SPOKEN_BY}{{1,80}}?)\s+(?:{VERBS}))"
    r"\b[^“”\"„«»]{0,160}$"
)
# Between two parts of one quote: '“We will not stop,” she said. “We will never stop.”'
MIDDLE = re.compile(
    rf"\s*,?\s*(?:(?:{VERBS})\s+(?P<who_after>{SPOKEN_BY}{{1,80}}?)|(?P<who_before>{SPOKEN_BY}{{1,80}}?)\s+(?:{VERBS}))"
    rf"\s*[.,:]\s*(?=[{OPENING}])"
)
TRAILING_REACH = 200
MAX_WHO_WORDS = 36
# How far back 'She said:' or 'Ms McNally said:' looks for the person meant: far enough for any real
# statement, and a bound that keeps a file of a hundred thousand quotes linear.
LOOK_BACK = 40


def read_quotes(paras: list[Paragraph]) -> tuple[list[Quote], list[ParseWarning]]:
    """Every attributed quote in the body paragraphs, with speakers resolved in reading order."""
    reader = _QuoteReader([Paragraph(_with_double_marks(p.text), p.line) for p in paras])
    index = 0
    while index < len(reader.paras):
        index = reader.read_at(index)
    return reader.quotes, reader.warnings


def _with_double_marks(text: str) -> str:
    """‘’Quote’’ (two single marks for one double mark) as “Quote”, so that one set of rules reads both."""
    if "‘" in text or "’’" in text:
        for doubled, single in DOUBLED_SINGLE_MARKS:
            text = text.replace(doubled, single)
    return text


class _QuoteReader:
    def __init__(self, paras: list[Paragraph]) -> None:
        self.paras = paras
        self.memory = SpeakerMemory()
        self.quotes: list[Quote] = []
        self.warnings: list[ParseWarning] = []
        self.names: dict[int, list[tuple[str, bool]]] = {}
        # Paragraphs before this index were walked as one quote that no one was said to speak: walking them
        # again from each of them would find the same nothing (and cost quadratic time on unclosed marks).
        self.unattributed_until = 0

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
        match = INLINE.match(text) or ACCORDING_TO_INLINE.match(text) or self._glued(text)
        if match and _plausible(match["who"]):
            texts, end, _ = self._collect(index, match["quote"])
            self._add(match["who"], text[: match.start("quote")].strip(), texts, self.paras[index].line, index)
            return end
        if opens_quote(text):
            return self._read_opening_quote(index, text)
        self._read_partials(index, text)
        return index + 1

    def _read_opening_quote(self, index: int, text: str) -> int:
        """'“...,” she said. “...”' or '“...,” said Ms X.': a quote first, its attribution inside or after it."""
        middle = _middle_attribution(text)
        if middle:
            quoted, who, attribution, rest = middle
            texts, end, _ = self._collect(index, rest)
            texts[0] = f"{quoted.strip(ALL_MARKS)} {texts[0]}"
            self._add(who, attribution, texts, self.paras[index].line, index)
            return end
        if index < self.unattributed_until:
            return index + 1
        texts, end, trailing = self._collect(index, text)
        if trailing:
            who, attribution = trailing
            self._add(who, attribution, texts, self.paras[index].line, index)
            return end
        self.unattributed_until = end
        return index + 1

    def _glued(self, text: str) -> re.Match[str] | None:
        """'Name,Role, Organisation“Quote': taken only when the words before the mark name a person."""
        match = GLUED.match(text) if "“" in text[:200] else None
        if match and "," in match["who"] and read_speaker(match["who"]).kind == "person":
            return match
        return None

    def _read_partials(self, index: int, text: str) -> None:
        """'Jane Doe called it “a landmark moment for children”': a few words quoted inside a sentence."""
        for span in PARTIAL_SPAN.finditer(text):
            words = len(span["quote"].split())
            if not PARTIAL_WORDS[0] <= words <= PARTIAL_WORDS[1]:
                continue
            sentence = _sentence_before(text, span.start())
            match = PARTIAL_WHO.match(sentence)
            if match and _plausible(match["who"]):
                speaker = self._speaker_of(match["who"], self.paras[index].line, index)
                if speaker.kind in ("person", "group", "organisation"):
                    self._append(speaker, sentence.strip(), [strip_marks(span.group(0))], self.paras[index].line)

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
        continuing = CONTINUING.search(attribution) is not None
        speaker = self._speaker_of(who, line, index, continuing)
        if continuing and speaker is UNKNOWN and self.quotes and is_document(who.strip()):
            speaker = self.memory.last_speaker or UNKNOWN  # 'They said: ...' then 'The statement continued: ...'
        self._append(speaker, attribution, texts, line)

    def _append(self, speaker: Speaker, attribution: str, texts: list[str], line: int) -> None:
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

    def _speaker_of(self, who: str, line: int, index: int, continuing: bool = False) -> Speaker:
        """The speaker `who` names, pronouns and short names resolved against what the text said before."""
        if who.strip().casefold() in PRONOUNS:
            speaker, problem = self.memory.resolve_pronoun(who.strip(), self._named_before(index), continuing)
            if speaker is None:
                self.warnings.append(
                    ParseWarning(line, problem or f"'{who}' refers to no one named before: speaker unknown")
                )
                return UNKNOWN
        else:
            speaker = read_speaker(who)
        if speaker.kind == "person" and speaker.name and is_short_name(speaker.name):
            full, problem = self.memory.resolve_short(speaker.name, self._named_before(index))
            if full is None:
                self.warnings.append(ParseWarning(line, problem or f"'{speaker.name}': speaker unknown"))
                return UNKNOWN
            return Speaker(full, "person", speaker.role, speaker.honours)
        return speaker

    def _named_before(self, index: int) -> Iterator[list[tuple[str, bool]]]:
        """The names each paragraph before `index` holds, whether each is a person's, nearest first (each
        paragraph read once)."""
        for before in range(index - 1, max(-1, index - LOOK_BACK - 1), -1):
            if before not in self.names:
                self.names[before] = mentions_in(self.paras[before].text)
            yield self.names[before]


def _sentence_before(text: str, end: int) -> str:
    """The sentence that `text[end]` stands in, up to `end` (at most TRAILING_REACH characters back)."""
    window = text[max(0, end - TRAILING_REACH) : end]
    cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
    return window[cut + 2 :] if cut >= 0 else window


def _plausible(who: str) -> bool:
    return len(who.split()) <= MAX_WHO_WORDS


def _middle_attribution(text: str) -> tuple[str, str, str, str] | None:
    """('“We will not stop,”', who, attribution, '“We will never stop.”') for '“...,” she said. “...”'."""
    for mark in re.finditer(r"[”\"“»]", text[1:TRAILING_REACH]):
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
    for mark in re.finditer(r"[”\"’“»‘]", text[start:]):
        end = start + mark.end()
        match = TRAILING.match(text[end:])
        if match and end > 1:
            who = match["who_after"] or match["who_before"]
            if _plausible(who):
                return text[:end], who.strip(), text[end:].strip(" ,")
    return None

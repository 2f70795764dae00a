"""Web addresses in a statement's text: 'https://...', 'www.iwf.org.uk', and bare 'iwf.org.uk'."""

from __future__ import annotations

import bisect
import re

from iwfdb.records import Link, Paragraph

URL = re.compile(
    r"https?://[^\s<>\"“”]+"
    r"|\bwww\.[^\s<>\"“”]+"
    r"|(?<![@\w.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:org\.uk|co\.uk|gov\.uk|ac\.uk|com|org|net|eu|int)\b"
    r"(?:/[^\s<>\"“”]*)?",
    re.IGNORECASE,
)
# Substrings every address has one of: a plain `in` test is far cheaper than running URL on every paragraph.
ADDRESS_HINTS = ("://", "www.", "WWW.", ".uk", ".com", ".org", ".net", ".eu", ".int")
TRAILING_PUNCTUATION = ".,;:!?)]’”'"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def read_links(paras: list[Paragraph]) -> list[Link]:
    """Each distinct address once, with the sentence it stands in and the line of its first mention."""
    links: list[Link] = []
    seen: set[str] = set()
    whole = "\n".join(paragraph.text for paragraph in paras)
    hints = [hint for hint in ADDRESS_HINTS if hint in whole]
    for paragraph in paras if hints else ():
        if not any(hint in paragraph.text for hint in hints):
            continue
        sentences = _Sentences(paragraph.text)
        for match in URL.finditer(paragraph.text):
            url = match.group(0).rstrip(TRAILING_PUNCTUATION)
            if url.casefold() not in seen and "." in url:
                seen.add(url.casefold())
                links.append(Link(url=url, text=sentences.around(match.start()), line=paragraph.line))
    return links


class _Sentences:
    """A paragraph's sentence boundaries, found once: a paragraph of many addresses and many sentences
    looked for each address's sentence from the start (16,000 addresses: 40 s; now a bisection each)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks: list[tuple[int, int]] | None = None  # (end of a sentence, start of the next)

    def around(self, position: int) -> str:
        if self.breaks is None:
            self.breaks = [(found.start(), found.end()) for found in SENTENCE.finditer(self.text)]
        after = bisect.bisect_right(self.breaks, position, key=lambda item: item[1])
        start = self.breaks[after - 1][1] if after else 0
        end = self.breaks[after][0] if after < len(self.breaks) else len(self.text)
        return self.text[start:end].strip()

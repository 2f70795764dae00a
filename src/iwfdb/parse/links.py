"""Web addresses in a statement's text: 'https://...', 'www.iwf.org.uk', and bare 'iwf.org.uk'."""

from __future__ import annotations

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
        for match in URL.finditer(paragraph.text):
            url = match.group(0).rstrip(TRAILING_PUNCTUATION)
            if url.casefold() not in seen and "." in url:
                seen.add(url.casefold())
                links.append(Link(url=url, text=_sentence_around(paragraph.text, match.start()), line=paragraph.line))
    return links


def _sentence_around(text: str, position: int) -> str:
    start = 0
    for boundary in SENTENCE.finditer(text):
        if boundary.end() > position:
            return text[start : boundary.start()].strip()
        start = boundary.end()
    return text[start:].strip()

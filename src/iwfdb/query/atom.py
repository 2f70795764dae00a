"""Atom 1.0 documents (RFC 4287) from plain records: pure functions, no archive.

Every text from the archive is escaped for XML, and what XML 1.0 cannot carry at all (C0 controls but tab
and line breaks) or what would steer a reader's display (C1 controls, bidirectional overrides, lone
surrogates) is written out as `\\xNN` / `\\uNNNN`, never sent. HTML content (a diff with <ins> and <del>, a
snippet with <b>) is built from escaped text and then escaped once more as Atom's type="html" requires.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape

from iwfdb.records import DiffRun

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# A tag URI's authority and date (RFC 4151): ids stay the same whoever writes the feed, and whenever.
TAG_AUTHORITY = "tag:iwfdb.archive,2026:"
_NOT_FOR_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# Words of unchanged text kept on each side of a change in a diff's HTML; the rest is cut to `…`.
CONTEXT_WORDS = 20
_MARKED = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
_WORDS = re.compile(r"\s*\S+\s*")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str  # a tag URI (see tag())
    title: str
    updated: str  # RFC 3339 date-time
    content_html: str  # HTML, its archive text already escaped (see html_text())
    link: str | None = None
    published: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    entries: tuple[Entry, ...]
    subtitle: str | None = None
    link: str | None = None
    generated_at: str | None = None  # `updated` of a feed with no entries (else the newest entry's)


def tag(*parts: object) -> str:
    """A stable id: `tag:iwfdb.archive,2026:statement/2021-05-12-slug`."""
    return TAG_AUTHORITY + "/".join(str(part) for part in parts)


def timestamp(value: str | None, fallback: str) -> str:
    """An RFC 3339 date-time from an ISO date (`2021-05-12`, midnight UTC) or date-time; `fallback` if None."""
    if not value:
        return fallback
    if len(value) == 10:
        return date.fromisoformat(value).isoformat() + "T00:00:00Z"
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def xml_safe(text: str) -> str:
    """Text that XML can carry and that steers nothing: the offending characters written out."""
    return _NOT_FOR_XML.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def html_text(text: str) -> str:
    """Archive text as HTML: escaped, paragraphs kept as <br> breaks."""
    return escape(xml_safe(text)).replace("\n", "<br>")


def diff_html(runs: Iterable[DiffRun]) -> str:
    """A word-by-word difference as HTML: <del> and <ins> marks, long unchanged stretches cut to `…`."""
    runs = list(runs)
    parts = []
    for index, run in enumerate(runs):
        text = run.text if run.op != "equal" else _context(run.text, index > 0, index < len(runs) - 1)
        parts.append(_MARKED[run.op].format(html_text(text)))
    return "<p>" + "".join(parts) + "</p>"


def _context(text: str, after_change: bool, before_change: bool) -> str:
    words = _WORDS.findall(text)  # each with the spacing after it
    if len(words) <= 2 * CONTEXT_WORDS + 1:
        return text
    head = "".join(words[:CONTEXT_WORDS]) if after_change else ""
    tail = "".join(words[-CONTEXT_WORDS:]) if before_change else ""
    return f"{head}… {tail}"


def atom_document(feed: Feed) -> str:
    """The feed as an Atom 1.0 document, UTF-8 declared."""
    updated = max((entry.updated for entry in feed.entries), default=feed.generated_at or "1970-01-01T00:00:00Z")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NAMESPACE}">',
        f"  <id>{_x(feed.id)}</id>",
        f"  <title>{_x(feed.title)}</title>",
        f"  <updated>{_x(updated)}</updated>",
        "  <author><name>iwfdb</name></author>",
        '  <generator uri="https://pypi.org/project/iwfdb/">iwfdb</generator>',
    ]
    if feed.subtitle:
        lines.append(f"  <subtitle>{_x(feed.subtitle)}</subtitle>")
    if feed.link:
        lines.append(f'  <link rel="alternate" href="{_x(feed.link)}"/>')
    for entry in feed.entries:
        lines += _entry(entry)
    return "\n".join([*lines, "</feed>", ""])


def _entry(entry: Entry) -> list[str]:
    lines = [
        "  <entry>",
        f"    <id>{_x(entry.id)}</id>",
        f"    <title>{_x(entry.title)}</title>",
        f"    <updated>{_x(entry.updated)}</updated>",
    ]
    if entry.published:
        lines.append(f"    <published>{_x(entry.published)}</published>")
    if entry.author:
        lines.append(f"    <author><name>{_x(entry.author)}</name></author>")
    if entry.link:
        lines.append(f'    <link rel="alternate" href="{_x(entry.link)}"/>')
    lines += [f'    <content type="html">{escape(entry.content_html)}</content>', "  </entry>"]
    return lines


def _x(text: str) -> str:
    return escape(xml_safe(text))

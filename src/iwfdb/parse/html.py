"""Statements from web pages: the page's own text through the statement parser, plus what its markup knows.

A text rendering of a page loses what the HTML states in machine form: the page's address, its publisher,
its publication date, and the press contact's e-mail address that Cloudflare hid from scrapers. Here the
main text is rendered the way statement texts look (one block a paragraph, blank lines between), read by
`parse_text` like any text, and then given those facts (see iwfdb.parse.html_meta).

The extraction is ours, on lxml, rather than trafilatura's: a statement's heart is its quotes, contact
block, closing sections and related cards, and a main-text extractor is built to drop what is not the
article. Measured with trafilatura 2.3.1 on tests/fixtures/html/: it drops the seed's related cards and
the empty Tags section, runs the short contacts_multiline page into one line (its paragraphs, and so
its contact lines, lost), gives no source lines, and takes 0.2 s to import. Ours keeps a page's main
region whole, leaving out what is never the statement's (navigation, site header and footer, cookie
banners, share and newsletter widgets, scripts, forms), and knows each block's line in the HTML, so
that every record points at the line of the page it came from, as records of a text file do.

Pure: bytes in, records out; lxml is imported only when a page is parsed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import fields, replace
from urllib.parse import unquote

from iwfdb.errors import ParseError
from iwfdb.parse.cfemail import decode_cfemail, encoded_in_link
from iwfdb.parse.contacts import EMAIL_TOKEN, HIDDEN_EMAIL
from iwfdb.parse.dates import is_date_line
from iwfdb.parse.html_meta import PageFacts, read_page_facts, saved_from
from iwfdb.parse.html_text import content_root, headline_of, prepare_content, text_lines
from iwfdb.parse.statement import parse_text
from iwfdb.parse.text import decode
from iwfdb.records import ParsedFile, ParseWarning, Statement

# A page starts with its doctype or <html>, after a byte-order mark, blank space, an XML declaration or comments.
HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
SNIFF_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
# The encodings the HTML standard reads as windows-1252, whatever the page says.
# Characters a browser never shows and lxml's tree cannot hold: they are left out of the page's text.
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# The text parser's warnings about a title it could not find (the page's markup may state it).
UNKNOWN_TITLE = re.compile(r"^no title|title is unknown")
WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"})
# Codecs Python knows that no web page is written in: `undefined` fails on every byte, the others decode
# escapes, host names or UTF-7 (which browsers refuse). A page that declares one is read as undeclared.
NOT_PAGE_ENCODINGS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7"})


def looks_like_html(data: bytes) -> bool:
    """Whether these bytes are a web page (a doctype or `<html` first), not a statement text."""
    return HTML_START.match(data[:SNIFF_BYTES]) is not None


def parse_html(
    data: bytes, source: str, *, url: str | None = None, charset: str | None = None, publisher: str | None = None
) -> ParsedFile:
    """A web page's statement, with its address (`url`: where it was fetched, if known), publisher and date.

    `charset` is the encoding an HTTP header gave (a WARC record's); else the page's `<meta charset>`,
    else UTF-8. The page's canonical address, when it states one, is the statement's `url`. The publisher
    is the user's (`publisher`), else the page's (`og:site_name`, JSON-LD), else the IWF if the text names it.
    """
    text, warnings = _decode(data, charset, source)
    document, markup_warnings = _document(text, source)
    warnings += markup_warnings + _reveal_emails(document)
    headline = headline_of(document)
    facts = read_page_facts(document, headline, url or saved_from(text))
    root = content_root(document, headline)
    prepare_content(root, headline)
    lines = _from_headline(text_lines(root, headline), facts.headline)
    if not lines:
        raise ParseError(
            "no text: the page's main content is empty (a page that needs JavaScript to show its "
            "text?); expected a statement page",
            source,
        )
    rendered, origins = _rendered(lines)
    try:
        statement = parse_text(rendered, source, publisher=publisher, page=facts)
    except ParseError as error:
        raise ParseError(error.message, source, _origin(origins, error.line or 1)) from None
    statement = _with_facts(_relocated(statement, origins), facts, warnings)
    return ParsedFile(source=source, sha256=hashlib.sha256(data).hexdigest(), size=len(data), statement=statement)


def _decode(data: bytes, charset: str | None, source: str) -> tuple[str, list[ParseWarning]]:
    """The page's text in the encoding it declares (HTTP header, then `<meta charset>`), else UTF-8.

    A declared encoding that no page can be in (a misspelt name, `undefined`, a codec such as base64 or
    unicode_escape) is ignored, as browsers ignore it, with a warning: the page is read as if it declared none.
    """
    declared, line = (charset, 1) if charset else _declared_charset(data)
    warnings: list[ParseWarning] = []
    codec = _codec(declared) if declared else None
    if declared and codec is None:
        warnings.append(
            ParseWarning(
                line, f"the page declares an encoding that is not a web page's: {declared[:40]!r}; read as UTF-8"
            )
        )
    try:
        if codec is None or codec == "utf-8":
            return decode(data), warnings
        return data.decode(codec, errors="strict"), warnings
    except ParseError as error:
        raise error.with_source(source) from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            f"not {declared}, as the page declares: byte 0x{data[error.start]:02X} cannot be "
            "decoded; correct its <meta charset>",
            source,
            line,
        ) from None


def _declared_charset(data: bytes) -> tuple[str | None, int]:
    """The encoding a `<meta>` declares, and its line."""
    match = DECLARED_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None, 1
    return match.group(1).decode("ascii"), data.count(b"\n", 0, match.start()) + 1


def _codec(declared: str) -> str | None:
    """The Python codec that reads a page declared in this encoding; None when there is none fit for a page."""
    if declared.lower() in WINDOWS_1252_ALIASES:
        return "windows-1252"
    try:
        info = codecs.lookup(declared)
    except LookupError:
        return None
    if info.name in NOT_PAGE_ENCODINGS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _document(text: str, source: str) -> tuple[object, list[ParseWarning]]:
    """The page parsed by lxml (comments and processing instructions left out), and what it could not read."""
    from lxml import etree
    from lxml import html as lxml_html

    # huge_tree: without it libxml2 silently drops everything nested deeper than 256 elements.
    text = NOT_XML_CHARACTERS.sub("", text)
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        document = lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(f"not an HTML page that can be read: {error}", source) from None
    if document.find("body") is None:
        raise ParseError("no <body>: not a web page with text; expected a statement page", source)
    too_deep = [entry for entry in parser.error_log if "Excessive depth" in entry.message]
    warnings = [
        ParseWarning(entry.line or 1, "elements nested more than 2,048 deep: what lies deeper is left out")
        for entry in too_deep[:1]
    ]
    return document, warnings


def _reveal_emails(document) -> list[ParseWarning]:
    """Each Cloudflare-protected or mailto address written out in the text, so that the parser reads it."""
    warnings: list[ParseWarning] = []
    for element in list(document.iter()):
        if not isinstance(element.tag, str):
            continue
        href = element.get("href") or ""
        encoded = element.get("data-cfemail")
        if encoded is None and element.tag == "a":
            encoded = encoded_in_link(href)
        if encoded is not None:
            address = decode_cfemail(encoded)
            if address is None:
                message = "an e-mail address hidden by Cloudflare that cannot be decoded: it stays hidden"
                warnings.append(ParseWarning(element.sourceline or 1, message))
            else:
                _show_address(element, address)
        elif element.tag == "a" and href[:7].lower() == "mailto:":
            address = unquote(href[7:].partition("?")[0]).strip()
            if EMAIL_TOKEN.fullmatch(address):
                _show_address(element, address)
    return warnings


def _show_address(element, address: str) -> None:
    """The address in place of the `[email protected]` placeholder, or after the link's words."""
    shown = element.text_content()
    if address in shown:
        return
    if not shown.strip() or HIDDEN_EMAIL.search(shown):
        for child in list(element):
            element.remove(child)
        element.text = address
    elif len(element):
        element[-1].tail = f"{element[-1].tail or ''} {address}"
    else:
        element.text = f"{element.text or ''} {address}"


def _from_headline(lines, headline: str | None):
    """The lines from the page's headline on, with the dates shown above it: a section's label, a kicker, a
    byline, a sponsor's label or a photo caption above the headline is never the title."""
    at = next((index for index, line in enumerate(lines) if line.text == headline), 0) if headline else 0
    return [line for line in lines[:at] if is_date_line(line.text)] + lines[at:]


def _rendered(lines) -> tuple[str, list[int]]:
    """The text of the blocks, a blank line between two blocks, and the HTML line of each text line."""
    parts: list[str] = []
    origins: list[int] = []
    for index, line in enumerate(lines):
        if index and not line.continues:
            parts.append("")
            origins.append(line.origin)
        parts.append(line.text)
        origins.append(line.origin)
    return "\n".join(parts), origins


def _origin(origins: list[int], line: int) -> int:
    """The HTML line a line of the rendered text came from."""
    return origins[min(max(line, 1), len(origins)) - 1]


def _relocated(statement: Statement, origins: list[int]) -> Statement:
    """The statement with every `line` pointing at the page's HTML rather than at the rendered text."""
    changes: dict = {}
    for item in fields(statement):
        value = getattr(statement, item.name)
        if isinstance(value, tuple) and value and hasattr(value[0], "line"):
            changes[item.name] = tuple(replace(part, line=_origin(origins, part.line)) for part in value)
    if statement.title_line is not None:
        changes["title_line"] = _origin(origins, statement.title_line)
    return replace(statement, **changes)


def _still_true(statement: Statement, facts: PageFacts) -> list[ParseWarning]:
    """The text's warnings, less those saying a title or date is unknown that the markup states."""
    return [
        warning
        for warning in statement.warnings
        if not (facts.published and statement.published is None and "date is unknown" in warning.message)
        and not (facts.headline and statement.title is None and UNKNOWN_TITLE.search(warning.message))
    ]


def _same_day_in_utc(shown, facts: PageFacts) -> bool:
    """Whether the date the page shows is the day of the markup's UTC instant in the page's time zone."""
    return bool(shown and facts.published_in_utc and abs((facts.published - shown).days) == 1)


def _with_facts(statement: Statement, facts: PageFacts, warnings: list[ParseWarning]) -> Statement:
    """The statement with what the page states in machine form; the text's title and date where it states none."""
    warnings = [*_still_true(statement, facts), *warnings, *facts.warnings]
    published = statement.published
    if facts.published is not None and not _same_day_in_utc(published, facts):
        if published is not None and published != facts.published:
            said = f"the page's {facts.published_from} says {facts.published}, its text {published}"
            warnings.append(ParseWarning(facts.published_line or 1, f"{said}: the {facts.published_from} is kept"))
        published = facts.published
    title, title_line = statement.title, statement.title_line
    if title is None and facts.headline:
        title, title_line = facts.headline, facts.headline_line
    return replace(
        statement,
        url=facts.url,
        title=title,
        title_line=title_line,
        published=published,
        warnings=tuple(sorted(warnings, key=lambda warning: warning.line)),
    )

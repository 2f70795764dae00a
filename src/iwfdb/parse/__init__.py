"""The statement parser: bytes in, records out. Pure: no files, no database, no clock.

The text is read in the order a person reads a page: header at the top (title, date, byline, captions),
related cards at the bottom, and between them the body and its closing sections (iwfdb.parse.statement); a
web page is first brought to the text of its main content (iwfdb.parse.html). Recoverable oddities become
warnings on the result; a text that is not a statement raises ParseError.
"""

from __future__ import annotations

import hashlib

from iwfdb.errors import ParseError
from iwfdb.parse.html import looks_like_html, parse_html
from iwfdb.parse.statement import parse_text
from iwfdb.parse.text import decode
from iwfdb.records import ParsedFile

__all__ = ["PARSER_VERSION", "parse_bytes", "parse_text"]

# Raised whenever the parser's output for some text changes: `iwfdb load` reads again the files that an
# older parser read, so that an archive follows the parser (see iwfdb.store).
PARSER_VERSION = 3


def parse_bytes(
    data: bytes, source: str, *, url: str | None = None, charset: str | None = None, publisher: str | None = None
) -> ParsedFile:
    """A statement file's bytes (a text, or a web page) as a statement with its provenance (sha256, size).

    `url` and `charset` are what a web archive's record says of a page: where it was fetched, and the encoding
    its HTTP header gave. `publisher` is whose statement it is, when the user says so (see parse_text).
    """
    if looks_like_html(data):
        return parse_html(data, source, url=url, charset=charset, publisher=publisher)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = decode(data)
    except ParseError as error:
        raise error.with_source(source) from None
    statement = parse_text(text, source, publisher=publisher)
    return ParsedFile(source=source, sha256=sha256, size=len(data), statement=statement)

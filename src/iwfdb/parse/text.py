"""From bytes to clean lines: decoding, refusal of what is not text, and whitespace normalisation.

Real renderings carry no-break spaces, tabs, CR or CRLF endings, a byte-order mark and link artefacts;
each line is normalised so that the recognisers downstream see one plain form, while the line numbers
stay those of the file (a user must be able to find what a message points at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iwfdb.errors import ParseError

BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Left behind by links in rendered pages; never part of what the statement says.
LINK_ARTEFACT = re.compile(r"\s*\bOpens in (?:a )?New Window\b", re.IGNORECASE)
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Control characters other than tab, line breaks and form feed: a text file has almost none of them.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str


def decode(data: bytes) -> str:
    """The text of a statement file, or ParseError saying why these bytes are not one."""
    if not data:
        raise ParseError("empty file: expected a statement (a title, 'Published: <date>', then paragraphs)")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise ParseError(
            "binary data (a NUL byte), not a text file: expected a UTF-8 statement text", line=line, column=column
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        raise ParseError(
            f"not UTF-8: byte 0x{data[error.start]:02X} cannot be decoded; expected a UTF-8 text. "
            "Convert the file first (for example: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8)",
            line=line,
            column=column,
        ) from None
    return text.removeprefix(BOM)


def split_lines(text: str) -> list[Line]:
    """Numbered, normalised lines; a blank line has empty text. Refuses text that is binary in disguise."""
    if text.startswith(BOM):
        text = text[1:]
    controls = len(CONTROL.findall(text))
    if controls > max(3, MAX_CONTROL_SHARE * len(text)):
        raise ParseError(f"binary data ({controls} control characters), not a text file: expected a statement text")
    lines = [Line(number, normalise(raw)) for number, raw in enumerate(LINE_BREAK.split(text), start=1)]
    if not any(line.text for line in lines):
        raise ParseError("no text: the file holds only whitespace; expected a statement")
    return lines


def normalise(raw: str) -> str:
    """One line in its plain form: any whitespace run (no-break spaces, tabs) as one space, ends trimmed."""
    raw = LINK_ARTEFACT.sub("", raw.translate(INVISIBLE))
    return " ".join(raw.split())


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1

"""`iwfdb parse`: what would be loaded from each file, without touching a database."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from iwfdb.cli.app import app
from iwfdb.cli.read_views import contact_line
from iwfdb.errors import ParseError, UsageError
from iwfdb.terminal import tell


class ParseFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("parse")
def parse_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Statement texts, web pages or web archives (.warc, .warc.gz).", metavar="FILE..."),
    ],
    output_format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = ParseFormat.text,
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", help="Whose statements these are, for pages that do not say (as `load` takes it)."),
    ] = None,
) -> None:
    """Show what `iwfdb load` would take from each file, without touching a database.

    A web archive gives one statement per HTML page it holds, named `FILE#offset`, with the page's address.
    With --format json: one JSON object per statement (an array when there are several), in the shape docs/parsing.md
    documents. A file that is not a statement prints its error on stderr; the others still print, and the exit
    code is 1.

    Example: iwfdb parse seeds/*.txt crawl.warc.gz --format json
    """
    from iwfdb.render import json_text, visible

    _check_paths(files)
    parsed, failed = _parse_all(files, publisher)
    if output_format is ParseFormat.json:
        if parsed:
            several = len(files) > 1 or len(parsed) > 1
            sys.stdout.write(json_text(parsed if several else parsed[0], indented=True) + "\n")
    elif parsed:
        sys.stdout.write(visible("\n\n".join(_as_text(record) for record in parsed), keep_layout=True) + "\n")
    if failed:
        raise typer.Exit(1)


def _parse_all(files: list[Path], publisher: str | None) -> tuple[list[dict[str, Any]], bool]:
    """Each file's statements as dicts (a web archive's, one per page), and whether any file or page failed."""
    from iwfdb.files import is_web_archive
    from iwfdb.parse import parse_bytes
    from iwfdb.records import parsed_file_to_dict
    from iwfdb.warc import WarcError, read_warc

    parsed: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            if is_web_archive(str(path)):
                failed |= _parse_pages(read_warc(str(path)), publisher, parsed)
            else:
                parsed.append(parsed_file_to_dict(parse_bytes(path.read_bytes(), str(path), publisher=publisher)))
        except (ParseError, WarcError) as error:
            tell(str(error))
            failed |= not _is_no_statement(error)
        except OSError as error:
            tell(f"{path}: cannot read: {error.strerror}")
            failed = True
    return parsed, failed


def _parse_pages(reading, publisher: str | None, parsed: list[dict[str, Any]]) -> bool:
    """The pages of a web archive, as `load` reads them; whether any failed. WarcError when the file cannot be
    read to its end (the pages before the fault are kept)."""
    from iwfdb.parse import parse_bytes
    from iwfdb.records import parsed_file_to_dict

    failed, pages = False, 0
    for pages, page in enumerate(reading, start=1):
        try:
            record = parse_bytes(
                page.payload, page.source, url=page.uri or None, charset=page.charset, publisher=publisher
            )
        except ParseError as error:
            tell(str(error))
            failed |= not _is_no_statement(error)
        else:
            parsed.append(parsed_file_to_dict(record))
    if not pages:
        skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(reading.skipped.items())) or "no record"
        tell(f"{reading.path}: no HTML page in this web archive ({skipped})")
    return failed


def _is_no_statement(error: Exception) -> bool:
    """A page that is no statement (an about page, a listing): `load` counts it apart, not as a failure."""
    from iwfdb.parse.refusal import is_not_a_statement_page

    return isinstance(error, ParseError) and is_not_a_statement_page(error.message)


def _check_paths(files: list[Path]) -> None:
    """Every path names a file, or the command is a usage error (told here, not by Typer, whose message
    would show a file name's control characters raw)."""
    for path in files:
        if path.is_dir():
            raise UsageError(f"{path}: a folder; name the statement files in it")
        if not path.exists():
            raise UsageError(f"{path}: the file does not exist")


def _as_text(record: dict[str, Any]) -> str:
    """A statement for a person's eyes: its fields, then each part with the line it came from."""
    lines = [record["source"]]
    for key in ("title", "kind", "published", "byline", "summary", "publisher", "url"):
        lines.append(f"  {key:<10} {record[key] if record[key] is not None else '-'}")
    lines.append(f"  {'body':<10} {len(record['body'])} paragraphs")
    parts = {
        "quotes": lambda q: (
            f"{q['speaker'] or '(unknown)'}{_in_brackets(q['role'], q['honours'])}: “{_cut(q['text'])}”"
        ),
        "contacts": contact_line,
        "links": lambda link: link["url"],
        "related": lambda card: f"{card['date'] or '?'} {card['kind'] or ''} {card['title']}".replace("  ", " "),
        "sections": lambda section: f"{section['heading']}: {_cut(section['text'])}".rstrip(),
        "warnings": lambda warning: warning["message"],
    }
    for key, describe in parts.items():
        items = record[key]
        lines.append(f"  {key} ({len(items)})")
        lines.extend(f"    {item['line']:>4}  {describe(item)}" for item in items)
    return "\n".join(lines)


def _in_brackets(*values: str | None) -> str:
    shown = ", ".join(value for value in values if value)
    return f" ({shown})" if shown else ""


def _cut(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"

"""`iwfdb sources` and `iwfdb export`: the files the archive was loaded from, and the whole archive for other tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from iwfdb import records
from iwfdb.cli.app import app
from iwfdb.cli.read_cmds import FormatOption, LimitOption, OffsetOption, _archive, _emit, _query


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only the files that failed, with why.")] = False,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
) -> None:
    """List the files (and pages of web archives) loaded into the archive, and what became of each.

    A file that failed is not read again while its bytes and iwfdb's parser stay the same: this is where
    its reason stays.

    Example: iwfdb sources --failed
    """
    wanted = _query().SourceFilter(failed_only=failed, limit=limit, offset=offset)
    with _archive(ctx) as archive:
        page = _query().list_sources(archive, wanted)
    _emit(page, fmt, "failed files" if failed else "files", ("path", "outcome", "error", "last loaded"), lambda r: (
        r.path, r.outcome, r.error, r.last_loaded_at,
    ), records.SourceSummary)


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=False)
    ] = None,
) -> None:
    """Write the whole archive as JSON Lines, one statement a line, as it goes (for other tools).

    Each line has the shape of `iwfdb parse --format json`, after the archive's own keys: id, slug, card_only,
    source (the file it was read from; null for a statement known only from a card) and sha256.

    Example: iwfdb export -o archive.jsonl
    """
    with _archive(ctx) as archive:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for record in _query().export_statements(archive):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()

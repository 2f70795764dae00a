"""`iwfdb sources` and `iwfdb export`: the files the archive was loaded from, and the whole archive for other tools."""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from iwfdb import records
from iwfdb.cli.app import app
from iwfdb.cli.read_cmds import FormatOption, LimitOption, OffsetOption, _archive, _emit
from iwfdb.errors import UsageError


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
    from iwfdb import query

    wanted = query.SourceFilter(failed_only=failed, limit=limit, offset=offset)
    with _archive(ctx) as archive:
        page = query.list_sources(archive, wanted)
    _emit(
        page,
        fmt,
        "failed files" if failed else "files",
        ("path", "outcome", "error", "last loaded"),
        lambda r: (
            r.path,
            r.outcome,
            r.error,
            r.last_loaded_at,
        ),
        records.SourceSummary,
    )


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Write the whole archive as JSON Lines, one statement a line, as it goes (for other tools).

    Each line has the shape of `iwfdb parse --format json`, after the archive's own keys: id, slug, card_only,
    source (the file it was read from; null for a statement known only from a card) and sha256.

    Example: iwfdb export -o archive.jsonl
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        out = open_output(output) if output else sys.stdout
        try:
            for record in query.export_statements(archive):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()


def open_output(path: Path):
    """`path` opened for writing text, or a UsageError that says why it cannot be and what to do."""
    try:
        return path.open("w", encoding="utf-8")
    except IsADirectoryError:
        raise UsageError(f"--output {path} is a folder; give a file's path, e.g. {path / 'archive.jsonl'}") from None
    except FileNotFoundError:
        if path.parent.is_dir():  # /proc, a folder being removed: it is there, but will not take this file
            raise UsageError(f"--output {path} cannot be created in {path.parent}; give another path") from None
        raise UsageError(
            f"--output {path}: the folder {path.parent} does not exist; create it first "
            "or give a path in a folder that does"
        ) from None
    except PermissionError:
        raise UsageError(f"--output {path}: permission denied; give a path in a folder you may write to") from None
    except OSError as error:
        not_a_folder = error.errno == errno.ENOTDIR
        reason = "a part of the path before it is a file, not a folder" if not_a_folder else error.strerror
        raise UsageError(f"--output {path} cannot be written: {reason}") from None

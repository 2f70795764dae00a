"""`iwfdb load`: statement files into the archive. Presentation only; the work is iwfdb.store.load_paths."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import Annotated, Optional

import typer

from iwfdb.cli.app import app
from iwfdb.config import DEFAULT_GLOBS, DEFAULT_MAX_SIZE


@app.command("load")
def load_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str], typer.Argument(help="Statement files, or folders searched recursively.", metavar="PATH")
    ],
    glob: Annotated[
        Optional[list[str]],
        typer.Option("--glob", metavar="PATTERN", help="Which files to take from folders (repeatable; replaces "
                     f"the default {' '.join(DEFAULT_GLOBS)})."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first file that fails.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; failures only.")] = False,
    max_size: Annotated[
        str, typer.Option("--max-size", help="Refuse files larger than this (e.g. 16MB; 0: no limit).")
    ] = f"{DEFAULT_MAX_SIZE // 1024**2}MB",
) -> None:
    """Load statement files into the archive; files already archived are skipped, changed ones updated.

    Exit status: 0 when every file loaded, 1 when any failed, 2 for a usage error.

    Folders give statement texts, web pages and web archives (*.txt *.html *.htm *.warc *.warc.gz);
    each --glob replaces that list, and several may be given: --glob '*.txt' --glob '*.statement'.

    Example: iwfdb load seeds/ --glob '*.txt'
    """
    from iwfdb.db import locate
    from iwfdb.files import parse_size

    database = locate(ctx.obj["db"])
    report = load_with_progress(database, paths, progress=not quiet, summary=not (quiet or as_json),
                                glob=tuple(glob or DEFAULT_GLOBS), strict=strict, max_size=parse_size(max_size))
    if as_json:
        typer.echo(json.dumps({"database": str(database), **report.to_dict()}, indent=2))
    if report.failures:
        raise typer.Exit(1)


def load_with_progress(database, paths, *, progress: bool, summary: bool, **options):
    """`load_paths` with failures on stderr and, at a terminal, a progress bar; then, if asked, its summary on
    stderr. Returns the report (for `iwfdb load` and `iwfdb fetch --load`)."""
    from iwfdb.store import load_paths

    with ExitStack() as stack:
        show = LoadDisplay(stack, progress=progress and sys.stderr.isatty())
        report = load_paths(database, paths, on_start=show.start, on_file=show.file_done, **options)
    if summary:
        typer.echo("\n".join(filter(None, [load_summary(report), skipped_note(report.skipped)])), err=True)
    return report


class LoadDisplay:
    """A progress bar on stderr when it is a terminal; failures as `path:line:col: message` either way."""

    def __init__(self, stack: ExitStack, progress: bool):
        self.bar = None
        self.task = None
        if progress:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = stack.enter_context(Progress(console=Console(stderr=True), transient=True))

    def start(self, total: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("loading", total=total)

    def file_done(self, result) -> None:
        if result.error:
            if self.bar is not None:
                self.bar.console.print(result.error, markup=False, highlight=False)
            else:
                typer.echo(result.error, err=True)
        if self.task is not None:
            self.bar.advance(self.task)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def load_summary(report) -> str:
    files, rows = report.files, report.rows
    lines = [
        f"{_plural(sum(files.values()), 'file')}: {files['new']} new, {files['updated']} updated, "
        f"{files['unchanged']} unchanged, {files['duplicate']} duplicate, {files['failed']} failed",
        f"added {_plural(rows.statements_added, 'statement')}, {_plural(rows.quotes_added, 'quote')}, "
        f"{_plural(rows.contacts_added, 'contact')} ({_plural(rows.phones_added, 'phone')}), "
        f"{_plural(rows.links_added, 'link')}",
    ]
    changed = []
    if rows.statements_completed:
        changed.append(f"completed {_plural(rows.statements_completed, 'statement')} known until now from cards")
    if rows.statements_updated:
        changed.append(f"updated {_plural(rows.statements_updated, 'statement')} "
                       f"(the previous {_plural(rows.revisions_added, 'version')} kept in revisions)")  # fmt: skip
    if changed:
        lines.append("; ".join(changed))
    conflicts = report.conflicts
    if conflicts:
        lines.append(f"{_plural(len(conflicts), 'conflict')} (both texts are kept; see `revisions`):")
        lines += [f"  {conflict}" for conflict in conflicts]
    if report.stopped_early:
        lines.append("stopped at the first failure (--strict)")
    return "\n".join(lines)


def skipped_note(skipped) -> str:
    """`skipped 3: 2 hidden files, 1 editor backup (...)`, or nothing when nothing was skipped."""
    if not skipped:
        return ""
    reasons: dict[str, int] = {}
    for item in skipped:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    counts = ", ".join(_plural(count, reason) for reason, count in reasons.items())
    return f"skipped {counts} (name a file explicitly to load it; --json lists them)"

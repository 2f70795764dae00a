"""`iwfdb load`: statement files into the archive. Presentation only; the work is iwfdb.store.load_paths."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated

import typer

from iwfdb.cli.app import app
from iwfdb.config import DEFAULT_GLOBS, DEFAULT_MAX_SIZE
from iwfdb.interrupts import StopRequest
from iwfdb.render import counted, number
from iwfdb.terminal import tell

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


@app.command("load")
def load_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(help="One or more statement files, or folders searched recursively.", metavar="PATH..."),
    ],
    glob: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            metavar="PATTERN",
            help=f"Which files to take from folders (repeatable; replaces the default {' '.join(DEFAULT_GLOBS)}).",
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", help="Whose statements these are (NSPCC, Ofcom...), when the texts do not say."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first file that fails.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; failures only.")] = False,
    max_size: Annotated[
        str, typer.Option("--max-size", help="Refuse files larger than this (e.g. 16MB; 0: no limit).")
    ] = f"{DEFAULT_MAX_SIZE // 1024**2}MB",
) -> None:
    """Load statement files into the archive; files already archived are skipped, changed ones updated.

    Folders give statement texts, web pages and web archives (*.txt *.html *.htm *.warc *.warc.gz);
    each --glob replaces that list, and several may be given: --glob '*.txt' --glob '*.statement'.

    Exit status: 0 when every file loaded, 1 when any failed, 2 for a usage error, 130 after Ctrl-C
    (143 after SIGTERM): the files committed by then stay, and the same load run again finishes the job.

    Example: iwfdb load seeds/ crawl/2024/ extra.txt --glob '*.txt'
    """
    from iwfdb.db import locate
    from iwfdb.files import parse_size

    report = run_load(
        locate(ctx.obj["db"]),
        paths,
        quiet=quiet,
        as_json=as_json,
        glob=tuple(glob or DEFAULT_GLOBS),
        publisher=publisher,
        strict=strict,
        max_size=parse_size(max_size),
    )
    if report.failures:
        raise typer.Exit(1)


def run_load(database, paths: list[str], *, quiet: bool, as_json: bool, glob: tuple[str, ...], **options):
    """A load as `iwfdb load` and `iwfdb fetch --load` show it: failures as they come, a progress bar at a
    terminal, then the summary (on stderr; with `as_json`, the JSON summary on stdout). Ctrl-C, SIGTERM or
    SIGHUP stop it between two files, with what was committed kept: exit 128 + the signal's number."""
    from iwfdb.store.load import load_paths
    from iwfdb.store.parallel import WorkerLost

    with ExitStack() as stack:
        run = _Run(stack, progress=not quiet and sys.stderr.isatty())
        try:
            report = load_paths(
                database,
                paths,
                glob=glob,
                on_start=run.start,
                on_file=run.file_done,
                should_stop=run.stop.requested,
                **options,
            )
        except WorkerLost:
            if not run.stop.requested():  # else the workers ended with a SIGTERM sent to the whole group
                raise
            report = None
    if report is not None and as_json:
        from iwfdb.render import json_text

        summary = {"database": str(database), **report.to_dict(), "interrupted": run.stop.requested()}
        sys.stdout.write(json_text(summary, indented=True) + "\n")
    if run.stop.signum is not None:
        tell(run.interrupted_line())
        raise typer.Exit(128 + run.stop.signum)
    if not as_json:
        _tell_summary(report, quiet, paths, glob)
    return report


def _tell_summary(report, quiet: bool, paths: list[str], glob: tuple[str, ...]) -> None:
    if sum(report.files.values()) == 0:  # said even with --quiet: a wrong --glob is not a quiet matter
        tell(
            f"found no file to load: nothing under {', '.join(paths)} matches --glob {' '.join(glob)!r}",
            *_skipped_note(report.skipped),
        )
    elif not quiet:
        tell(*_summary(report), *_skipped_note(report.skipped))


class _Run:
    """A load as the user sees it: a progress bar on stderr when it is a terminal, failures as
    `path:line:col: message` either way, and Ctrl-C, SIGTERM or SIGHUP turned into a request to stop,
    which the load reads between files (iwfdb.interrupts.StopRequest)."""

    def __init__(self, stack: ExitStack, progress: bool):
        self.stop = stack.enter_context(StopRequest())
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.total: int | None = None  # files found, once the load has begun
        self.committed = 0
        if progress:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = stack.enter_context(Progress(console=Console(stderr=True), transient=True))

    def start(self, total: int) -> None:
        self.total = total
        if self.bar is not None:
            self.task = self.bar.add_task("loading", total=total)

    def interrupted_line(self) -> str:
        if self.total is None:
            return "interrupted before any file was loaded; run the same load again"
        return (
            f"interrupted after {number(self.committed)} of {number(self.total)} files (the results of those are "
            "committed); run the same load again to finish"
        )

    def file_done(self, result) -> None:
        """Called as each file's result is committed."""
        self.committed += 1
        if result.error:
            tell(str(result.error))  # with a progress bar, rich prints it above the bar
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)


def _summary(report) -> list[str]:
    files, rows = report.files, report.rows
    outcomes = [f"{number(files[name])} {name}" for name in ("new", "updated", "unchanged", "duplicate", "failed")]
    if files["reread"]:
        outcomes.insert(2, f"{number(files['reread'])} read again (an older iwfdb had read them)")
    if files["failed_before"]:
        outcomes.append(f"{number(files['failed_before'])} failed before, unchanged (see `iwfdb sources --failed`)")
    if files["not_statement"]:
        outcomes.append(f"{number(files['not_statement'])} not statements (about pages, listings...: not loaded)")
    lines = [
        f"{counted(sum(files.values()), 'file')}: {', '.join(outcomes)}",
        f"added {counted(rows.statements_added, 'statement')}, {counted(rows.quotes_added, 'quote')}, "
        f"{counted(rows.contacts_added, 'contact')} ({counted(rows.phones_added, 'phone')}), "
        f"{counted(rows.links_added, 'link')}",
    ]
    changed = []
    if rows.statements_completed:
        changed.append(f"completed {counted(rows.statements_completed, 'statement')} known until now from cards")
    if rows.statements_updated:
        changed.append(
            f"updated {counted(rows.statements_updated, 'statement')} "
            f"(the previous {counted(rows.revisions_added, 'version')} kept in revisions)"
        )
    if rows.publishers_set:
        changed.append(f"set the publisher of {counted(rows.publishers_set, 'statement')} archived already")
    if changed:
        lines.append("; ".join(changed))
    for notes, noun, heading in (
        (report.conflicts, "conflict", "{} (both texts are kept; see `revisions`):"),
        (report.merges, "statement", "{} of another source, now one statement:"),
        (report.declined_merges, "statement", "{} kept apart from one of the same title and date:"),
        (report.publishers_kept, "page", "{} of a publisher other than --publisher's (the page's own is kept):"),
    ):
        if notes:
            lines.append(heading.format(counted(len(notes), noun)))
            lines += [f"  {note}" for note in notes]
    if report.records_skipped:
        skipped = ", ".join(f"{number(count)} {reason}" for reason, count in sorted(report.records_skipped.items()))
        lines.append(f"web archives: records that are not pages, skipped: {skipped}")
    lines += report.web_archive_notes  # `crawl.warc.gz: 2 records larger than the limit ...`, a line each
    if report.stopped_early:
        lines.append("stopped at the first failure (--strict)")
    return lines


def _skipped_note(skipped) -> list[str]:
    """`skipped 3: 2 hidden files, 1 editor backup (...)`, or no line when nothing was skipped."""
    if not skipped:
        return []
    reasons: dict[str, int] = {}
    for item in skipped:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    counts = ", ".join(counted(count, reason) for reason, count in reasons.items())
    return [f"skipped {counts} (name a file explicitly to load it; --json lists them)"]

"""`iwfdb diff`: what changed in a statement between an earlier version and the current one. Presentation only.

At a terminal the text is shown whole, words taken out in red and struck through, words put in in green
(with NO_COLOR set, as [-taken out-]{+put in+}); in a pipe or a file, a unified diff of the paragraphs that
changed; with `--format json`, the versions and the runs of equal, deleted and inserted text. Text from the
archive goes through render.visible(): what a terminal would obey is written out, never sent.
"""

from __future__ import annotations

import difflib
import os
import sys
from enum import Enum
from typing import Annotated

import typer

from iwfdb.cli.app import app
from iwfdb.cli.read_cmds import _archive  # the read commands' one way to open the archive read-only
from iwfdb.render import Format, visible, write_data, write_object

STYLES = {"delete": "\x1b[9;31m", "insert": "\x1b[1;32m"}
RESET = "\x1b[0m"
MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
CONTEXT_PARAGRAPHS = 1


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help="The statement's id or slug (a unique start of a slug will do).", metavar="ID|SLUG")
    ],
    revision: Annotated[
        int | None,
        typer.Argument(
            help="The earlier version: a revision's id (see --list); default: the latest.", metavar="[REVISION]"
        ),
    ] = None,
    to: Annotated[
        int | None,
        typer.Option("--to", help="Compare with this revision instead of the current text.", metavar="REVISION"),
    ] = None,
    list_versions: Annotated[bool, typer.Option("--list", help="List the statement's versions instead.")] = False,
    fmt: Annotated[
        DiffFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help=("text (coloured at a terminal, a unified diff in a pipe) or json."),
        ),
    ] = None,
) -> None:
    """Show what changed in a statement, word by word; changes of spacing, quote marks or dashes are not changes.

    Example: iwfdb diff 42          (the latest change)    iwfdb diff 42 --list    iwfdb diff 42 7 --format json
    """
    from iwfdb import query

    with _archive(ctx) as archive:
        if list_versions:
            versions = query.list_versions(archive, ref)
        else:
            diff = query.statement_diff(archive, ref, revision, to)
    if list_versions:
        _write_versions(versions, fmt)
    elif fmt is DiffFormat.json:
        write_object(diff, Format.json, sys.stdout)
    elif sys.stdout.isatty():
        sys.stdout.write(terminal_text(diff, colour="NO_COLOR" not in os.environ))
    else:
        sys.stdout.write(unified_text(diff))


def _write_versions(versions, fmt: DiffFormat | None) -> None:
    """A table at a terminal, else JSON (as every list of the read commands)."""
    if fmt is DiffFormat.json or not sys.stdout.isatty():
        write_data(versions, Format.json, sys.stdout)
        return
    from iwfdb.terminal import write_table

    write_table(
        ("revision", "loaded", "replaced", "from"),
        (
            (v.revision if v.revision is not None else "current", v.loaded_at, v.replaced_at, v.source_path)
            for v in versions
        ),
        sys.stdout,
    )


def version_label(version) -> str:
    """`revision 7 (loaded ..., replaced ..., from PATH)` or `current (loaded ..., from PATH)`."""
    name = f"revision {version.revision}" if version.revision is not None else "current"
    when = f"loaded {version.loaded_at}" + (f", replaced {version.replaced_at}" if version.replaced_at else "")
    return visible(f"{name} ({when}" + (f", from {version.source_path})" if version.source_path else ")"))


def terminal_text(diff, colour: bool) -> str:
    """The whole new text with the changes marked in it."""
    lines = [
        visible(f"statement {diff.statement_id}: {diff.title or diff.slug}"),
        f"--- {version_label(diff.old)}",
        f"+++ {version_label(diff.new)}",
        "",
    ]
    if not diff.changed:
        lines.append("no change (other than spacing, quote marks or dashes)")
        return "\n".join(lines) + "\n"
    body = []
    for run in diff.runs:
        text = visible(run.text, keep_layout=True)
        if run.op == "equal":
            body.append(text)
        elif colour:
            body.append("".join(_styled(line, STYLES[run.op]) for line in text.splitlines(keepends=True)))
        else:
            body.append(f"{MARKS[run.op][0]}{text}{MARKS[run.op][1]}")
    return "\n".join(lines) + "".join(body).rstrip() + "\n"


def _styled(line: str, style: str) -> str:
    """A line in a style closed before its line break, so that no line runs on coloured."""
    content = line.rstrip("\n")
    return (f"{style}{content}{RESET}" if content else "") + line[len(content) :]


def unified_text(diff) -> str:
    """A unified diff whose lines are paragraphs, with a paragraph of context: what `patch` and people read."""
    from iwfdb.query.diff import PARAGRAPH_BREAK, side_text

    old, new = (visible(side_text(diff.runs, side), keep_layout=True).split(PARAGRAPH_BREAK) for side in ("old", "new"))
    header = visible(f"statement {diff.statement_id}: {diff.title or diff.slug}") + "\n"
    lines = difflib.unified_diff(
        [p.strip() for p in old],
        [p.strip() for p in new],
        version_label(diff.old),
        version_label(diff.new),
        n=CONTEXT_PARAGRAPHS,
        lineterm="",
    )
    return header + "".join(line + "\n" for line in lines)

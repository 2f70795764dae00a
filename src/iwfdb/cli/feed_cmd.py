"""`iwfdb feed new|changed|person|search`: Atom 1.0 feeds of the archive, on stdout or in a file.

A scheduled `iwfdb fetch --load` followed by `iwfdb feed changed -o changed.xml` is a watch with no server:
a feed reader shows each change with what changed in it. The file is written whole or not at all (a reader
never sees half a feed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from iwfdb.cli.app import app
from iwfdb.cli.read_cmds import _archive  # the read commands' one way to open the archive read-only
from iwfdb.errors import UsageError

feed_app = typer.Typer(
    name="feed",
    help="Write an Atom 1.0 feed: new statements, changed ones, a person's quotes, a search.\n\n"
    "Example: iwfdb feed changed -o changed.xml",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(feed_app, name="feed")

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the feed to this file (default: stdout).", dir_okay=False)
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, max=1_000, help="At most this many entries.")]
BaseOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Link entries to the statement pages of "
        "`iwfdb serve` at this address (e.g. http://localhost:8001/iwfdb); default: the page each "
        "statement was read from, when known.",
    ),
]
DEFAULT_LIMIT = 50


@feed_app.command("new")
def new_command(
    ctx: typer.Context, output: OutputOption = None, limit: LimitOption = DEFAULT_LIMIT, base_url: BaseOption = None
) -> None:
    """Statements most recently added to the archive.

    Example: iwfdb feed new -o new.xml
    """
    _write(ctx, output, lambda feeds, archive: feeds.new_statements_feed(archive, limit, _checked(base_url)))


@feed_app.command("changed")
def changed_command(
    ctx: typer.Context, output: OutputOption = None, limit: LimitOption = DEFAULT_LIMIT, base_url: BaseOption = None
) -> None:
    """Statements whose text changed, each entry with the difference (<del> and <ins>).

    Example: iwfdb fetch --load && iwfdb feed changed -o changed.xml
    """
    _write(ctx, output, lambda feeds, archive: feeds.changed_statements_feed(archive, limit, _checked(base_url)))


@feed_app.command("person")
def person_command(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="The person's id, or a name (any spelling).", metavar="ID|NAME")],
    output: OutputOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
    base_url: BaseOption = None,
) -> None:
    """What one person (or organisation) said, alone or with others, newest first.

    Example: iwfdb feed person "Susie Hargreaves" -o hargreaves.xml
    """
    _write(ctx, output, lambda feeds, archive: feeds.person_feed(archive, who, limit, _checked(base_url)))


@feed_app.command("search")
def search_command(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Words to find (all of them), as written.", metavar="WORDS...")],
    output: OutputOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
    base_url: BaseOption = None,
) -> None:
    """Statements that mention every word (in their text or quotes), newest in the archive first.

    Example: iwfdb feed search end-to-end encryption -o encryption.xml
    """
    _write(ctx, output, lambda feeds, archive: feeds.search_feed(archive, " ".join(words), limit, _checked(base_url)))


def _checked(base_url: str | None) -> str | None:
    if base_url is not None and not base_url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--base-url {base_url!r} is not a web address: give one that starts with http:// or https://")
    return base_url


def _write(ctx: typer.Context, output: Path | None, build) -> None:
    from iwfdb.query import atom, feeds

    with _archive(ctx) as archive:  # a subcommand's context holds its parent's obj (--db)
        document = atom.atom_document(build(feeds, archive))
    if output is None:
        sys.stdout.write(document)
        return
    _replace_file(output, document)


def _replace_file(path: Path, text: str) -> None:
    """Write `text` beside `path`, then rename it into place: the old file stays until the new one is whole."""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    except OSError as error:
        raise UsageError(
            f"cannot write {path}: {error.strerror}; choose a folder that exists and that you may write to"
        ) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""`iwfdb db path | upgrade | current | check`: where the archive is, its schema, and its health."""

from __future__ import annotations

import typer

from iwfdb.cli.app import app
from iwfdb.errors import DatabaseError
from iwfdb.render import visible
from iwfdb.terminal import tell

db_app = typer.Typer(
    name="db",
    help="The archive file: where it is, its schema revision, and whether it is sound.\n\nExample: iwfdb db check",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(db_app, name="db")


@db_app.command("path")
def path_command(ctx: typer.Context) -> None:
    """Print the archive's file: --db, else $IWFDB_DB, else ./iwfdb.sqlite.

    Example: sqlite3 "$(iwfdb db path)"
    """
    from iwfdb.db import locate

    typer.echo(locate(ctx.obj["db"]))


@db_app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Create the archive, or bring its schema to the newest revision (`iwfdb load` does this by itself).

    Example: iwfdb --db old.sqlite db upgrade
    """
    from iwfdb.db import locate, upgrade_archive

    path = locate(ctx.obj["db"])
    before, after = upgrade_archive(path)
    if before == after:
        _say(f"{path}: already at revision {after}, the newest")
    else:
        _say(f"{path}: upgraded from revision {before or 'none (new archive)'} to {after}")


@db_app.command("current")
def current_command(ctx: typer.Context) -> None:
    """Print the archive's schema revision, and whether it is the newest this iwfdb knows.

    Example: iwfdb db current
    """
    from iwfdb.db import describe_revision, locate

    current, head = describe_revision(locate(ctx.obj["db"]))
    if current == head:
        typer.echo(f"{current} (newest)")
    else:
        typer.echo(f"{current or 'none'} (newest is {head}: run `iwfdb db upgrade`)")


@db_app.command("check")
def check_command(ctx: typer.Context) -> None:
    """Check the archive: SQLite's integrity, foreign keys, and both full-text indexes. Exit 1 if not sound (or busy).

    Example: iwfdb db check
    """
    from iwfdb.db import check_archive, locate, side_of

    path = locate(ctx.obj["db"])
    if not side_of(path).exists(path):  # nothing to check: an error, not an archive found unsound
        raise DatabaseError(path.absent())
    results = check_archive(path)
    for result in results:
        detail = "" if result.detail == "ok" else f" ({result.detail})"
        _say(f"{result.name}: {_OUTCOMES[result.ok]}{detail}")
    if all(result.ok for result in results):
        _say(f"{path}: the archive is sound")
        return
    if any(result.ok is False for result in results):
        tell(f"{path}: the archive is NOT sound")
    else:
        tell(
            f"{path}: the archive is busy (a load is writing to it); nothing wrong found in what could be checked; "
            "run `iwfdb db check` again when the load is done"
        )
    raise typer.Exit(1)


_OUTCOMES = {True: "ok", False: "FAILED", None: "busy"}


def _say(line: str) -> None:
    """A line for people on stdout: the archive's path or SQLite's findings, control characters shown."""
    typer.echo(visible(line))

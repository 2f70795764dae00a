"""`iwfdb db path | upgrade | current | check`: where the archive is, its schema, and its health."""

from __future__ import annotations

import typer

from iwfdb.cli.app import app

db_app = typer.Typer(
    name="db", help="The archive file: where it is, its schema revision, and whether it is sound.\n\nExample: iwfdb db check",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip
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
        typer.echo(f"{path}: already at revision {after}, the newest")
    else:
        typer.echo(f"{path}: upgraded from revision {before or 'none (new archive)'} to {after}")


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
    """Check the archive: SQLite's integrity, foreign keys, and both full-text indexes. Exit 1 if not sound.

    Example: iwfdb db check
    """
    from iwfdb.db import check_archive, locate

    path = locate(ctx.obj["db"])
    results = check_archive(path)
    for result in results:
        detail = "" if result.detail == "ok" else f" ({result.detail})"
        typer.echo(f"{result.name}: {'ok' if result.ok else 'FAILED'}{detail}")
    if all(result.ok for result in results):
        typer.echo(f"{path}: the archive is sound")
    else:
        typer.echo(f"{path}: the archive is NOT sound", err=True)
        raise typer.Exit(1)

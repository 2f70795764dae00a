"""The Typer application, its global options, and the one place where IwfdbError becomes an exit code."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from iwfdb import __version__
from iwfdb.errors import IwfdbError


class IwfdbGroup(TyperGroup):
    """Turns every IwfdbError a command raises into its message on stderr and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IwfdbError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None

app = typer.Typer(
    name="iwfdb",
    cls=IwfdbGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich-drawn help costs 0.15 s of start-up (rich still draws the tables).
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"iwfdb {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", envvar="IWFDB_DB", help="The archive file (default: ./iwfdb.sqlite)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """An archive of the Internet Watch Foundation's press statements, kept in SQLite.

    Example: iwfdb load seeds/ && iwfdb query --year 2024 (the archive is ./iwfdb.sqlite unless --db says)
    """
    ctx.obj = {"db": db}


def main() -> None:
    app()

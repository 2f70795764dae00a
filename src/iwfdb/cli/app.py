"""The Typer application, its global options, and the one boundary between a command and the shell.

Whatever ends a command becomes a message on stderr (control characters shown, never obeyed) and an
exit status, never a traceback:

- an IwfdbError: `error: <message>`, its exit code (1, or 2 for a usage error);
- Ctrl-C, SIGTERM or SIGHUP (iwfdb.interrupts.Interrupted): `interrupted`, 128 + the signal's number
  (130, 143, 129);
- a reader that went away (`iwfdb query | head -1`): nothing more, 141, as for a command killed by
  SIGPIPE (`cat`, `seq`), whatever the format;
- an output that cannot be written (a full disk): `error: cannot write the output: <reason>`, 1.
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup, TyperOption

from iwfdb import __version__
from iwfdb.errors import IwfdbError
from iwfdb.interrupts import Interrupted, raise_missed
from iwfdb.terminal import tell

BROKEN_PIPE_EXIT = 128 + 13  # SIGPIPE
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}
DB_HELP = "The archive: a SQLite file, or a postgresql:// URL (default: $IWFDB_DB, else ./iwfdb.sqlite)."


@contextmanager
def command_boundary():
    """Turn how a command ends into a message and an exit code (see the module docstring)."""
    try:
        yield
        sys.stdout.flush()  # here, so that a closed pipe is noticed now and not at the interpreter's exit
        raise_missed()
    except IwfdbError as error:
        tell(f"error: {error}", *error.details)
        raise typer.Exit(error.exit_code) from None
    except Interrupted as stop:
        tell("interrupted")
        raise typer.Exit(stop.exit_code) from None
    except BrokenPipeError:
        _discard_output()
        raise typer.Exit(BROKEN_PIPE_EXIT) from None
    except OSError as error:
        if error.errno not in _CANNOT_WRITE or error.filename is not None:
            raise
        _discard_output()
        tell(f"error: cannot write the output: {error.strerror}")
        raise typer.Exit(1) from None


def _discard_output() -> None:
    """Point stdout at /dev/null: what is still buffered for it can no longer fail at exit."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # an in-memory stdout (tests): nothing to fail later
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


class IwfdbGroup(TyperGroup):
    """The command group: every command runs inside command_boundary(), and takes `--db` as well."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _accept_db_in(self)

    def make_context(self, *args, **kwargs):
        with command_boundary():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with command_boundary():
            return super().invoke(ctx)


def _accept_db_in(group) -> None:
    """`iwfdb query --db x.sqlite` means `iwfdb --db x.sqlite query`: each command takes the option too."""
    for command in group.commands.values():
        command.params.append(TyperOption(
            param_decls=["--db"], metavar="PATH", expose_value=False, callback=_remember_db, help=DB_HELP,
        ))  # fmt: skip
        if hasattr(command, "commands"):
            _accept_db_in(command)


def _remember_db(ctx, _parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().obj["db"] = value


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
    db: Annotated[Optional[str], typer.Option("--db", envvar="IWFDB_DB", metavar="PATH", help=DB_HELP)] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """An archive of the Internet Watch Foundation's press statements, kept in SQLite.

    Example: iwfdb load seeds/ && iwfdb query --year 2024 (the archive is ./iwfdb.sqlite unless --db says)
    """
    ctx.obj = {"db": db}

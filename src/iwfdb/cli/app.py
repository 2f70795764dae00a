"""The Typer application, its global options, and the one boundary between a command and the shell.

Whatever ends a command becomes a message on stderr (control characters shown, never obeyed) and an
exit status, never a traceback:

- an IwfdbError: `error: <message>`, its exit code (1, or 2 for a usage error);
- Ctrl-C, SIGTERM or SIGHUP (iwfdb.interrupts.Interrupted): `interrupted`, 128 + the signal's number
  (130, 143, 129);
- a reader that went away (`iwfdb query | head -1`): nothing more, 141, as for a command killed by
  SIGPIPE (`cat`, `seq`), whatever the format;
- an output that cannot be written (a full disk): `error: cannot write the output: <reason>`, 1;
- a usage error found by Click (an unknown option, a missing argument, a value out of range):
  `error: <what>; try 'iwfdb COMMAND --help'`, 2, in the same style as iwfdb's own errors.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Annotated

import typer
from typer.core import TyperGroup, TyperOption

from iwfdb import __version__
from iwfdb.errors import IwfdbError
from iwfdb.interrupts import Interrupted, raise_missed
from iwfdb.terminal import tell

BROKEN_PIPE_EXIT = 128 + 13  # SIGPIPE
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}
# Click's exceptions, as Typer raises them (from its own copy of Click since Typer 0.26): found through typer's own.
click_errors = importlib.import_module(typer.BadParameter.__module__)
# Commands that open no archive, and so take no `--db` of their own.
WITHOUT_ARCHIVE = frozenset({"parse"})
DB_HELP = "The archive: a SQLite file, or a postgresql:// URL (default: $IWFDB_DB, else ./iwfdb.sqlite)."


@contextmanager
def command_boundary(command_path: Callable[[], str] = lambda: "iwfdb"):
    """Turn how a command ends into a message and an exit code (see the module docstring).

    `command_path` names the command for a usage error that Click raises without saying whose it is
    (`Option '--limit' requires an argument`).
    """
    try:
        yield
        sys.stdout.flush()  # here, so that a closed pipe is noticed now and not at the interpreter's exit
        raise_missed()
    except IwfdbError as error:
        tell(f"error: {error}", *error.details)
        raise typer.Exit(error.exit_code) from None
    except click_errors.NoArgsIsHelpError:
        raise  # `iwfdb` or `iwfdb db` alone: the help, as Click prints it
    except click_errors.ClickException as error:
        tell(framework_error_line(error, command_path))
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


def framework_error_line(error, command_path: Callable[[], str]) -> str:
    """Click's message in iwfdb's style: `error: no such option: --nope; try 'iwfdb query --help'`."""
    message = error.format_message().strip().rstrip(".")
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    if isinstance(error, click_errors.UsageError):
        context = getattr(error, "ctx", None)
        message += f"; try '{context.command_path if context is not None else command_path()} --help'"
    return f"error: {message}"


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

    def make_context(self, info_name, args, parent=None, **extra):
        with command_boundary(lambda: info_name or "iwfdb"):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx):
        with command_boundary(lambda: " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))):
            return super().invoke(ctx)


def _accept_db_in(group) -> None:
    """`iwfdb query --db x.sqlite` means `iwfdb --db x.sqlite query`: each command takes the option too
    (described by the command's class attribute `db_help` where it takes fewer kinds of archive)."""
    for name, command in group.commands.items():
        if name in WITHOUT_ARCHIVE:
            continue
        command.params.append(
            TyperOption(
                param_decls=["--db"],
                metavar="PATH",
                expose_value=False,
                callback=_remember_db,
                help=getattr(command, "db_help", DB_HELP),
            )
        )
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
    db: Annotated[str | None, typer.Option("--db", envvar="IWFDB_DB", metavar="PATH", help=DB_HELP)] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """An archive of the Internet Watch Foundation's press statements, kept in SQLite.

    Example: iwfdb load seeds/ && iwfdb query --year 2024 (the archive is ./iwfdb.sqlite unless --db says)
    """
    ctx.obj = {"db": db}

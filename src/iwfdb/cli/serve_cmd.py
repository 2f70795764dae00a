"""`iwfdb serve`: the archive in a web browser, through Datasette (the `web` extra), read-only."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from iwfdb.cli.app import app
from iwfdb.errors import IwfdbError, UsageError
from iwfdb.terminal import tell

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


class SqliteOnlyCommand(TyperCommand):
    """A command whose --db takes a SQLite file only: its help says so (see iwfdb.cli.app._accept_db_in)."""

    db_help = ("The archive's SQLite file (default: $IWFDB_DB, else ./iwfdb.sqlite); Datasette reads SQLite only, "
               "so a postgresql:// URL is refused.")  # fmt: skip


@app.command("serve", cls=SqliteOnlyCommand)
def serve_command(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on; 0.0.0.0 opens it to the network.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port (0: any free one).")] = DEFAULT_PORT,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the home page in a web browser.")] = False,
) -> None:
    """Browse the archive in a web browser (Datasette): search, facets, ready-made questions, read-only.

    Needs the web extra: pip install "iwfdb[web]". Stop it with Ctrl-C.

    Example: iwfdb serve --open   (then http://127.0.0.1:8001/)
    """
    path = archive_path(ctx.obj["db"])
    _check_readable(path)
    server = _server_module()
    datasette = server.make_datasette(path)
    listener = server.bind(host, port)
    url = server.page_url(listener)

    def on_ready() -> None:
        tell(f"Serving {path} at {url} (read-only; Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)

    server.serve(datasette, listener, on_ready)  # Ctrl-C: the command line's boundary says `interrupted`, 130


def archive_path(db: str | None) -> Path:
    """The archive's file, found as every command finds it; Datasette reads SQLite, so a server is refused."""
    from iwfdb.db import locate

    location = locate(db)
    if not location.is_sqlite:
        raise UsageError(f"serve needs a SQLite archive (Datasette reads SQLite files), and {location} is a "
                         f"PostgreSQL database; give --db an archive's file (every other command reads this one)")  # fmt: skip
    return location.path


def _check_readable(path: Path) -> None:
    """Refuse, before Datasette starts, a missing or non-SQLite file, or a schema this iwfdb does not read."""
    from iwfdb.db import Purpose, locate, open_archive

    open_archive(locate(str(path)), Purpose.READ).close()


def _server_module():
    try:
        from iwfdb.datasette import server
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("datasette", "uvicorn"):
            raise
        raise IwfdbError('iwfdb serve needs Datasette, which is not installed: pip install "iwfdb[web]"') from None
    return server

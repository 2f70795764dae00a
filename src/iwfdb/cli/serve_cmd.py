"""`iwfdb serve`: the archive in a web browser, through Datasette (the `web` extra), read-only."""

from __future__ import annotations

import hashlib
import os
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


class ServeCommand(TyperCommand):
    """serve reads a PostgreSQL archive through a SQLite copy: its --db help says so (iwfdb.cli.app._accept_db_in)."""

    db_help = (
        "The archive: a SQLite file, or a postgresql:// URL, served through a read-only SQLite copy that is "
        "kept up to date (default: $IWFDB_DB, else ./iwfdb.sqlite)."
    )


@app.command("serve", cls=ServeCommand)
def serve_command(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on; 0.0.0.0 opens it to the network.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port (0: any free one).")] = DEFAULT_PORT,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the home page in a web browser.")] = False,
    copy: Annotated[
        Path | None,
        typer.Option(
            "--copy",
            dir_okay=False,
            help=(
                "PostgreSQL only: where to keep the SQLite copy the page reads (default: a file in the user's cache "
                "folder, one per archive)."
            ),
        ),
    ] = None,
    refresh: Annotated[
        float,
        typer.Option(
            "--refresh",
            min=1,
            max=86_400,
            metavar="SECONDS",
            help=("PostgreSQL only: how often to look whether the archive changed (and bring the copy up to date)."),
        ),
    ] = 10,
) -> None:
    """Browse the archive in a web browser (Datasette): search, facets, ready-made questions, read-only.

    Needs the web extra: pip install "iwfdb[web]". Stop it with Ctrl-C. Datasette reads SQLite only: a
    PostgreSQL archive is served through a SQLite copy, made at start and made again when the archive changes
    (the page says how fresh it is).

    Example: iwfdb serve --open   (then http://127.0.0.1:8001/)
    """
    location = served_location(ctx.obj["db"])
    server = _server_module()
    keeper = None
    if location.is_sqlite:
        if copy is not None:
            raise UsageError(
                f"--copy is for a PostgreSQL archive, and {location} is a SQLite file, served as it is; "
                "leave --copy out"
            )
        path = location.path
        _check_readable(path)
    else:
        path, keeper = _kept_copy(location, copy, refresh)
    datasette = server.make_datasette(path)
    listener = server.bind(host, port)
    url = server.page_url(listener)

    def on_ready() -> None:
        tell(f"Serving {location} at {url} (read-only; Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)

    try:
        server.serve(datasette, listener, on_ready)  # Ctrl-C: the command line's boundary says `interrupted`, 130
    finally:
        if keeper is not None:
            keeper.stop()


def served_location(db: str | None):
    """The archive, found as every command finds it."""
    from iwfdb.db import locate

    return locate(db)


def _kept_copy(location, copy: Path | None, refresh: float):
    """The SQLite copy of a PostgreSQL archive, made or brought up to date now, and what keeps it so."""
    from iwfdb.db.copy import CopyKeeper, refresh_copy

    path = copy or default_copy_path(location)
    about = refresh_copy(location, path, on_making=lambda: tell(f"Making a SQLite copy of {location} in {path} ..."))
    tell(f"The page reads the copy made at {about.made_at}; it is made again when the archive changes")
    keeper = CopyKeeper(location, path, refresh, on_error=lambda message: tell(f"error: {message}"))
    keeper.start()
    return path, keeper


def default_copy_path(location) -> Path:
    """One file per archive (named by a hash of its URL, password left out) in the user's cache folder."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iwfdb" / "copies"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot make the folder {cache} for the archive's copy: {error.strerror}; choose where to "
            "keep it with --copy FILE"
        ) from None
    return cache / f"{hashlib.sha256(str(location).encode()).hexdigest()[:16]}.sqlite"


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

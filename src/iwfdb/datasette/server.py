"""A Datasette on the archive, read-only, with iwfdb's metadata, plugin and templates; and serving it.

This module imports Datasette: `iwfdb serve` imports it only when it runs, and says which extra to install
when Datasette is missing.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import uvicorn
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from iwfdb.datasette import changes, plugin, questions, reading
from iwfdb.datasette.metadata import DATABASE, build_metadata
from iwfdb.errors import IwfdbError

PLUGIN_NAME = "iwfdb"
PLUGINS = {  # each under its name
    PLUGIN_NAME: plugin,
    "iwfdb-changes": changes,
    f"{PLUGIN_NAME}-reading": reading,
    f"{PLUGIN_NAME}-questions": questions,
}
# Nothing to download: the archive is served by iwfdb's own read-only connections, never as a file.
SETTINGS = {"allow_download": False}


class ReadOnlyArchive(Database):
    """The archive opened read-only by every connection, the one Datasette would write with included.

    Read-only (`mode=ro`), not immutable: locking and change detection stay on, so a load running meanwhile
    is seen as it commits. Datasette's writing connection (for write queries and plugins) gets the same, so
    no page can write. The path is URI-quoted, which Datasette's own connect() does not do (a `?`, `#` or
    `%` in a folder's name would open another file).
    """

    def connect(self, write: bool = False) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path))}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.execute("PRAGMA query_only = ON")
        self._all_file_connections.append(connection)  # Datasette closes them in Database.close()
        return connection

    async def execute(self, *arguments, **options):
        """Datasette's execute(), but a query that fails is not written on the server's console (Datasette writes
        there the SQL, its parameters and the error, whatever a visitor typed): the page shows the error."""
        return await super().execute(*arguments, **{**options, "log_sql_errors": False})


def make_datasette(path: Path) -> Datasette:
    """A Datasette that shows the archive at `path` under the name `iwfdb`."""
    for name, module in PLUGINS.items():
        if not pm.has_plugin(name):
            pm.register(module, name=name)
    templates = resources.files(__package__).joinpath("templates")
    datasette = Datasette(metadata=build_metadata(), template_dir=str(templates), settings=SETTINGS)
    datasette.remove_database("_memory")  # Datasette adds an empty one when given no files
    datasette.add_database(ReadOnlyArchive(datasette, path=str(path), is_mutable=True), name=DATABASE)
    return datasette


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is an error that names it (port 0: any free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise IwfdbError(
            f"cannot listen on {host} port {port}: {error.strerror or error}; "
            "choose another port with --port (or --port 0 for any free one)"
        ) from None
    return listener


def page_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(datasette: Datasette, listener: socket.socket, on_ready: Callable[[], None]) -> None:
    """Serve until interrupted; `on_ready` runs (in another thread) once the server accepts requests."""
    # A page whose facet fails (`?_facet=nosuch`) leaves Datasette's other facet queries never awaited (it runs
    # them in turn and stops at the first error): Python would warn of each on the server's console.
    warnings.filterwarnings("ignore", r"coroutine .* was never awaited", RuntimeWarning)
    server = uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on"))

    def wait_until_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            on_ready()

    threading.Thread(target=wait_until_started, daemon=True).start()
    server.run(sockets=[listener])

"""The command line: presentation only. Each module beside this one registers its commands on `app`."""

from iwfdb.cli import db_cmds, fetch_cmd, load_cmd, parse_cmd, read_cmds, serve_cmd  # noqa: F401  (registers the commands)
from iwfdb.cli.app import app, main

__all__ = ["app", "main"]

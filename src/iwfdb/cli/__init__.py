"""The command line: presentation only. Each module beside this one registers its commands on `app`."""

from iwfdb.cli import db_cmds, load_cmd, parse_cmd, read_cmds  # noqa: F401  (registers the commands)
from iwfdb.cli.app import app

__all__ = ["app"]

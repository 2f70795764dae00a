"""The command line: presentation only. Each module beside this one registers its commands on `app`."""

from iwfdb.cli import (  # noqa: F401  (registers the commands)
    archive_cmds,
    db_cmds,
    diff_cmd,
    feed_cmd,
    fetch_cmd,
    load_cmd,
    parse_cmd,
    read_cmds,
    serve_cmd,
)
from iwfdb.cli.app import app

__all__ = ["app"]

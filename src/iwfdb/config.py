"""Defaults: where the archive lives when --db and $IWFDB_DB say nothing (see iwfdb.db.location), and others.

Stdlib only and cheap to import: the command line reads its option defaults from here at start-up.
"""

from __future__ import annotations

DEFAULT_DB_NAME = "iwfdb.sqlite"
DB_ENV_VAR = "IWFDB_DB"
# What `iwfdb load` takes from folders, and the largest file it reads (a statement page is a few kB).
DEFAULT_GLOB = "*.txt"
DEFAULT_MAX_SIZE = 16 * 1024 * 1024
# How long `iwfdb sql` lets a query run, in seconds.
DEFAULT_SQL_TIMEOUT = 5.0

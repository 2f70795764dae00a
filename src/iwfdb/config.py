"""Defaults: where the archive lives when --db and $IWFDB_DB say nothing (see iwfdb.db.location), and others.

Stdlib only and cheap to import: the command line reads its option defaults from here at start-up.
"""

from __future__ import annotations

DEFAULT_DB_NAME = "iwfdb.sqlite"
DB_ENV_VAR = "IWFDB_DB"
# What `iwfdb load` takes from folders (statement texts, web pages, web archives), and the largest file it
# reads (a statement page is a few kB).
DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm", "*.warc", "*.warc.gz")
DEFAULT_MAX_SIZE = 16 * 1024 * 1024
# `iwfdb fetch`: the folder pages go to, seconds between requests and before giving up on an answer, and
# how many more tries a time-out or a 5xx gets.
DEFAULT_FETCH_FOLDER = "pages"
DEFAULT_FETCH_DELAY = 1.0
DEFAULT_FETCH_TIMEOUT = 30.0
DEFAULT_FETCH_RETRIES = 3
# How long `iwfdb sql` lets a query run, in seconds.
DEFAULT_SQL_TIMEOUT = 5.0

"""The archive's write side: files to records to rows, and the archive's health.

It knows the parser, the records, the database and the migrations, never the command line. Its names
are imported lazily: `iwfdb load` must not pay for SQLAlchemy (`archive`) when it has no migration to run.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "CheckResult": "archive", "check_archive": "archive", "describe_revision": "archive", "upgrade_archive": "archive",
    "open_archive": "opening", "FileResult": "load", "LoadReport": "load", "load_paths": "load",
}  # fmt: skip

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'iwfdb.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"iwfdb.store.{_HOMES[name]}"), name)

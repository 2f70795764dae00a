"""The archive's write side: records to rows, files to records, and the archive's health.

It knows the parser, the records, the database and the migrations, never the command line.
"""

from iwfdb.store.archive import CheckResult, check_archive, describe_revision, open_archive, upgrade_archive
from iwfdb.store.load import FileResult, LoadReport, load_paths

__all__ = [
    "CheckResult",
    "FileResult",
    "LoadReport",
    "check_archive",
    "describe_revision",
    "load_paths",
    "open_archive",
    "upgrade_archive",
]

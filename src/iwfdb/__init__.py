"""iwfdb: an archive of the Internet Watch Foundation's press statements, kept in SQLite."""

__version__ = "0.1.0"

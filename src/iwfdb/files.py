"""Finding statement files under the paths a user names, and reading them. Stdlib only.

Folders are searched recursively for names matching a glob (`*.txt` by default); files named
explicitly are taken whatever their name. Each file is found once, in a stable order, however many
times it is named. Files above a size limit are refused before they are read: a statement page is a
few kilobytes, so a file of many megabytes is almost surely something else, and reading it would cost
memory for nothing. The limit is `DEFAULT_MAX_SIZE` unless the caller chooses another (0: no limit).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from iwfdb.errors import UsageError

DEFAULT_GLOB = "*.txt"
DEFAULT_MAX_SIZE = 16 * 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file to load: `path` as the user will recognise it, `key` the absolute path it is archived under."""

    path: Path
    key: str


@dataclass(frozen=True, slots=True)
class FileContent:
    """A file's bytes with what `sources` records about them."""

    found: FoundFile
    data: bytes
    size: int
    mtime_ns: int
    sha256: str


class FileRefused(Exception):
    """A file that cannot be loaded (unreadable, too large); its text is the reason, for `sources`."""

    def __init__(self, reason: str, size: int | None = None, mtime_ns: int | None = None):
        super().__init__(reason)
        self.size = size
        self.mtime_ns = mtime_ns


def parse_size(text: str) -> int:
    """Bytes from `16MB`, `500k`, `1048576` (units are powers of 1024); for a --max-size option."""
    match = _SIZE.match(text)
    if not match:
        raise UsageError(f"not a size: {text!r} (examples: 16MB, 500KB, 1048576)")
    return int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]


def find_files(paths: Iterable[str | os.PathLike[str]], glob: str = DEFAULT_GLOB) -> list[FoundFile]:
    """Every file to load, once each, folders searched recursively in name order.

    A path that does not exist is a usage error, raised before anything is loaded.
    """
    found: dict[str, FoundFile] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob(glob) if p.is_file())
        elif path.is_file():
            candidates = [path]
        else:
            raise UsageError(f"{path}: no such file or folder")
        for candidate in candidates:
            key = os.path.abspath(candidate)
            found.setdefault(key, FoundFile(candidate, key))
    return list(found.values())


def read_file(found: FoundFile, max_size: int = DEFAULT_MAX_SIZE) -> FileContent:
    """The file's bytes and SHA-256, or FileRefused saying why they cannot be had."""
    try:
        status = found.path.stat()
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or error}") from None
    if max_size and status.st_size > max_size:
        raise FileRefused(
            f"{status.st_size} bytes is more than the limit of {max_size} bytes (see --max-size)",
            status.st_size,
            status.st_mtime_ns,
        )
    try:
        data = found.path.read_bytes()
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or error}", status.st_size, status.st_mtime_ns) from None
    return FileContent(found, data, len(data), status.st_mtime_ns, hashlib.sha256(data).hexdigest())

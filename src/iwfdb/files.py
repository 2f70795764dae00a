"""Finding statement files under the paths a user names, and reading them. Stdlib only.

Folders are searched recursively for names matching any of a few globs (by default statement texts,
web pages and web archives: `*.txt`, `*.html`, `*.htm`, `*.warc`, `*.warc.gz`); files named explicitly
are taken whatever their name. Each real file is found once, in a stable order, however many
times it is named and whatever symbolic links lead to it; symbolic links to folders are followed, and a
folder reached again (a link loop) is not searched twice.

Inside folders, hidden files and folders (`.name`) and editor backups (`name~`, `#name#`, `.name.swp`,
`name.bak`, `name.orig`) are skipped, and each one skipped is reported, so that nothing is left out
silently: name such a file explicitly to load it.

Files above a size limit are refused before they are read: a statement page is a few kilobytes, so a file
of many megabytes is almost surely something else, and reading it would cost memory for nothing. The
limit is `DEFAULT_MAX_SIZE` unless the caller chooses another (0: no limit).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from iwfdb.config import DEFAULT_GLOBS, DEFAULT_MAX_SIZE
from iwfdb.errors import UsageError

# The name iwfdb.store.load imports, until the store takes the sequence by its own name.

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
BACKUP_SUFFIXES = (".bak", ".orig", ".swp", ".swo")
HIDDEN, HIDDEN_FOLDER, BACKUP = "hidden file", "hidden folder", "editor backup"


def archived_name(path: str) -> str:
    """A path as the archive keeps it: itself, but for bytes of the name that are not UTF-8 (which an archive's
    text cannot hold), written `\\xe9`; such a file loads like any other, and its row names it."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file to load: `path` as the user will recognise it, `key` the absolute path it is archived under.

    Plain strings: a search of 100,000 files would spend seconds making Path objects.
    """

    path: str
    key: str

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


@dataclass(frozen=True, slots=True)
class SkippedPath:
    """A file or folder a search left out on purpose, and why (`hidden file`, `hidden folder`, `editor backup`)."""

    path: Path
    reason: str


@dataclass(slots=True)
class FileSearch:
    """What a search found: the files to load, and what it skipped (to be told to the user)."""

    files: list[FoundFile] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)


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


def search_files(paths: Iterable[str | os.PathLike[str]], globs: str | Sequence[str] = DEFAULT_GLOBS) -> FileSearch:
    """Every file to load, once each, and what was skipped; folders searched recursively in name order.

    A folder gives the files whose names match any of `globs` (a single glob is taken too); an empty
    sequence means the default ones. A path that does not exist is a usage error, raised before anything
    is loaded.
    """
    search = FileSearch()
    walker = _Walker(((globs,) if isinstance(globs, str) else tuple(globs)) or DEFAULT_GLOBS, search.skipped)
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        path = Path(given)
        try:
            status = path.stat()
        except OSError:
            if not os.path.lexists(path):
                raise UsageError(f"{path}: no such file or folder") from None
            status = None  # a broken link, named explicitly: read_file will say why it cannot be read
        if status is not None and stat.S_ISDIR(status.st_mode):
            candidates = sorted(walker.walk(str(path)))
        else:  # named explicitly: taken whatever its name; read_file refuses what is not a regular file
            candidates = [(str(path), (status.st_dev, status.st_ino) if status else os.path.abspath(path))]
        for candidate, identity in candidates:
            if identity not in seen:
                seen.add(identity)
                key = archived_name(os.path.abspath(candidate))
                search.files.append(FoundFile(candidate, candidate if key == candidate else key))  # one string
    return search


def skipped_reason(name: str, globs: tuple[str, ...]) -> str | None:
    """Why a name found in a folder is left out (`hidden file`, `editor backup`), or None to take it."""
    original = _backup_of(name)
    if original is not None:
        return BACKUP if _matches(original, globs) or _matches(name, globs) else None
    if name.startswith(".") and _matches(name, globs):
        return HIDDEN
    return None


def _matches(name: str, globs: tuple[str, ...]) -> bool:
    path = PurePath(name)
    return any(path.match(glob) for glob in globs)


def _backup_of(name: str) -> str | None:
    """The file an editor backup or swap file stands for (`a.txt~` -> `a.txt`), or None if not a backup."""
    if name.endswith("~") and len(name) > 1:
        return name[:-1]
    if len(name) > 2 and name.startswith("#") and name.endswith("#"):
        return name[1:-1]
    stem, suffix = os.path.splitext(name)
    if suffix.lower() in BACKUP_SUFFIXES and stem:
        return stem.removeprefix(".") if suffix.lower() in (".swp", ".swo") else stem
    return None


class _Walker:
    """Searches folders for the globs, following links but entering each real folder once."""

    def __init__(self, globs: tuple[str, ...], skipped: list[SkippedPath]):
        self.globs = globs
        # Globs without a folder part are matched on the name alone, which is much cheaper than a PurePath.
        self.name_only = None
        if not any("/" in glob for glob in globs):
            self.name_only = re.compile("|".join(f"(?:{fnmatch.translate(glob)})" for glob in globs)).match
        self.skipped = skipped
        self.seen: set[tuple[int, int]] = set()

    def walk(self, top: str) -> Iterator[tuple[str, tuple[int, int] | str]]:
        """(path, identity) of each file under `top` that the globs take, depth first in name order.

        A stack of open folder listings rather than recursion: a tree 1,100 folders deep overflowed
        Python's call stack (RecursionError), and the load found nothing.
        """
        stack: list[tuple[str, int, Iterator[os.DirEntry]]] = []
        self._enter(top, "", stack)
        while stack:
            relative, device, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            child = os.path.join(relative, entry.name) if relative else entry.name
            if _is_folder(entry):
                if entry.name.startswith("."):
                    self.skipped.append(SkippedPath(Path(entry.path), HIDDEN_FOLDER))
                else:
                    self._enter(top, child, stack)
            elif (reason := skipped_reason(entry.name, self.globs)) is not None:
                self.skipped.append(SkippedPath(Path(entry.path), reason))
            elif self.name_only(entry.name) if self.name_only else _matches(child, self.globs):
                yield entry.path, _entry_identity(entry, device)

    def _enter(self, top: str, relative: str, stack: list) -> None:
        """Open `top/relative` for the walk, unless it was searched already or cannot be read (said so)."""
        folder = os.path.join(top, relative) if relative else top
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in self.seen:
                return
            self.seen.add((status.st_dev, status.st_ino))
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            self.skipped.append(SkippedPath(Path(folder), f"unreadable folder ({error.strerror or error})"))
            return
        stack.append((relative, status.st_dev, iter(entries)))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a symbolic link; a broken one is not a folder
    except OSError:
        return False


def _entry_identity(entry: os.DirEntry, folder_device: int) -> tuple[int, int] | str:
    """A found file's identity; free for a plain file (its inode is in the folder listing, its device the folder's)."""
    if entry.is_symlink():
        return _identity(entry.path)
    return folder_device, entry.inode()


def _identity(path: str) -> tuple[int, int] | str:
    """What makes two paths the same file: device and inode (the path itself if it cannot be looked at)."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.abspath(path)
    return status.st_dev, status.st_ino


WEB_ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
HASH_CHUNK = 1 << 20


def is_web_archive(path: str) -> bool:
    return path.lower().endswith(WEB_ARCHIVE_SUFFIXES)


def hash_file(found: FoundFile) -> FileContent:
    """A large file's SHA-256 read a megabyte at a time (a web archive: its pages are read one by one later);
    `data` is empty. FileRefused when it cannot be read."""
    status = _regular_file_status(found)
    digest = hashlib.sha256()
    try:
        with open(found.path, "rb") as file:
            while chunk := file.read(HASH_CHUNK):
                digest.update(chunk)
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or error}", status.st_size, status.st_mtime_ns) from None
    return FileContent(found, b"", status.st_size, status.st_mtime_ns, digest.hexdigest())


def _regular_file_status(found: FoundFile) -> os.stat_result:
    try:
        status = os.stat(found.path)
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a pipe, socket or device"
        raise FileRefused(f"cannot read: {kind}, not a regular file", None, status.st_mtime_ns)
    return status


def read_file(found: FoundFile, max_size: int = DEFAULT_MAX_SIZE) -> FileContent:
    """The file's bytes and SHA-256, or FileRefused saying why they cannot be had."""
    status = _regular_file_status(found)
    if max_size and status.st_size > max_size:
        raise FileRefused(
            f"{status.st_size} bytes is more than the limit of {max_size} bytes (see --max-size)",
            status.st_size,
            status.st_mtime_ns,
        )
    try:
        with open(found.path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or error}", status.st_size, status.st_mtime_ns) from None
    return FileContent(found, data, len(data), status.st_mtime_ns, hashlib.sha256(data).hexdigest())

"""What a parsing process runs: chunks of files in, their statements (or refusals) out, until told to stop.

A module of its own, outside the store package, so that a fresh worker process imports the parser and the
pure key functions of `iwfdb.store.rows`, nothing more (the loader and SQLAlchemy stay out of it).
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import NamedTuple

from iwfdb.errors import ParseError
from iwfdb.interrupts import STOP_SIGNALS
from iwfdb.parse import parse_bytes
from iwfdb.records import ParsedFile
from iwfdb.store.rows import StatementKeys, statement_keys

Parser = Callable[..., ParsedFile]  # (data, source, **hints)


class Read(NamedTuple):
    """A file parsed, and the keys its statement is filed under: made here, beside the parse, since the
    loader's one process writes every row and the workers have time to spare (a tenth of a cold load)."""

    parsed: ParsedFile
    keys: StatementKeys


Outcome = Read | ParseError


def serve(chunks: Connection, results: Connection) -> None:
    """Parse each chunk that comes, send back its results; leave quietly when the chunks pipe closes.

    It closes when the loader hangs up or dies (`kill -9`, the out-of-memory killer): a worker never
    outlives its loader by more than the chunk in its hands, and never prints a traceback on the way.
    Ctrl-C reaches every process of the terminal's group: a worker sets it aside, the loader decides.
    The parent started it with the stop signals blocked; SIGTERM and SIGHUP keep their default (end
    quietly), so that a stop sent to the whole group ends the workers at once.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    waiting: queue.SimpleQueue = queue.SimpleQueue()
    # Chunks are read as they come, while one is parsed: the loader never blocks sending a chunk while
    # this process blocks sending results it has not read yet.
    threading.Thread(target=_read_chunks, args=(chunks, waiting), daemon=True).start()
    while (chunk := waiting.get()) is not None:
        try:
            results.send(parse_chunk(chunk))
        except OSError:  # the loader hung up or is gone: nobody to send to
            return


def _read_chunks(chunks: Connection, waiting: queue.SimpleQueue) -> None:
    try:
        while True:
            waiting.put(chunks.recv())
    except (EOFError, OSError):
        waiting.put(None)


def read(parse: Parser, data: bytes, source: str, hints: dict | None = None) -> Outcome:
    """What `parse` gives for one file, with the statement's keys, or the ParseError it raised."""
    try:
        parsed = parse(data, source, **hints) if hints else parse(data, source)
    except ParseError as error:
        return error
    return Read(parsed, statement_keys(parsed.statement, os.path.basename(source)))


def parse_chunk(chunk: list[tuple[bytes, str, dict | None]]) -> list[tuple]:
    """Each file read; a refusal travels back as its parts (an exception with arguments pickles poorly)."""
    results: list[tuple] = []
    for data, source, hints in chunk:
        result = read(parse_bytes, data, source, hints)
        if isinstance(result, ParseError):
            results.append(("error", result.message, result.source, result.line, result.column))
        else:
            results.append(("parsed", result))
    return results


def outcome(result: tuple) -> Outcome:
    """A result of `parse_chunk` as `read` gave it: a Read, or the ParseError the parser raised."""
    if result[0] == "error":
        return ParseError(*result[1:])
    return result[1]

"""What a parsing process runs: chunks of files in, their statements (or refusals) out, until told to stop.

A module of its own, outside the store package, so that a fresh worker process imports the parser and
nothing else (importing `iwfdb.store` would bring in SQLAlchemy for nothing).
"""

from __future__ import annotations

import queue
import signal
import threading
from multiprocessing.connection import Connection

from iwfdb.errors import ParseError
from iwfdb.interrupts import STOP_SIGNALS
from iwfdb.parse import parse_bytes
from iwfdb.records import ParsedFile

Outcome = ParsedFile | ParseError


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


def parse_chunk(chunk: list[tuple[bytes, str, dict | None]]) -> list[tuple]:
    """Each file parsed; a refusal travels back as its parts (an exception with arguments pickles poorly)."""
    results: list[tuple] = []
    for data, source, hints in chunk:
        try:
            results.append(("parsed", parse_bytes(data, source, **(hints or {}))))
        except ParseError as error:
            results.append(("error", error.message, error.source, error.line, error.column))
    return results


def outcome(result: tuple) -> Outcome:
    """A result of `parse_chunk` as what the parser gave: a ParsedFile, or the ParseError it raised."""
    if result[0] == "error":
        return ParseError(*result[1:])
    return result[1]

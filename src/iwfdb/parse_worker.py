"""What a parsing process runs: chunks of files in, their statements (or refusals) out, until told to stop.

A module of its own, outside the store package, so that a fresh worker process imports the parser and the
pure key functions of `iwfdb.record_keys`, nothing more (the loader and SQLAlchemy stay out of it).
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
from iwfdb.record_keys import StatementKeys, statement_keys
from iwfdb.records import ParsedFile

Parser = Callable[..., ParsedFile]  # (data, source, **hints)


class Read(NamedTuple):
    """A file parsed, and the keys its statement is filed under: made here, beside the parse, since the
    loader's one process writes every row and the workers have time to spare (a tenth of a cold load)."""

    parsed: ParsedFile
    keys: StatementKeys


Outcome = Read | ParseError
# How much of an exception's text a failure message keeps: enough to tell one fault from another.
DETAIL_CHARACTERS = 200


def serve(chunks: Connection, results: Connection, parse: Parser = parse_bytes) -> None:
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
            results.send(parse_chunk(chunk, parse))
        except OSError:  # the loader hung up or is gone: nobody to send to
            return


def _read_chunks(chunks: Connection, waiting: queue.SimpleQueue) -> None:
    try:
        while True:
            waiting.put(chunks.recv())
    except (EOFError, OSError):
        waiting.put(None)


def read(parse: Parser, data: bytes, source: str, hints: dict | None = None) -> Outcome:
    """What `parse` gives for one file, with the statement's keys; or the ParseError that refused it, or that
    says the parser itself failed on it: any exception (Python's recursion limit, a codec's, a bug of ours)
    is that file's failure, never the load's."""
    try:
        parsed = parse(data, source, **hints) if hints else parse(data, source)
        return Read(parsed, statement_keys(parsed.statement, os.path.basename(source)))
    except ParseError as error:
        return error
    except Exception as error:  # noqa: BLE001 - see above; KeyboardInterrupt and SystemExit still go through
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return parser_failed(source, detail)


def parser_failed(source: str, what_happened: str) -> ParseError:
    """A file iwfdb's parser could not read for a fault of its own, and what happened (for a bug report)."""
    what_happened = " ".join(what_happened.split())[:DETAIL_CHARACTERS]
    return ParseError(
        f"iwfdb's parser failed on this file ({what_happened}): it is left out; please report this with the file",
        source,
        None,
        None,
    )


def parse_chunk(chunk: list[tuple[bytes, str, dict | None]], parse: Parser = parse_bytes) -> list[tuple]:
    """Each file read, as `sendable` gives it."""
    return [sendable(read(parse, data, source, hints)) for data, source, hints in chunk]


def sendable(read_outcome: Outcome) -> tuple:
    """An outcome as it travels between processes: a refusal as its parts (an exception with arguments pickles
    poorly)."""
    if isinstance(read_outcome, ParseError):
        return ("error", read_outcome.message, read_outcome.source, read_outcome.line, read_outcome.column)
    return ("parsed", read_outcome)


def outcome(result: tuple) -> Outcome:
    """A result of `parse_chunk` as `read` gave it: a Read, or the ParseError the parser raised."""
    if result[0] == "error":
        return ParseError(*result[1:])
    return result[1]

"""Parsing in worker processes while the loading process writes: the two halves of a load overlap.

Parsing is pure Python and writing waits on SQLite, so on a machine with two cores a load spends about
the time of the slower half instead of the sum of both. Work goes out in chunks of files (one message
per file would cost more than the parse), and only a bounded number of chunks is in flight, so memory
stays flat however large the corpus. Results come back in the order the files were given.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from iwfdb import records
from iwfdb.errors import ParseError

if TYPE_CHECKING:
    from iwfdb.parse_worker import Outcome

CHUNK_FILES = 32
CHUNKS_IN_FLIGHT = 8
# Starting worker processes costs about a tenth of a second: a load with fewer files to parse than this
# (a re-load that finds a few changed or failed files) parses them here instead.
WORKERS_FROM = 8 * CHUNK_FILES

Job = TypeVar("Job")
Parser = Callable[[bytes, str], records.ParsedFile]


def parse_one(parse: Parser, data: bytes, source: str, hints: dict | None = None) -> Outcome:
    """What `parse` gives for one file (with what its web archive said of it), or the ParseError it raised."""
    try:
        return parse(data, source, **hints) if hints else parse(data, source)
    except ParseError as error:
        return error


class ParsePipeline(Generic[Job]):
    """Parse files in the order given, in worker processes once there are enough of them to pay off.

    `submit(job, data, source)` queues a file; `ready()` yields (job, outcome) pairs whose parse is done
    and that no earlier file still waits for; `drain()` yields all that remain. Outcomes are a ParsedFile
    or the ParseError that refused the file.
    """

    def __init__(self, parse: Parser | None = None, workers: int | None = None):
        self.custom_parse = parse
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.pool = None
        self.chunk: list[tuple[Job, bytes, str, dict | None]] = []
        self.in_flight: deque = deque()

    def submit(self, job: Job, data: bytes, source: str, hints: dict | None = None) -> None:
        self.chunk.append((job, data, source, hints))
        if not self._use_workers():
            return
        if self.pool is None and len(self.chunk) >= WORKERS_FROM:
            for start in range(0, len(self.chunk), CHUNK_FILES):  # the pool starts with chunks to work on
                self._send_chunk(self.chunk[start : start + CHUNK_FILES])
            self.chunk = []
        elif self.pool is not None and len(self.chunk) >= CHUNK_FILES:
            self._send_chunk(self.chunk)
            self.chunk = []

    def ready(self) -> Iterator[tuple[Job, Outcome]]:
        """What is parsed; waits only when too many chunks are in flight."""
        if self.pool is None:
            if not self._use_workers():
                yield from self._parse_here()
            return
        while self.in_flight and (len(self.in_flight) > CHUNKS_IN_FLIGHT or self.in_flight[0][1].ready()):
            yield from self._receive_chunk()

    def drain(self) -> Iterator[tuple[Job, Outcome]]:
        if self.pool is not None and self.chunk:
            self._send_chunk(self.chunk)
            self.chunk = []
        while self.in_flight:
            yield from self._receive_chunk()
        yield from self._parse_here()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def _use_workers(self) -> bool:
        return self.custom_parse is None and self.workers > 1

    def _parse_here(self) -> Iterator[tuple[Job, Outcome]]:
        from iwfdb.parse import parse_bytes

        chunk, self.chunk = self.chunk, []
        for job, data, source, hints in chunk:
            yield job, parse_one(self.custom_parse or parse_bytes, data, source, hints)

    def _send_chunk(self, chunk: list[tuple[Job, bytes, str, dict | None]]) -> None:
        if self.pool is None:
            # Fresh interpreters that import only the parser: forked ones would carry (and count) all this
            # process holds by then, the database libraries and the list of files included.
            self.pool = multiprocessing.get_context("spawn").Pool(self.workers)
        jobs = [job for job, *_ in chunk]
        work = [(data, source, hints) for _, data, source, hints in chunk]
        from iwfdb.parse_worker import parse_chunk

        self.in_flight.append((jobs, self.pool.apply_async(parse_chunk, (work,))))

    def _receive_chunk(self) -> Iterator[tuple[Job, Outcome]]:
        from iwfdb.parse_worker import outcome

        jobs, pending = self.in_flight.popleft()
        yield from zip(jobs, map(outcome, pending.get()))

"""Parsing in worker processes while the loading process writes: the two halves of a load overlap.

Parsing is pure Python and writing waits on SQLite, so on a machine with two cores a load spends about
the time of the slower half instead of the sum of both. Work goes out in chunks of files (one message
per file would cost more than the parse), and only a bounded number of chunks is in flight, so memory
stays flat however large the corpus. Results come back in the order the files were given.

A re-load of a large corpus finds a few changed files among many unchanged ones: the first of them starts one
worker forked from the loader (a thousandth of a second, where a fresh interpreter costs a tenth), which parses
them while the loader goes on reading the others, as the cold load's workers do. More workers are added,
spawned fresh, once the one at work falls behind. Spawned ones import only the parser: a forked one carries all
the loader holds by then, and would count it in its memory; at the start of a load that is little.

The workers are plain processes, each with a pipe for chunks and one for results, rather than a
multiprocessing Pool: a Pool's workers share queues guarded by locks, and a worker that dies holding one
(Ctrl-C reaches every process of a terminal's group) left Pool.terminate() waiting for ever. Here a worker
ignores Ctrl-C, since the loader decides when to stop, and leaves when its chunk pipe closes: when the
loader closes it, or dies. The loader stops waiting for a chunk as soon as `should_stop()` says so.

A worker that dies (a crash in C code, the out-of-memory killer, a kill by hand) loses its chunks, not the
load: a fresh worker reads the oldest of them again one file at a time, so that a file that kills its worker
again fails alone, named with how its worker ended, and the dead worker's other chunks are sent again whole.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from multiprocessing import resource_tracker
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from iwfdb.errors import IwfdbError
from iwfdb.forking import fork_is_safe
from iwfdb.interrupts import STOP_SIGNALS

if TYPE_CHECKING:
    from iwfdb.parse_worker import Outcome, Parser

CHUNK_FILES = 32
CHUNKS_IN_FLIGHT = 16
# Starting worker processes costs about a tenth of a second: a load with fewer files to parse than this
# (a re-load that finds a few changed or failed files) parses them here instead.
WORKERS_FROM = 8 * CHUNK_FILES
# A load that looks at this many files or more forks one worker for its first file to parse, where a fork is
# safe (iwfdb.forking). Below, reading them takes less time than the fork saves.
FORK_FROM_FILES = 1_000
PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process
# How often a wait for a chunk looks whether the load should stop: the delay a Ctrl-C can see.
STOP_CHECK_SECONDS = 0.05
# How long a closed worker may take to finish the chunk in its hands before it is killed.
CLOSE_SECONDS = 1.0
# Fresh workers that died in a row, each on the one file it was given: past this many, workers die whatever
# they read (no memory left, a broken installation) and the load stops rather than fail every file.
LOSSES_IN_A_ROW_AT_MOST = 8

Job = TypeVar("Job")


class WorkerLost(IwfdbError):
    """Parse workers keep ending without being told to, whatever file they are given."""


class _Chunk(NamedTuple):
    """Files sent to a worker together: the loader's jobs, and what was sent (kept, to be sent again)."""

    jobs: list
    work: list[tuple[bytes, str, dict | None]]
    worker: _Worker


class ParsePipeline(Generic[Job]):
    """Parse files in the order given, in worker processes once there are enough of them to pay off.

    `submit(job, data, source)` queues a file; `ready()` yields (job, outcome) pairs whose parse is done
    and that no earlier file still waits for; `drain()` yields all that remain. Outcomes are a Read (the
    ParsedFile and its statement's keys) or the ParseError that refused the file. Both stop yielding once
    `should_stop()` is true; `close()` ends the workers, whatever they were doing.
    """

    worker_parse: Parser | None = None  # what workers run instead of the parser (tests: a file that kills them)

    def __init__(self, parse: Parser | None = None, workers: int | None = None, should_stop=lambda: False, files=0):
        self.custom_parse = parse
        self.worker_count = workers if workers is not None else (os.cpu_count() or 1)
        self.fork_first = files >= FORK_FROM_FILES  # `files` the load looks at: many, and a worker is forked at once
        self.should_stop: Callable[[], bool] = should_stop
        self.workers: list[_Worker] = []
        self.chunk: list[tuple[Job, bytes, str, dict | None]] = []
        self.in_flight: deque[_Chunk] = deque()
        self.losses = _Losses()

    def submit(self, job: Job, data: bytes, source: str, hints: dict | None = None) -> None:
        """Queue a file; `hints` go to the parser with it (what a web archive or the user says of it)."""
        self.chunk.append((job, data, source, hints))
        if not self._use_workers():
            return
        if not self.workers and self.fork_first and fork_is_safe():
            self.workers = [self._new_worker(forked=True)]
        if not self.workers and len(self.chunk) >= WORKERS_FROM:
            for start in range(0, len(self.chunk), CHUNK_FILES):  # the workers start with chunks to work on
                self._send_chunk(self.chunk[start : start + CHUNK_FILES])
            self.chunk = []
        elif self.workers and len(self.chunk) >= CHUNK_FILES:
            self._send_chunk(self.chunk)
            self.chunk = []

    def ready(self) -> Iterator[tuple[Job, Outcome]]:
        """What is parsed, once the pipeline is full: the workers always have chunks ahead of the loader (taken
        as soon as each came back, they would wait for the loader's next file, idle half the time)."""
        if not self.workers:
            if not self._use_workers():
                yield from self._parse_here()
            return
        while len(self.in_flight) >= CHUNKS_IN_FLIGHT:
            if not (yield from self._receive_chunk()):
                return

    def drain(self) -> Iterator[tuple[Job, Outcome]]:
        if self.workers and self.chunk:
            self._send_chunk(self.chunk)
            self.chunk = []
        while self.in_flight:
            if not (yield from self._receive_chunk()):
                return
        yield from self._parse_here()

    def close(self) -> None:
        """End the workers: told first (their pipes close), killed if they do not leave within CLOSE_SECONDS."""
        for worker in self.workers:
            worker.hang_up()
        for worker in self.workers:
            worker.end()
        self.workers = []
        self.in_flight.clear()

    def _use_workers(self) -> bool:
        return self.custom_parse is None and self.worker_count > 1

    def _parse_here(self) -> Iterator[tuple[Job, Outcome]]:
        from iwfdb.parse import parse_bytes
        from iwfdb.parse_worker import read

        chunk, self.chunk = self.chunk, []
        for job, data, source, hints in chunk:
            if self.should_stop():
                return
            yield job, read(self.custom_parse or parse_bytes, data, source, hints)

    def _send_chunk(self, chunk: list[tuple[Job, bytes, str, dict | None]]) -> None:
        # The workers fall behind when the oldest of WORKERS_FROM's worth of chunks is not parsed yet: all hands. (A
        # re-load's few changed files come far apart, and one worker keeps up with them.) Asked only while some
        # are missing.
        missing = self.worker_count - len(self.workers)
        if missing and (not self.workers or self._falling_behind()):
            self.workers += [self._new_worker() for _ in range(missing)]
        worker = min(self.workers, key=lambda candidate: candidate.pending)
        work = [(data, source, hints) for _, data, source, hints in chunk]
        worker.send(work)
        self.in_flight.append(_Chunk([job for job, *_ in chunk], work, worker))

    def _falling_behind(self) -> bool:
        return len(self.in_flight) >= WORKERS_FROM // CHUNK_FILES and not self.in_flight[0].worker.has_results()

    def _new_worker(self, forked: bool = False) -> _Worker:
        return _Worker(self.worker_parse, forked)

    def _receive_chunk(self):
        """Yield the oldest chunk's outcomes; return False, yielding nothing, when the load should stop."""
        from iwfdb.parse_worker import outcome

        oldest = self.in_flight[0]
        try:
            results = oldest.worker.receive(self.should_stop)
        except _Died:
            results = self._after_death(oldest.worker)
        if results is None:
            return False
        self.in_flight.popleft()
        yield from zip(oldest.jobs, map(outcome, results), strict=False)
        return True

    def _after_death(self, dead: _Worker) -> list | None:
        """The oldest chunk's results, read again a file at a time by a fresh worker, which then takes the dead
        one's place and its other chunks; None when the load should stop meanwhile."""
        dead.hang_up()
        dead.end()
        worker, results = self._one_by_one(self.in_flight[0].work)
        self.workers = [worker if candidate is dead else candidate for candidate in self.workers]
        if results is None:
            return None
        for index, chunk in enumerate(self.in_flight):
            if index and chunk.worker is dead:
                worker.send(chunk.work)
                self.in_flight[index] = chunk._replace(worker=worker)
        return results

    def _one_by_one(self, work: list[tuple[bytes, str, dict | None]]) -> tuple[_Worker, list | None]:
        """Each file sent alone to a fresh worker: one that kills it fails, saying how it ended, and the next
        file goes to another fresh worker. The last worker, and the results (None: the load should stop)."""
        from iwfdb.parse_worker import parser_failed, sendable

        worker, results = self._new_worker(), []
        for data, source, hints in work:
            worker.send([(data, source, hints)])
            try:
                answer = worker.receive(self.should_stop)
            except _Died:
                self.losses.add(worker)
                answer = [sendable(parser_failed(source, f"its parsing process ended: {worker.how_it_ended()}"))]
                worker = self._new_worker()
            else:
                self.losses.in_a_row = 0
            if answer is None:
                return worker, None
            results += answer
        return worker, results


class _Losses:
    """Fresh workers that died in a row, each on the one file it was given."""

    def __init__(self) -> None:
        self.in_a_row = 0

    def add(self, worker: _Worker) -> None:
        """One more (ended for good); past LOSSES_IN_A_ROW_AT_MOST, the load stops with WorkerLost."""
        worker.hang_up()
        worker.end()
        self.in_a_row += 1
        if self.in_a_row >= LOSSES_IN_A_ROW_AT_MOST:
            raise WorkerLost(
                f"parsing processes keep ending, whatever file they are given (the last one: "
                f"{worker.how_it_ended()}); is the machine out of memory? What was committed is kept: "
                "run the same load again to finish"
            )


class _Died(Exception):
    """A worker ended without being told to, before it sent the results it owed."""


class _Worker:
    """One parsing process and its two pipes: chunks go out on one, results come back on the other."""

    def __init__(self, parse: Parser | None = None, forked: bool = False) -> None:
        from iwfdb.parse_worker import serve

        context = multiprocessing.get_context("fork") if forked else multiprocessing.get_context("spawn")
        chunks_in, self.chunks = context.Pipe(duplex=False)
        self.results, results_out = context.Pipe(duplex=False)
        arguments = (chunks_in, results_out) if parse is None else (chunks_in, results_out, parse)
        target: Callable = serve
        if forked:  # it holds this side's ends too: closed, else it would never see the loader hang up
            target, arguments = _serve_forked, ((self.chunks, self.results), *arguments)
        self.process = context.Process(target=target, args=arguments, name="iwfdb parse", daemon=True)
        with _stop_signals_blocked(spawning=not forked), _collection_paused() if forked else nullcontext():
            self.process.start()
        for end in (self.chunks, self.results):
            _widen(end)
        chunks_in.close()
        results_out.close()
        self.pending = 0

    def send(self, work: list[tuple[bytes, str, dict | None]]) -> None:
        try:
            self.chunks.send(work)
        except OSError:  # it is gone: waiting for its results says so
            pass
        self.pending += 1

    def receive(self, should_stop: Callable[[], bool]) -> list | None:
        """The oldest chunk's results, once ready; None once `should_stop()` is true."""
        while True:
            if should_stop():
                return None
            if self.results.poll(STOP_CHECK_SECONDS):
                break
        try:
            results = self.results.recv()
        except (EOFError, OSError):
            if should_stop():  # a stop signal sent to the whole group ends the workers too
                return None
            raise _Died from None
        self.pending -= 1
        return results

    def has_results(self) -> bool:
        """Whether the chunk it has had longest is parsed (or it is gone: a wait for it says so at once)."""
        try:
            return self.results.poll(0)
        except OSError:
            return True

    def hang_up(self) -> None:
        self.chunks.close()
        self.results.close()

    def end(self) -> None:
        self.process.join(CLOSE_SECONDS)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()

    def how_it_ended(self) -> str:
        self.process.join(CLOSE_SECONDS)
        code = self.process.exitcode
        return f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"


def _widen(end) -> None:
    """A pipe that holds several chunks (Linux: 64 kB by default, less than one): a sender then seldom waits for
    the other process to take the GIL and read (a tenth of a cold load's time at 20,000 files)."""
    try:
        import fcntl

        fcntl.fcntl(end.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit (fs/pipe-max-size): as it is
        pass


def _serve_forked(loader_ends, *arguments) -> None:
    """A forked worker's start: the loader's objects out of its collector's reach, the loader's ends of its
    pipes closed, the stop signals' actions the kernel's (it inherits the loader's handlers, which only take
    note of a stop), then the work."""
    from iwfdb.parse_worker import serve

    gc.freeze()  # what the loader holds is never collected here: a finaliser (a database connection's) never runs
    gc.enable()
    for end in loader_ends:
        end.close()
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    serve(*arguments)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """While a worker forks: it starts with the collector off, until it has set the loader's objects aside.
    (Freezing them here and thawing them after the fork would be simpler, but thawed objects are not counted
    as long-lived: the loader then ran full collections over all it holds again and again, 20% of a cold load
    of 100,000 files.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _stop_signals_blocked(spawning: bool = True):
    """Stop signals wait while a worker starts: it inherits the block, and sets Ctrl-C aside before any
    can reach it (a Ctrl-C during its start-up would otherwise print a KeyboardInterrupt traceback)."""
    # The first start of a spawned process also starts multiprocessing's resource tracker, which unblocks
    # SIGINT and SIGTERM when it is up: it is started first, so that nothing undoes the block.
    if spawning:
        resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)

"""A user's own SQL statement, read in a thread of its own under a time budget: the engine-neutral half of
`iwfdb sql` (each engine's side says how to run, interrupt and explain a statement).

Rows stream: the caller gets the column names, then the rows a batch at a time as they are read, so a
result of millions of rows takes the memory of a few batches. The time limit counts the seconds the engine
works, not the time rows wait for a slow reader (`| less`). At the limit the caller stops waiting and the
engine is interrupted: it stops at its next step, or, inside one long function call that has none
(`instr()` over a string of many megabytes), when that call returns; the thread then closes its connection.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from iwfdb.errors import IwfdbError

# Rows a fetch: the hand-over between threads costs a few microseconds, nothing at this size.
FETCH_ROWS = 1_000
BATCHES_AHEAD = 4  # batches read before the reader takes them: the memory a stream holds
_POLL = 0.1  # how often a thread waiting on the other looks whether it should give up


def stopped_after(timeout: float) -> IwfdbError:
    return IwfdbError(f"the query was stopped after {timeout:g} s; give it longer with --timeout SECONDS")


class _Budget:
    """The seconds of engine work a statement may use; time spent waiting for the reader is not counted."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent = 0.0
        self.since: float | None = None
        self.lock = threading.Lock()

    @contextmanager
    def working(self):
        with self.lock:
            self.since = time.monotonic()
        try:
            yield
        finally:
            with self.lock:
                self.spent += time.monotonic() - self.since
                self.since = None

    def left(self) -> float:
        with self.lock:
            working = time.monotonic() - self.since if self.since is not None else 0.0
            return self.seconds - self.spent - working


class Statement:
    """One statement read by a thread into a short queue: columns first, then batches, then the end.

    `execute()` runs the statement on the thread's own connection and returns its cursor; `interrupt()`
    stops the engine from another thread; `close()` closes the connection; `explain(error)` turns the
    engine's error (`error_type`) into the user's message.
    """

    def __init__(
        self,
        execute: Callable,
        interrupt: Callable,
        close: Callable,
        explain: Callable,
        error_type: type[BaseException],
        timeout: float,
    ):
        self.execute, self.interrupt, self.close, self.explain = execute, interrupt, close, explain
        self.error_type, self.timeout = error_type, timeout
        self.budget = _Budget(timeout)
        self.results: queue.Queue = queue.Queue(maxsize=BATCHES_AHEAD)
        self.stopped = threading.Event()
        self.closing = threading.Lock()  # interrupt() must never meet a connection being closed
        self.open = True
        threading.Thread(target=self._read, name="iwfdb sql", daemon=True).start()

    def take(self):
        """What the thread read next: the columns, a batch of rows, or None at the end."""
        while True:
            left = self.budget.left()
            if left <= 0:
                self.stop()
                raise stopped_after(self.timeout)
            try:
                kind, value = self.results.get(timeout=min(left, _POLL))
            except queue.Empty:
                continue
            if kind == "error":
                raise value
            return value

    def stop(self) -> None:
        """Stop reading: the thread leaves at its next step and closes its connection."""
        self.stopped.set()
        with self.closing:
            if self.open:
                self.interrupt()

    def _read(self) -> None:
        try:
            with self.budget.working():
                cursor = self.execute()
            self._give("columns", [description[0] for description in cursor.description or ()])
            while not self.stopped.is_set():
                with self.budget.working():
                    batch = cursor.fetchmany(FETCH_ROWS)
                self._give("rows", batch or None)
                if not batch:
                    break
        except self.error_type as error:
            self._give("error", self.explain(error))
        except Exception as error:  # a bug: raised where the caller is, with its traceback, not lost here
            self._give("error", error)
        finally:
            with self.closing:
                self.close()
                self.open = False

    def _give(self, kind: str, value) -> None:
        while not self.stopped.is_set():
            try:
                self.results.put((kind, value), timeout=_POLL)
                return
            except queue.Full:
                continue


def columns_and_rows(statement: Statement) -> tuple[list[str], Rows]:
    """The statement's column names (or its error, raised here), and a stream of its rows as tuples."""
    try:
        columns = statement.take()
    except BaseException:
        statement.stop()
        raise
    return columns, Rows(statement)


class Rows:
    """The rows of a statement as they are read; closing it (or dropping it) stops the reading."""

    def __init__(self, statement: Statement):
        self.statement = statement
        self.batch: Iterator[tuple] = iter(())
        self.done = False

    def __iter__(self) -> Rows:
        return self

    def __next__(self) -> tuple:
        while not self.done:
            row = next(self.batch, None)
            if row is not None:
                return row
            try:
                batch = self.statement.take()
            except BaseException:
                self.close()
                raise
            if batch is None:
                self.close()
            else:
                self.batch = iter(batch)
        raise StopIteration

    def close(self) -> None:
        if not self.done:
            self.done = True
            self.statement.stop()

    __del__ = close

"""Ctrl-C, SIGTERM and SIGHUP: a clean stop with exit status 128 + the signal's number, never a traceback.

A command runs in one of two modes:

- install(): each stop signal raises Interrupted wherever the program is, as Ctrl-C raises
  KeyboardInterrupt, and the command line's boundary turns it into its exit status. Python swallows an
  exception raised inside a weakref callback or a `__del__` (it prints "Exception ignored"): such an
  Interrupted is kept off stderr and raised again by raise_missed() when the command returns.
- `with StopRequest() as stop:` (importing the command line, and a whole load): a signal only records
  the request, and the work reads `stop.requested()` where stopping is safe, between two files of a
  load. A second signal meets the kernel's default action and ends the process at once, as `kill -9`
  would: SQLite rolls back what was not committed.

leave() hands the signals back to the kernel's default action while Python shuts down, so that a late
signal ends the process quietly, with the same status for the shell.

Signal handlers are the process's, so the little state here is too (the signals missed). Stdlib only:
the command line installs this before it imports anything else.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_missed: list[int] = []  # signals whose Interrupted Python swallowed


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, as KeyboardInterrupt is: no `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def install() -> None:
    """From now on, each stop signal raises Interrupted in the main thread."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_interrupted)
    sys.unraisablehook = _keeping_missed_interrupts(sys.unraisablehook)


def raise_missed() -> None:
    """Raise the Interrupted that Python swallowed, if it did."""
    if _missed:
        raise Interrupted(_missed.pop())


def leave() -> None:
    """The kernel's default action for every stop signal, from now on."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _keeping_missed_interrupts(hook):
    def unraisable(event) -> None:
        if isinstance(event.exc_value, Interrupted):
            _missed.append(event.exc_value.signum)
        else:
            hook(event)

    return unraisable


class StopRequest:
    """Inside `with StopRequest() as stop:`, a stop signal sets `stop.signum` and raises nothing.

    The handlers in place before are put back on leaving, whatever they were (install()'s, or Python's
    own when a library or a test uses this), unless a signal came: the process is then on its way out,
    and a second one ends it.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._before: dict[int, Any] = {}  # what signal.signal() gave back: a handler, or one of its constants

    def requested(self) -> bool:
        return self.signum is not None

    def __enter__(self) -> StopRequest:
        for signum in STOP_SIGNALS:
            self._before[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(self, *_exception) -> None:
        if self.signum is None:
            for signum, handler in self._before.items():
                signal.signal(signum, handler)

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum
        leave()  # a second signal is not asked twice

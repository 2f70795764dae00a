"""A parser for tests of what a load does when parsing goes wrong: files whose text starts with `POISON` make it
fail the way they say, every other file goes to the real parser.

    POISON raise RecursionError   raises that exception (any builtin one), as a parser bug would
    POISON kill                   kills the process parsing it (SIGKILL), as a crash in C code or the
                                  out-of-memory killer would
    POISON sleep 0.02             takes that many seconds first, as a long page would (then is refused)

A module of its own, with nothing but the parser in it, so that a parse worker can run it: a spawned process
imports a function by its module's name.
"""

from __future__ import annotations

import builtins
import os
import signal
import time

from iwfdb.parse import parse_bytes
from iwfdb.records import ParsedFile

POISON = b"POISON "


def parse_or_die(data: bytes, source: str, **hints) -> ParsedFile:
    if data.startswith(POISON):
        what, _, argument = data[len(POISON) :].decode().strip().partition(" ")
        if what == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if what == "raise":
            raise getattr(builtins, argument)("poisoned on purpose")
        if what == "sleep":
            time.sleep(float(argument))
    return parse_bytes(data, source, **hints)


def die_always(data: bytes, source: str, **hints) -> ParsedFile:
    """A parser whose process dies whatever it reads (no memory left, a broken installation)."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")

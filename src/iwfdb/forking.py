"""When this process may fork a child that goes on running Python: on Linux, with no other thread running.

A fork copies only the thread that calls it: a lock another thread held at that moment stays held in the child
for ever. macOS's system libraries are not safe to fork at all (Python spawns there by default). iwfdb's
command line runs one thread; a program that calls iwfdb from a thread of its own gets fresh processes.
"""

from __future__ import annotations

import sys
import threading


def fork_is_safe() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1

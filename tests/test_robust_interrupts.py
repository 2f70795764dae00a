"""Interrupts: Ctrl-C, SIGTERM or SIGKILL at a random moment of a load ends it cleanly, every time.

Each run starts `python -m iwfdb load` in a process group of its own, as a shell does, and signals it at a
random moment of its first 1.5 seconds, iwfdb's start-up included (a load of FILES files takes about a
second here). Python's own start-up comes first and is not iwfdb's to handle: a signal then ends the
process as it ends any Python program (a KeyboardInterrupt traceback). It takes some 25 ms here; the
moments are drawn after twice the time Python takes to import iwfdb.interrupts, measured in the same run. Ctrl-C goes
to the whole group, as a terminal sends it; SIGTERM to the loader alone (`kill PID`) or to the group
(a service manager). Every run must end within STOP_SECONDS of the signal with 130 or 143,
one line on stderr and no traceback from any process, leave no process of its group behind, and leave an
archive that `iwfdb db check` finds sound, with whole statements only; the next load finishes the job.
A load that has done its work and is exiting when the signal comes ends quietly, by the signal (the shell
sees the same 130 or 143) or, if it came within the last microseconds, with 0: either way all is loaded.
`IWFDB_INTERRUPT_RUNS=100 pytest tests/test_robust_interrupts.py` runs 100 loads per kind of signal.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time

import pytest
from helpers import ROOT, assert_whole, content, iwfdb, iwfdb_process, statement_folder

FILES = 2500
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
RUNS = int(os.environ.get("IWFDB_INTERRUPT_RUNS", "1"))
# Ctrl-C from a terminal (to the group); `kill PID` (the loader alone); a service manager's stop (the group).
SIGNALS = [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGTERM, True)]
STOP_SECONDS = 3.0  # the promise is a second or two; the margin is for a busy shared machine
LINE = re.compile(
    r"interrupted( before any file was loaded; run the same load again"
    rf"| after [\d,]+ of {FILES:,} files \(the results of those are committed\); run the same load again to finish)?\n"
)


@pytest.fixture(scope="module")
def python_start() -> float:
    """Seconds Python takes to start and reach iwfdb's first line here (the longest of three)."""
    times = []
    for _ in range(3):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "import iwfdb.interrupts"], check=True, env=ENVIRONMENT)
        times.append(time.monotonic() - started)
    return max(times)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return statement_folder(tmp_path_factory.mktemp("corpus"), FILES)


@pytest.fixture(scope="module")
def whole(archives, backend, corpus, tmp_path_factory):
    """The content of an archive loaded without interruption."""
    db = archives.new(backend, tmp_path_factory.mktemp("whole"))
    assert iwfdb(db, "load", "--quiet", corpus).exit_code == 0
    return content(db)


def interrupted_load(db, corpus, signum: int, to_group: bool, after: float) -> tuple[int | None, str]:
    """Start a load, signal it `after` seconds; its exit status (None if it finished first) and stderr."""
    process = iwfdb_process(db, "load", "--quiet", corpus, start_new_session=True)
    time.sleep(after)
    if process.poll() is not None:
        return None, process.communicate()[1]
    (os.killpg if to_group else os.kill)(process.pid, signum)
    signalled = time.monotonic()
    try:
        _, stderr = process.communicate(timeout=STOP_SECONDS)  # stderr closes when every process holding it ends
    finally:
        _end_group(process)
    assert time.monotonic() - signalled < STOP_SECONDS
    assert _group_is_empty(process.pid), "a process of the load outlived it"
    return process.returncode, stderr


def test_a_signal_at_any_moment_stops_the_load_cleanly(archives, backend, corpus, whole, python_start, tmp_path):
    db = archives.new(backend, tmp_path)
    moments = random.Random(RUNS)
    for run in range(RUNS * len(SIGNALS)):
        signum, to_group = SIGNALS[run % len(SIGNALS)]
        after = moments.uniform(2 * python_start, 1.5)
        status, stderr = interrupted_load(db, corpus, signum, to_group, after)
        if status in (None, 0, -signum):  # the load was over before the signal, or ending as it came
            assert stderr == "" and assert_whole(db) == FILES, (after, status, stderr)
            continue
        assert status == 128 + signum, (after, stderr)
        assert LINE.fullmatch(stderr), (after, stderr)
        assert_whole(db)
    assert iwfdb(db, "load", "--quiet", corpus).exit_code == 0
    assert assert_whole(db) == FILES and content(db) == whole


def test_workers_leave_quietly_when_the_loader_is_killed(archives, backend, corpus, tmp_path):
    db = archives.new(backend, tmp_path)
    for run in range(RUNS):
        process = iwfdb_process(db, "load", "--quiet", corpus, start_new_session=True)
        time.sleep(random.Random(run).uniform(0.5, 1.0))  # workers start after half a second
        process.kill()
        killed = time.monotonic()
        try:
            _, stderr = process.communicate(timeout=STOP_SECONDS)  # EOF: the workers holding stderr are gone
        finally:
            _end_group(process)
        assert time.monotonic() - killed < STOP_SECONDS and _group_is_empty(process.pid)
        assert stderr == "", stderr
        assert_whole(db)


def _group_is_empty(group: int) -> bool:
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _end_group(process: subprocess.Popen) -> None:
    """Whatever happened, leave no process of the run behind (they are ours)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()

"""How the benchmark times things and prints them: whole processes (with their own peak memory), in-process
calls, medians, and the table of results with each case's baseline, ratio and target."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """One line of the table; `backend` is the archive's engine (empty for what no archive is behind)."""

    case: str
    backend: str = ""
    seconds: float | None = None
    runs: list[float] = field(default_factory=list)
    rate: float | None = None
    unit: str = ""
    peak_mb: float | None = None
    baseline: str = ""
    baseline_seconds: float | None = None
    ratio: float | None = None
    target: float | None = None
    target_text: str = ""
    mark: str = ""
    note: str = ""
    error: str | None = None

    def judge(self) -> None:
        """The ratio to the baseline, and PASS/MISS when the issue sets a target for it."""
        if self.seconds is not None and self.baseline_seconds:
            self.ratio = self.seconds / self.baseline_seconds
        if self.target is not None and self.ratio is not None:
            self.mark = "PASS" if self.ratio <= self.target else "MISS"
            self.target_text = self.target_text or f"<= {self.target:g}x"

    def compare_with(self, other: Result | None, label: str) -> None:
        """Take `other` (a case measured earlier in this run) as the baseline, if it was measured."""
        if other is not None and other.seconds:
            self.baseline, self.baseline_seconds = label, other.seconds


@dataclass
class Process:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


# Spawned by a small interpreter rather than by the benchmark itself: Linux carries the spawning process's
# memory high-water mark into its child's ru_maxrss at exec, so a big parent would hide a small child's peak.
_SPAWNER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(argv: list[str], ok: tuple[int, ...] = (0,)) -> Process:
    """Run a whole process, start to exit, and return its time, its own peak RSS (wait4) and its output."""
    program = argv[0] if os.sep in argv[0] else (shutil.which(argv[0]) or argv[0])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".txt") as measured:  # fmt: skip
        subprocess.run([sys.executable, "-S", "-c", _SPAWNER, measured.name, program, *argv[1:]],
                       stdout=out, stderr=err, stdin=subprocess.DEVNULL, check=False)  # fmt: skip
        fields = measured.read().split()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if len(fields) != 3:
        raise RuntimeError(f"could not run {' '.join(argv[:6])}: {stderr.strip()[-300:]}")
    result = Process(float(fields[0]), int(fields[1]) / 1024, int(fields[2]), stdout, stderr)
    if result.returncode not in ok:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(argv[:6])}... exited {result.returncode}: " + " | ".join(tail))
    return result


def median_process(argv: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> tuple[float, list[float], float]:
    """Median seconds, every run's seconds, and the largest peak RSS (MB) of `repeat` runs."""
    runs = [run_process(argv, ok) for _ in range(repeat)]
    times = [run.seconds for run in runs]
    return statistics.median(times), times, max(run.peak_mb for run in runs)


def median_call(function: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def executable(name: str) -> str | None:
    """A program installed beside this Python (its virtualenv), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else shutil.which(name)


# --- the table ------------------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}" if value < 100 else f"{value:.1f}"


def table(results: list[Result]) -> str:
    """The results as an aligned text table, then each case's note and error; a `db` column when the run
    measured more than one engine."""
    engines = len({r.backend for r in results if r.backend}) > 1
    header = ("case", *(("db",) if engines else ()), "time s", "rate", "peak MB", "baseline", "base s", "ratio",
              "target", "")  # fmt: skip
    rows = [_row(r, engines) for r in results]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    right = {i + engines for i in (1, 3, 5, 6)}
    lines = []
    for row in [header, *rows]:
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    named = [(f"{r.case} ({r.backend})" if engines and r.backend else r.case, r) for r in results]
    notes = [f"- {name}: {r.note}" for name, r in named if r.note]
    errors = [f"! {name}: {r.error}" for name, r in named if r.error]
    return "\n".join(lines + [""] + notes + ([""] + errors if errors else []))


def _row(r: Result, engines: bool) -> tuple:
    rate = f"{_number(r.rate, 0 if (r.rate or 0) >= 100 else 1)} {r.unit}" if r.rate else "-"
    return (r.case, *((r.backend or "-",) if engines else ()), _number(r.seconds), rate,
            f"{r.peak_mb:.0f}" if r.peak_mb else "-", r.baseline or "-", _number(r.baseline_seconds),
            f"{r.ratio:.2f}x" if r.ratio else "-", r.target_text or "-", r.mark)  # fmt: skip

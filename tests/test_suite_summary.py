"""The suite says once, with the command that runs them, when its PostgreSQL cases were skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_skipped_postgresql_cases_are_counted_in_one_line_with_the_command_that_runs_them():
    env = {key: value for key, value in os.environ.items() if key not in ("IWFDB_TEST_POSTGRES", "CI")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rN",
                             "tests/test_query.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "PostgreSQL cases skipped" in line]
    assert len(lines) == 1 and 'scripts/test-postgres start' in lines[0], result.stdout
    assert int(lines[0].split()[0]) > 0

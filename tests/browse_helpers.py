"""A Datasette on a test archive, driven through Datasette's own test client, for the tests of `iwfdb serve`."""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import select
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest


def in_ci() -> bool:
    """CI sets CI: there, a tool missing is a failure; on a developer's machine, a skip with its reason."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def require(module: str, install: str):
    """Import `module`, or skip (fail in CI) saying how to install it."""
    if in_ci():
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"{module} is not installed: {install}")


require("datasette", 'pip install -e ".[test]" (the test extra includes the web extra)')

from iwfdb.datasette.metadata import DATABASE  # noqa: E402
from iwfdb.datasette.server import make_datasette  # noqa: E402


class Browser:
    """Datasette's test client on one event loop: requests as a browser would send them, answered in-process."""

    def __init__(self, archive: Path):
        self.loop = asyncio.new_event_loop()
        self.datasette = make_datasette(archive)
        self.loop.run_until_complete(self.datasette.invoke_startup())

    def get(self, path: str):
        return self.loop.run_until_complete(self.datasette.client.get(path))

    def page(self, path: str) -> str:
        """The HTML of a page that must answer 200."""
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:2000])
        return response.text

    def rows(self, path: str, **params: str) -> list[dict]:
        """The rows of a table, view or query as JSON objects (`?_shape=array`)."""
        response = self.get(f"/{DATABASE}/{path}.json?{urlencode({**params, '_shape': 'array'})}")
        assert response.status_code == 200, (path, response.status_code, response.text[:2000])
        return response.json()

    def execute(self, sql: str):
        return self.loop.run_until_complete(self.datasette.get_database(DATABASE).execute(sql))

    def close(self) -> None:
        for database in self.datasette.databases.values():
            database.close()
        self.loop.close()


class ServeProcess:
    """`iwfdb --db ARCHIVE serve --port 0 ...` in a process of its own, as a person starts it."""

    def __init__(self, archive: Path, *options: str, env: dict[str, str] | None = None):
        command = [sys.executable, "-m", "iwfdb", "--db", str(archive), "serve", "--port", "0", *options]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        self.first_line = self._read_first_line()
        found = re.search(r" at (http://\S+/) ", self.first_line)
        assert found, f"iwfdb serve said {self.first_line!r}"
        self.url = found.group(1)

    def _read_first_line(self, timeout: float = 30) -> str:
        """What the server says once it accepts requests, within `timeout` seconds: its stderr's first line, or
        the first that gives the address (a PostgreSQL archive's copy is told of before)."""
        said = []
        while not said or (said[-1].startswith(("Making a SQLite copy", "The page reads the copy"))):
            ready = select.select([self.process.stderr], [], [], timeout)[0]
            assert ready, f"iwfdb serve said nothing in {timeout} s after {said}"
            said.append(self.process.stderr.readline())
        self.said_before = said[:-1]
        return said[-1]

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
            return response.read().decode()

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C: the exit status and what was said on stderr after the first line."""
        self.process.send_signal(signal.SIGINT)
        try:
            _, rest = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, rest

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

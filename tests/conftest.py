"""Fixtures every test file shares: archives on each backend, empty or loaded with the read fixtures.

`db` is a new, empty archive at the newest schema for one test, on SQLite and on PostgreSQL (a test that
takes it runs once per backend); `sqlite_db` is SQLite only, for what only a file can do (be read-only, not
be a database, fill a disk). `read_db` is one archive per backend and per session, loaded by `iwfdb load`
from tests/fixtures/archive_read: read commands cannot write, so every read test shares it; `reader_db` is it
through a role that may only read, as `iwfdb sql` on PostgreSQL requires.

PostgreSQL: the tests use the server named by $IWFDB_TEST_POSTGRES (an administrator's URL, e.g.
postgresql://postgres@127.0.0.1:54329/postgres; `.ci/run` starts one). Without it they are skipped with that
reason, except in CI ($CI set), where a missing server is an error: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import READ_FIXTURES, SEEDS, iwfdb

from iwfdb.db import Location, locate, upgrade_archive
from iwfdb.db.location import SQLITE

POSTGRES_ENV = "IWFDB_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
NO_SERVER = "no PostgreSQL server"


def postgres_server() -> str:
    """The PostgreSQL server's administrator URL; a test without one skips (locally) or fails (in CI)."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"CI must test PostgreSQL, but {POSTGRES_ENV} is not set (.ci/run starts a server)")
    pytest.skip(f"{NO_SERVER}: set {POSTGRES_ENV} to an administrator's URL (see docs/development.md)")


def pytest_terminal_summary(terminalreporter) -> None:
    """One line, rather than hundreds of skips to read, when the PostgreSQL cases did not run."""
    skipped = [report for report in terminalreporter.stats.get("skipped", []) if NO_SERVER in str(report.longrepr)]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} PostgreSQL cases skipped: no server. To run them too: "
            f'eval "$(scripts/test-postgres start)" && python -m pytest -n auto', yellow=True)


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request) -> str:
    return request.param


class Archives:
    """Makes empty archives at the newest schema: copies of one migrated template per backend."""

    def __init__(self, root: Path):
        self.root = root
        self.templates: dict[str, Location] = {}
        self.count = 0

    def new(self, backend: str, folder: Path) -> Location:
        self.count += 1
        if backend == SQLITE:
            template = self._template(backend)
            target = folder / f"archive{self.count}.sqlite"
            shutil.copyfile(template.path, target)
            return locate(str(target))
        server = postgres_server()
        from pg_databases import new_database

        return new_database(server, template=self._template(backend), number=self.count)

    def unmigrated(self, backend: str, folder: Path) -> Location:
        """An archive with no schema yet (an empty file, or an empty database)."""
        self.count += 1
        if backend == SQLITE:
            return locate(str(folder / f"empty{self.count}.sqlite"))
        server = postgres_server()
        from pg_databases import empty_database

        return empty_database(server, self.count)

    def _template(self, backend: str) -> Location:
        if backend not in self.templates:
            if backend == SQLITE:
                location = locate(str(self.root / "template.sqlite"))
            else:
                server = postgres_server()
                from pg_databases import template_database

                location = template_database(server)
            upgrade_archive(location)
            self.templates[backend] = location
        return self.templates[backend]


@pytest.fixture(scope="session")
def archives(tmp_path_factory):
    made = Archives(tmp_path_factory.mktemp("templates"))
    yield made
    if "postgresql" in made.templates:
        from pg_databases import drop_databases

        drop_databases(os.environ[POSTGRES_ENV])


@pytest.fixture
def db(archives, backend, tmp_path) -> Location:
    """A new, empty archive for one test, on each backend."""
    return archives.new(backend, tmp_path)


@pytest.fixture
def sqlite_db(archives, tmp_path) -> Location:
    """A new, empty SQLite archive for one test: for what only a file can show."""
    return archives.new(SQLITE, tmp_path)


@pytest.fixture(scope="session")
def read_db(archives, backend, tmp_path_factory) -> Location:
    """The archive of tests/fixtures/archive_read, loaded once per backend by `iwfdb load`."""
    location = archives.new(backend, tmp_path_factory.mktemp("read"))
    result = iwfdb(location, "load", READ_FIXTURES)
    assert result.exit_code == 0, result.output
    return location


@pytest.fixture(scope="session")
def reader_db(read_db, backend) -> Location:
    """read_db as `iwfdb sql` must reach it: on PostgreSQL through a role that may only read (the administrator's
    URL is refused), on SQLite the file itself."""
    if backend == SQLITE:
        return read_db
    from pg_databases import reading_role

    return reading_role(postgres_server(), read_db)


@pytest.fixture(scope="session")
def seed_db(archives, backend, tmp_path_factory) -> Location:
    """The archive of seeds/ (the reference statement and its three related cards), once per backend."""
    location = archives.new(backend, tmp_path_factory.mktemp("seed"))
    result = iwfdb(location, "load", SEEDS)
    assert result.exit_code == 0, result.output
    return location

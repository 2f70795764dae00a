"""The schema is made by migrations only, agrees with the models, and goes down and up again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from iwfdb.db import Purpose, locate, migrate, open_archive, side_of
from iwfdb.errors import DatabaseError
from iwfdb.models import Base

REPO = Path(__file__).resolve().parents[1]


def user_objects(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return set(connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        ))  # fmt: skip


def open_for_writing(path: Path):
    return open_archive(locate(str(path)), Purpose.WRITE)


def test_there_is_a_single_head_and_revisions_names_every_migration_in_order():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD_REVISION]
    assert migrate.head_revision() == migrate.HEAD_REVISION
    history = [revision.revision for revision in script.walk_revisions("base", "heads")]
    assert tuple(reversed(history)) == migrate.REVISIONS


def test_upgraded_schema_matches_the_models(tmp_path):
    location = locate(str(tmp_path / "a.sqlite"))
    migrate.upgrade(location)
    engine = side_of(location).migration_engine(location)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": migrate.include_object, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_every_revision_goes_down_and_up_again(tmp_path):
    database = tmp_path / "a.sqlite"
    location = locate(str(database))
    for revision in migrate.REVISIONS:  # oldest first
        migrate.upgrade(location, revision)
        at_revision = user_objects(database)
        previous = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision).down_revision
        migrate.downgrade(location, previous or "base")
        migrate.upgrade(location, revision)
        assert user_objects(database) == at_revision
    migrate.downgrade(location, "base")
    assert user_objects(database) == set()


def test_the_schema_has_full_text_search_and_views(tmp_path):
    open_for_writing(tmp_path / "a.sqlite").close()
    objects = user_objects(tmp_path / "a.sqlite")
    for view in ("statement_overview", "quote_details", "contact_details", "link_details"):
        assert ("view", view) in objects
    assert {("table", "statements_fts"), ("table", "quotes_fts")} <= objects
    assert sum(kind == "trigger" for kind, _ in objects) == 7  # full-text index (6), quote speakers (1)


def test_plain_alembic_upgrade_head_works_from_the_repository_root(tmp_path):
    environment = {**os.environ, "IWFDB_DB": str(tmp_path / "a.sqlite")}
    alembic = Path(sys.executable).with_name("alembic")
    subprocess.run([alembic, "upgrade", "head"], cwd=REPO, env=environment, check=True, capture_output=True)
    with sqlite3.connect(tmp_path / "a.sqlite") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrate.HEAD_REVISION,)]


def test_an_archive_from_a_newer_iwfdb_is_refused_untouched(tmp_path):
    database = tmp_path / "a.sqlite"
    open_for_writing(database).close()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = database.read_bytes()
    with pytest.raises(DatabaseError, match="newer iwfdb"):
        open_for_writing(database)
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]
    assert len(database.read_bytes()) == len(before)


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    database = tmp_path / "notes.sqlite"
    database.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseError, match="not an SQLite archive"):
        open_for_writing(database)
    assert database.read_text() == "these are my notes, not a database\n" * 100


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_archive_is_refused_with_a_clear_message(tmp_path):
    database = tmp_path / "a.sqlite"
    database.write_bytes(b"")
    database.chmod(0o444)
    with pytest.raises(DatabaseError, match="read-only"):
        open_for_writing(database)


def test_sqlite_failures_become_database_errors_that_name_the_file(tmp_path):
    from sqlalchemy.exc import OperationalError

    from iwfdb.db import errors_explained

    location = locate(str(tmp_path / "a.sqlite"))
    failure = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    with pytest.raises(DatabaseError, match=r"a\.sqlite: attempt to write a readonly database \(.*read-only"):
        with errors_explained(location, side_of(location)):
            raise failure


def test_a_built_wheel_carries_the_migrations_and_loads_outside_the_checkout(tmp_path):
    """`pip install .` must work, not only `-e`: build the wheel (offline), run it from elsewhere."""
    pytest.importorskip("hatchling")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", wheels, REPO],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("iwfdb-*.whl")
    installed = tmp_path / "site"
    import zipfile

    zipfile.ZipFile(wheel).extractall(installed)
    assert (installed / "iwfdb" / "alembic" / "versions" / "0001_initial_schema.py").is_file()
    for data in ("schema.toml", "browse.toml", "templates/row-iwfdb-statements.html"):  # what `iwfdb serve` reads
        assert (installed / "iwfdb" / "datasette" / data).is_file(), data
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import iwfdb, iwfdb.db.migrate as m, sys; from iwfdb.cli import app;"
        "print(iwfdb.__file__); print(m.script_location()); app(sys.argv[1:])"
    )
    seeds = REPO / "seeds"
    environment = {**os.environ, "PYTHONPATH": str(installed), "IWFDB_DB": str(elsewhere / "a.sqlite")}
    result = subprocess.run([sys.executable, "-c", code, "load", "--quiet", seeds], cwd=elsewhere, env=environment,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    module_file, migrations = result.stdout.splitlines()[:2]
    assert module_file.startswith(str(installed)) and migrations == str(installed / "iwfdb" / "alembic")
    with sqlite3.connect(elsewhere / "a.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM statements").fetchone() == (4,)


def test_postgresql_schema_matches_the_models_and_every_revision_goes_down_and_up(archives, tmp_path):
    location = archives.unmigrated("postgresql", tmp_path)
    migrate.upgrade(location)
    engine = side_of(location).migration_engine(location)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": migrate.include_object, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    for revision in reversed(migrate.REVISIONS):
        previous = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision).down_revision
        migrate.downgrade(location, previous or "base")
    migrate.upgrade(location)
    with open_archive(location, Purpose.READ) as archive:
        assert archive.revision == migrate.HEAD_REVISION


def test_a_load_into_a_new_archive_migrates_it_without_importing_sqlalchemy(tmp_path):
    """SQLAlchemy and Alembic cost a load 40 MB to its end: the migration runs in a process of its own."""
    code = ("import sys; from iwfdb.db import locate; from iwfdb.store.load import load_paths; "
            f"load_paths(locate({str(tmp_path / 'new.sqlite')!r}), [{str(REPO / 'seeds')!r}]); "
            "print(sorted({'sqlalchemy', 'alembic'} & set(sys.modules)))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.strip() == "[]"
    with open_archive(locate(str(tmp_path / "new.sqlite")), Purpose.READ) as archive:
        assert archive.revision == migrate.HEAD_REVISION


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the migration forks on Linux only")
def test_what_the_migration_process_raises_is_raised_in_the_loader():
    def refuse():
        raise DatabaseError("no space left")

    with pytest.raises(DatabaseError, match="no space left"):
        migrate._in_forked_process(refuse)
    with pytest.raises(RuntimeError, match="ended unexpectedly; nothing was changed"):
        migrate._in_forked_process(os._exit, 3)


def test_postgresql_keeps_a_statements_long_values_out_of_its_row(archives, tmp_path):
    from helpers import iwfdb, statement_file

    location = archives.new("postgresql", tmp_path)
    (tmp_path / "long.txt").write_text(statement_file("Long", 0, 1, "A sentence of the body. " * 400))
    assert iwfdb(location, "load", tmp_path / "long.txt").exit_code == 0
    with open_archive(location, Purpose.INSPECT) as archive:
        (options,) = archive.execute("SELECT reloptions FROM pg_class WHERE relname = 'statements'").fetchone()
        (statements,) = archive.execute("SELECT count(*) FROM statements WHERE length(body) > 9000").fetchone()
    assert "toast_tuple_target=128" in options and statements == 1


def test_postgresql_finds_slugs_by_their_start_through_an_index(archives, tmp_path):
    """`show` looks slugs up by their start (LIKE 'prefix%'), which PostgreSQL's unique index on slug cannot serve
    (it follows the collation): every look-up read the whole table, 0.5 s at 100,000 statements."""
    location = archives.new("postgresql", tmp_path)
    with open_archive(location, Purpose.INSPECT) as archive:
        archive.execute("SET enable_seqscan = off")  # an empty table's plan would be a scan whatever the indexes
        plan = archive.execute(
            "EXPLAIN SELECT 1 FROM statements WHERE slug LIKE ? ESCAPE '\\' LIMIT 1", ("2021-05-12%",)
        ).fetchall()
    assert "Index Only Scan using ix_statements_slug_prefix" in "\n".join(line for (line,) in plan)

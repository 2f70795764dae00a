"""`iwfdb sql` as an API: read-only whatever the statement, named parameters, a time limit."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import SEEDS, iwfdb, snapshot

from iwfdb import query
from iwfdb.db import Purpose, open_archive
from iwfdb.errors import IwfdbError, UsageError


@pytest.fixture
def db(reader_db):
    return reader_db


def run_sql(db, sql, params=None, timeout=5.0):
    """The columns and every row (the stream read to its end)."""
    with open_archive(db, Purpose.READ) as archive:
        columns, rows = query.run_sql(archive, sql, params, timeout=timeout)
        return columns, list(rows)


def test_select_with_named_parameters(db):
    columns, rows = run_sql(db, "SELECT slug, card_only FROM statements WHERE published >= :since ORDER BY slug",
                            {"since": "2024-10-01"})
    assert columns == ["slug", "card_only"]
    assert [row["slug"][:10] for row in rows] == ["2024-10-15", "2024-12-16"]


def test_views_and_introspection_are_readable(db, backend):
    assert run_sql(db, "SELECT count(*) AS n FROM quote_details")[1] == [{"n": 6}]
    if backend == "sqlite":
        _, rows = run_sql(db, "PRAGMA table_info(statements)")
        assert "slug" in {row["name"] for row in rows}
        assert run_sql(db, "SELECT name FROM pragma_table_info('people') WHERE name = 'name_key'")[1]
    else:
        _, rows = run_sql(db, "SELECT column_name AS name FROM information_schema.columns WHERE table_name = :t",
                          {"t": "statements"})
        assert "slug" in {row["name"] for row in rows}


def test_repeated_column_names_keep_every_value(db):
    columns, rows = run_sql(db, "SELECT 1 AS a, 2 AS a, 3 AS a")
    assert columns == ["a", "a_2", "a_3"] and rows == [{"a": 1, "a_2": 2, "a_3": 3}]


COMMON_WRITES = [
    "INSERT INTO people (name, name_key, kind) VALUES ('x', 'x', 'person')",
    "UPDATE statements SET title = 'pwned'",
    "DELETE FROM quotes",
    "DROP TABLE statements",
    "DROP VIEW quote_details",
    "CREATE TABLE evil (x INTEGER)",
    "CREATE TEMP TABLE evil (x INTEGER)",
    "CREATE INDEX evil ON statements(title)",
    "ALTER TABLE statements ADD COLUMN evil TEXT",
]
SQLITE_WRITES = [
    "WITH doomed AS (SELECT id FROM statements) DELETE FROM statements WHERE id IN doomed",
    "REPLACE INTO people (id, name, name_key, kind) VALUES (1, 'x', 'x', 'person')",
    "INSERT INTO statements_fts(statements_fts) VALUES ('delete-all')",
    "PRAGMA user_version = 7",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA query_only = OFF",
    "PRAGMA foreign_keys = OFF",
    "VACUUM",
    "REINDEX",
    "ANALYZE",  # PostgreSQL lets a read-only transaction ANALYZE: statistics, not the archive's data
]
POSTGRES_WRITES = [
    "WITH doomed AS (SELECT id FROM statements) DELETE FROM statements WHERE id IN (SELECT id FROM doomed)",
    "INSERT INTO people (id, name, name_key, kind) VALUES (1, 'x', 'x', 'person') "
    "ON CONFLICT (id) DO UPDATE SET name = 'pwned'",
    "TRUNCATE statements CASCADE",
    "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "DO $$ BEGIN DELETE FROM quotes; END $$",
    "WITH gone AS (DELETE FROM quotes RETURNING 1) SELECT count(*) FROM gone",
]
WRITES = {"sqlite": COMMON_WRITES + SQLITE_WRITES, "postgresql": COMMON_WRITES + POSTGRES_WRITES}
# Writes the server refuses for want of a right before it looks at the transaction's mode.
POSTGRES_DENIED = ["SELECT nextval('iwfdb_write_count')", "SELECT setval(pg_get_serial_sequence('statements', 'id'), 1)"]


def test_every_write_is_refused_and_nothing_changes(db, backend):
    before = snapshot(db)
    for sql in WRITES[backend]:
        with pytest.raises(IwfdbError, match="iwfdb sql is read-only.*nothing was changed"):
            run_sql(db, sql)
    for sql in POSTGRES_DENIED * (backend == "postgresql"):
        with pytest.raises(IwfdbError, match=r'the role "\w+" may not do that: permission denied.*nothing was changed'):
            run_sql(db, sql)
    assert snapshot(db) == before


def test_a_valid_write_is_refused_as_a_write(db):
    with pytest.raises(IwfdbError, match="iwfdb sql is read-only: this statement would change the archive"):
        run_sql(db, "DELETE FROM quotes")


def test_postgresql_refuses_what_would_reach_the_server_or_later_statements(archives, tmp_path):
    db = archives.new("postgresql", tmp_path)
    assert iwfdb(db, "load", SEEDS).exit_code == 0
    db = _through_role(db, "reader", READ)
    before = snapshot(db)
    for sql in ("SET TRANSACTION READ WRITE", "COMMIT", "COPY statements TO '/tmp/iwfdb-sql-copy.txt'",
                "SELECT set_config('default_transaction_read_only', 'off', false)"):
        try:
            run_sql(db, sql)
        except IwfdbError:
            pass
        with pytest.raises(IwfdbError, match="read-only"):  # whatever the statement before did
            run_sql(db, "DELETE FROM quotes")
    assert not Path("/tmp/iwfdb-sql-copy.txt").exists()
    assert snapshot(db) == before


# PostgreSQL: a statement can take back any role dropped by SET ROLE, so only a role with no more to give runs it

READ = "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"
ATTACKS = {
    "a program, by a superuser taken back": "DO $$ BEGIN PERFORM set_config('role', '{admin}', true); "
                                            "EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {marker}'''; END $$",
    "a program": "COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
    "a server file, by a superuser taken back": "SELECT set_config('role', '{admin}', true), "
                                                "query_to_xml('SELECT pg_read_file(''postgresql.conf'')', true, true, '')",
    "a server file": "SELECT pg_read_file('postgresql.conf')",
    "another session": "SELECT pg_terminate_backend({pid})",
}  # fmt: skip
# What the server says to a role that may only read: the true reason, not "would change the archive".
REFUSALS = {
    "a program, by a superuser taken back": 'permission denied to set role "{admin}"',
    "a program": "must be superuser or have privileges of the pg_execute_server_program role",
    "a server file, by a superuser taken back": 'permission denied to set role "{admin}"',
    "a server file": "permission denied for function pg_read_file",
    "another session": "must be a superuser to terminate superuser process",
}


def _through_role(db, name: str, *grants: str):
    from pg_databases import login_role

    return login_role(os.environ["IWFDB_TEST_POSTGRES"], db, name, *grants)


@pytest.fixture
def bystander(archives, tmp_path):
    """A PostgreSQL archive and another session on it, by its administrator, that no statement may end."""
    import psycopg

    db = archives.new("postgresql", tmp_path)
    with psycopg.connect(db.url, autocommit=True) as session:
        yield db, session
        assert session.execute("SELECT 1").fetchone() == (1,)  # still alive


def _attack(name: str, session, marker: Path) -> str:
    admin, pid = session.execute("SELECT session_user, pg_backend_pid()").fetchone()
    return ATTACKS[name].format(admin=admin, pid=pid, marker=marker)


@pytest.mark.parametrize("name", ATTACKS)
def test_postgresql_sql_as_a_superuser_is_refused_before_anything_runs(bystander, name):
    db, session = bystander
    marker = Path(f"/tmp/iwfdb-sql-ran-{os.getpid()}")
    result = iwfdb(db, "sql", _attack(name, session, marker))
    assert result.exit_code == 2 and result.stdout == ""
    assert "iwfdb sql on PostgreSQL runs only as a role that may read and nothing more" in result.stderr
    assert "is a superuser" in result.stderr and "nothing was run" in result.stderr
    assert "Connect as a role that may only read" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("name", ATTACKS)
def test_postgresql_sql_as_a_reading_role_fails_each_attack_with_its_true_reason(bystander, name):
    db, session = bystander
    marker = Path(f"/tmp/iwfdb-sql-ran-{os.getpid()}")
    admin = session.execute("SELECT session_user").fetchone()[0]
    reader = _through_role(db, "reader", READ)
    with pytest.raises(IwfdbError, match=r'the role "\w+_reader" may not do that: ') as refused:
        run_sql(reader, _attack(name, session, marker))
    assert REFUSALS[name].format(admin=admin) in str(refused.value)
    assert not marker.exists()


RIGHTS_TOO_MANY = {
    "inserter": (["GRANT INSERT ON quotes TO {role}"], "may change tables of the archive"),
    "truncater": (["GRANT TRUNCATE ON links TO {role}"], "may change tables of the archive"),
    "owner": (["ALTER TABLE people OWNER TO {role}"], "owns tables of the archive"),
    "creator": (["GRANT CREATE ON SCHEMA public TO {role}"], "may CREATE in schema public"),
    "rolemaker": (["ALTER ROLE {role} CREATEROLE"], "may create roles (CREATEROLE)"),
    "signaller": (["GRANT pg_signal_backend TO {role}"], 'may become "pg_signal_backend"'),
    "programmer": (["GRANT pg_execute_server_program TO {role}"], 'may become "pg_execute_server_program"'),
    "all_writer": (["GRANT pg_write_all_data TO {role}"], 'may become "pg_write_all_data"'),
    # A role it may SET ROLE to, though it does not inherit its rights, is as good as its own.
    "member": (["CREATE ROLE {role}_writer", "GRANT DELETE ON statements TO {role}_writer",
                "GRANT {role}_writer TO {role}", "ALTER ROLE {role} NOINHERIT"], 'may become "{role}_writer"'),
}  # fmt: skip


@pytest.mark.parametrize("name", RIGHTS_TOO_MANY)
def test_postgresql_sql_refuses_a_role_that_may_write_or_escape_saying_which_right(archives, tmp_path, name):
    grants, reason = RIGHTS_TOO_MANY[name]
    role = _through_role(archives.new("postgresql", tmp_path), name, READ, *grants)
    with pytest.raises(UsageError, match="nothing was run") as refused:
        run_sql(role, "SELECT 1 AS one")
    assert reason.format(role=urlsplit(role.url).username) in str(refused.value)


def test_postgresql_sql_runs_as_a_member_of_pg_read_all_data(archives, tmp_path):
    db = archives.new("postgresql", tmp_path)
    assert iwfdb(db, "load", SEEDS).exit_code == 0
    reader = _through_role(db, "all_reader", "GRANT pg_read_all_data TO {role}")
    assert run_sql(reader, "SELECT count(*) AS n FROM statements")[1] == [{"n": 4}]


def test_attach_and_vacuum_into_create_no_file(sqlite_db, tmp_path):
    db = sqlite_db
    before = snapshot(db)
    for sql, target in (("ATTACH DATABASE '{}' AS other", "attached.sqlite"), ("VACUUM INTO '{}'", "copy.sqlite")):
        with pytest.raises(IwfdbError, match="read-only: ATTACH and DETACH are not allowed"):
            run_sql(db, sql.format(tmp_path / target))
        assert not (tmp_path / target).exists()
    assert snapshot(db) == before


UNSAFE_CALLS = ["SELECT fts3_tokenizer('simple')", "SELECT hex(FTS3_Tokenizer('porter'))",
                "SELECT fts3_tokenizer('mine', x'0000000000000000')", "SELECT load_extension('/tmp/evil')",
                "SELECT 1 FROM statements WHERE id = (SELECT fts3_tokenizer('simple'))"]  # fmt: skip


@pytest.mark.parametrize("sql", UNSAFE_CALLS)
def test_functions_that_reveal_memory_or_load_code_are_refused(sqlite_db, sql):
    with pytest.raises(IwfdbError, match=r"iwfdb sql does not call [a-z0-9_]+\(\): it reveals memory addresses"):
        run_sql(sqlite_db, sql)
    assert run_sql(sqlite_db, "SELECT upper('ok') AS word")[1] == [{"word": "OK"}]  # other functions still run


def test_the_sqlite_shells_file_functions_are_not_there(sqlite_db, tmp_path):
    for sql in ("SELECT readfile('/etc/passwd')", f"SELECT writefile('{tmp_path / 'out'}', 'x')"):
        with pytest.raises(IwfdbError, match="no such function|does not call"):
            run_sql(sqlite_db, sql)
    assert not (tmp_path / "out").exists()


def test_query_only_cannot_be_turned_off_then_written(sqlite_db):
    db = sqlite_db
    with open_archive(db, Purpose.READ) as connection:
        with pytest.raises(IwfdbError, match="PRAGMA query_only"):
            query.run_sql(connection, "PRAGMA query_only = 0")
        with pytest.raises(IwfdbError, match="read-only"):
            list(query.run_sql(connection, "DELETE FROM statements")[1])


def test_two_statements_at_once_are_refused(db):
    before = snapshot(db)
    with pytest.raises(IwfdbError, match="one statement at a time"):
        run_sql(db, "SELECT 1; DROP TABLE statements")
    assert snapshot(db) == before


RUNAWAYS = {
    "a recursive query": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
    # A slow call a row: a progress handler called every 10,000 instructions came 7 s late.
    "many slow calls": {
        "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                  "SELECT count(instr(printf('%.*c', 5000000 + i, 'a'), 'b')) FROM n",
        "postgresql": "SELECT count(strpos(repeat('a', 5000000 + i), 'b')) FROM generate_series(1, 1000) AS i",
    },
    # instr() with a 20,000-character needle over a 20 MB string: seconds in one call, without a single
    # SQLite instruction in between for an interrupt or a progress handler to act on.
    "one long call": {
        "sqlite": "SELECT instr(printf('%.*c', 20000000, 'a'), printf('%.*c', 20000, 'a') || 'b') AS found",
        "postgresql": "SELECT pg_sleep(30)",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", RUNAWAYS)
def test_a_runaway_query_stops_at_the_time_limit(db, backend, name):
    sql = RUNAWAYS[name] if isinstance(RUNAWAYS[name], str) else RUNAWAYS[name][backend]
    started = time.monotonic()
    with pytest.raises(IwfdbError, match=r"stopped after 0\.3 s; give it longer with --timeout"):
        run_sql(db, sql, timeout=0.3)
    assert time.monotonic() - started < 1.3


def test_a_query_within_the_limit_is_not_stopped(db):
    _, rows = run_sql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                      " SELECT count(*) AS c FROM n", timeout=5)
    assert rows == [{"c": 1000}]


def test_a_missing_parameter_is_a_usage_error(db):
    with pytest.raises(UsageError, match="the statement names :id, which has no value; give it with --param id VALUE"):
        run_sql(db, "SELECT * FROM statements WHERE id = :id")


def test_parameters_are_data(db):
    assert run_sql(db, "SELECT id FROM statements WHERE title = :t", {"t": "x' OR '1'='1"})[1] == []


def test_sql_errors_are_clear(db):
    with pytest.raises(IwfdbError, match="SQL error: (no such table: nope|relation \"nope\" does not exist)"):
        run_sql(db, "SELECT * FROM nope")
    with pytest.raises(UsageError, match="--timeout"):
        run_sql(db, "SELECT 1", timeout=0)


# Rows stream; the time limit counts SQLite's work, and holds even inside one long function call

COUNT_TO = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n{}) SELECT i FROM n"


def test_rows_are_read_as_they_are_taken(sqlite_db):
    """SQLite's statement runs in a thread of its own (PostgreSQL's on the server)."""
    before = set(_reading_threads())
    with open_archive(sqlite_db, Purpose.READ) as connection:
        columns, rows = query.run_sql(connection, COUNT_TO.format(""), timeout=2)  # endless
        assert columns == ["i"]
        assert [row["i"] for row in itertools.islice(rows, 5)] == [1, 2, 3, 4, 5]
        rows.close()
    deadline = time.monotonic() + 2
    while set(_reading_threads()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not set(_reading_threads()) - before  # closing the stream ended its thread


def test_time_spent_waiting_for_the_reader_is_not_counted(sqlite_db):
    """On SQLite (PostgreSQL's statement_timeout is the server's clock, reader's pace included)."""
    with open_archive(sqlite_db, Purpose.READ) as connection:
        _, rows = query.run_sql(connection, COUNT_TO.format(" WHERE i < 5000"), timeout=0.3)
        taken = 0
        for taken, _row in enumerate(rows, start=1):
            if taken % 1000 == 0:
                time.sleep(0.15)  # a slow reader: 0.75 s in all, more than the limit
    assert taken == 5000


def _reading_threads() -> list[threading.Thread]:
    """Threads that read a statement (those of earlier tests stopped at a limit may still be in a call)."""
    return [thread for thread in threading.enumerate() if thread.name == "iwfdb sql"]

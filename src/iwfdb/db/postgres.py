"""The PostgreSQL side of the seam: every piece of SQL that only PostgreSQL speaks, and how iwfdb connects to it.

For a team that shares one archive on a server: several loads at once (from several machines) and readers.

- Connections: psycopg 3 (`pip install "iwfdb[postgres]"`), in autocommit mode so that iwfdb says BEGIN and
  COMMIT itself, as on SQLite. A write transaction takes an advisory lock first: loads take turns batch by
  batch, as SQLite's BEGIN IMMEDIATE makes them, so ids handed out in Python never collide.
- Full-text search: a generated `search_vector` column (title weighted A, summary B, body C; a quote's text)
  with a GIN index, in the `iwfdb` text-search configuration, which reads words as SQLite's FTS5 does (no
  stemming, no stop words, accents folded by `unaccent`), so both engines find the same statements. A
  user's words become a `to_tsquery` of quoted words (each searched for as written); `--raw` passes
  `to_tsquery` syntax through (`hash:* | minister`). Ranked by `ts_rank_cd`, snippets by `ts_headline` on
  the returned rows only. Nothing to index by hand: the column follows its row.
- iwfdb's portable SQL (`?` and `:name` parameters) becomes psycopg's (`%s` and `%(name)s`) here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from iwfdb.db.location import Location

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine as SqlAlchemyEngine

NAME = "postgresql"
SEARCH_SYNTAX = "PostgreSQL tsquery"
WRITE_LOCK = 0x1_F_DB  # the advisory lock every writer of an archive takes (one key per database)
CONNECT_TIMEOUT_S = 10
READ_LOCK_TIMEOUT_MS = 5_000
TEXT_SEARCH = "iwfdb"  # the text-search configuration the migrations make
# ts_rank_cd weights {D, C, B, A}: a word in the title says most about a statement, as bm25's weights do on SQLite.
RANK_WEIGHTS = "'{0.1, 0.1, 0.4, 1.0}'"
SEARCH_RANKED = 2_000  # matches of a search ranked at most (see statement_hits)
SNIPPET_OPTIONS = "'MaxFragments=1, MaxWords=16, MinWords=6, ShortWord=2, FragmentDelimiter=…'"
_PORTABLE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|(?<![:\w]):([A-Za-z_]\w*)|%")
_WORD_CHARACTER = re.compile(r"\w")

Error = psycopg.Error
IntegrityError = psycopg.IntegrityError


# Connections and transactions


def connect(location: Location, purpose: str) -> psycopg.Connection:
    """A connection in autocommit mode (the caller says BEGIN and COMMIT); read-only unless for `write`."""
    options = (
        "" if purpose == "write" else f"-c default_transaction_read_only=on -c lock_timeout={READ_LOCK_TIMEOUT_MS}"
    )
    return psycopg.connect(location.server_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, options=options)


def exists(location: Location) -> bool:
    """A server cannot be looked at without connecting: a missing database is told by `explain_error`."""
    return True


@functools.lru_cache(maxsize=512)
def sql(text: str) -> str:
    """iwfdb's portable SQL in psycopg's terms: `?` -> `%s`, `:name` -> `%(name)s`, `%` -> `%%` (literals kept)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%")

    return _PORTABLE.sub(replace, text)


def limit_clause(limit: int | None, offset: int) -> tuple[str, tuple]:
    """`LIMIT ? OFFSET ?` and its parameters; PostgreSQL reads LIMIT NULL as none."""
    return "LIMIT ? OFFSET ?", (limit, offset)


def begin_write(connection: psycopg.Connection) -> None:
    connection.execute("BEGIN")
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))


def relax_durability(connection: psycopg.Connection) -> None:
    """Commits that do not wait for the server's WAL flush; a crash of the server loses the last ones, never
    breaks the database."""
    connection.execute("SET synchronous_commit = off")


def restore_durability(connection: psycopg.Connection) -> None:
    """Commits that wait for the server's WAL flush again; one that holds a transaction id now flushes every
    commit made before it without waiting, so what a cold load wrote is on disk before it says it is done."""
    connection.execute("RESET synchronous_commit")
    connection.execute("BEGIN")
    connection.execute("SELECT txid_current()")
    connection.execute("COMMIT")


def in_transaction(connection: psycopg.Connection) -> bool:
    return connection.info.transaction_status != TransactionStatus.IDLE


def write_generation(connection: psycopg.Connection) -> int:
    """How many write transactions the archive has seen: every writer counts its own before it commits."""
    return _value(connection, "SELECT last_value FROM iwfdb_write_count")


def count_write(connection: psycopg.Connection) -> int:
    """Count this write transaction (before its COMMIT); the generation it leaves the archive at."""
    return _value(connection, "SELECT nextval('iwfdb_write_count')")


def _value(connection: psycopg.Connection, query: str, params: tuple = ()) -> Any:
    """The value of a query that always gives one row of one column (psycopg's fetchone() may say None)."""
    row = connection.execute(query, params).fetchone()
    assert row is not None, query
    return row[0]


def begin_snapshot(connection: psycopg.Connection) -> int:
    """A read-only transaction that sees one moment of the archive, and the write generation of that moment.

    A writer counts its write before it commits: the writers' lock, taken shared for the instant the snapshot
    is taken, makes the moment fall between two writes (a write under way is waited for, the next one waits
    only that instant), so that the generation read is the one the snapshot holds."""
    connection.execute("SELECT pg_advisory_lock_shared(%s)", (WRITE_LOCK,))
    try:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        generation = write_generation(connection)  # the snapshot is taken by this first read
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.execute("SELECT pg_advisory_unlock_shared(%s)", (WRITE_LOCK,))
    return generation


def table_names(connection: psycopg.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def explain_error(location: Location, error: BaseException) -> str | None:
    """A user's message for a driver error (cannot connect, no such database, read-only...), None if not psycopg's."""
    original = getattr(error, "orig", error)  # SQLAlchemy wraps the driver's error
    if not isinstance(original, psycopg.Error):
        return None
    reason = " ".join(str(original).split()) or type(original).__name__
    if isinstance(original, psycopg.OperationalError) and not isinstance(original, pg_errors.QueryCanceled):
        return f"cannot use the archive at {location}: {reason} (is the server running, and the URL right?)"
    if isinstance(original, pg_errors.InsufficientPrivilege):
        return f"{location}: {reason} (the role needs more privileges on this database)"
    if isinstance(original, pg_errors.ReadOnlySqlTransaction):
        return f"{location}: {reason} (this connection may only read)"
    return f"{location}: {reason}"


def migration_engine(location: Location) -> SqlAlchemyEngine:
    """An SQLAlchemy engine for Alembic whose connections are iwfdb's own.

    A migration's first statement takes the writers' lock, as SQLite's BEGIN IMMEDIATE does: two first loads
    into an empty database take turns (else both CREATE the same tables, and one fails on
    pg_type_typname_nsp_index), and the second then finds the schema made; a load's batch waits for it too."""
    from sqlalchemy import create_engine, event

    def creator():
        connection = connect(location, "write")
        connection.autocommit = False  # SQLAlchemy begins and ends its own transactions
        return connection

    engine = create_engine("postgresql+psycopg://", creator=creator)

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    return engine


# Writing rows


def insert_rows(cursor: psycopg.Cursor, table: str, columns: Sequence[str], rows: list[dict]) -> None:
    """Rows (dicts of these columns) with COPY: several times faster than one INSERT per row."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def after_explicit_ids(cursor: psycopg.Cursor, tables: Iterable[str]) -> None:
    """The writer gives ids itself: move each table's id sequence past them, for whoever inserts next."""
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) IS NOT NULL"
        )


# Full-text search: the generated columns follow their rows; nothing to write by hand.


def pause_full_text(cursor: psycopg.Cursor) -> None:
    pass


def resume_full_text(cursor: psycopg.Cursor) -> None:
    pass


def defer_full_text(cursor: psycopg.Cursor) -> None:
    pass


def full_text_pending(connection: psycopg.Connection) -> bool:
    return False


@contextmanager
def searching(connection: psycopg.Connection) -> Iterator[None]:
    """The planner, for a word in most statements, prefers reading the whole table to the GIN index: it does not
    count that each row's search_vector must then be fetched from its TOAST table (at 10,000 statements, a
    search's count read 34,000 pages, 77 ms, against 1,200 pages, 10 ms, through the index). So while a search
    runs, a table scan is the last resort; a search's whole time went from 0.12 s to 0.035 s."""
    connection.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        if connection.info.transaction_status == TransactionStatus.IDLE:
            connection.execute("RESET enable_seqscan")


def rebuild_full_text(connection: psycopg.Connection) -> None:
    pass


def refresh_statistics(connection: psycopg.Connection) -> None:
    """After a load that rewrote much of the archive: until autovacuum gets to it (a minute or so), the planner
    guesses, and a search scans every statement rather than use its GIN index."""
    connection.execute("ANALYZE")


def indexed_texts(cursor: psycopg.Cursor, statement_ids: Sequence[int]) -> list[tuple]:
    return []


def index_full_text(cursor, replaced: list[tuple], statements: list[dict], quotes: list[dict]) -> None:
    pass


# Full-text search: reading


def search_terms(words: str, raw: bool) -> str:
    """A `to_tsquery` text: with `raw`, as given; else each word quoted (its `&`, `|`, `!`, `:*` are data)
    and all of them required. Tokens without a letter or digit would be empty and are dropped."""
    return words if raw else " & ".join(_quoted(words.split()))


def any_of_terms(words: list[str]) -> str:
    return " | ".join(_quoted(words))


def _quoted(tokens: list[str]) -> list[str]:
    return [
        "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" for token in tokens if _WORD_CHARACTER.search(token)
    ]


def matching_ids(table: str) -> str:
    return f"SELECT id FROM {table} WHERE search_vector @@ to_tsquery('{TEXT_SEARCH}', ?)"


def statement_hits() -> str:
    """(id, score, snippet) of the best statements for :query, best first; score is negated: lower is better.

    ts_rank_cd reads each match's whole search_vector from its TOAST table: for a word in most statements that
    was 1 s at 100,000 statements. So only the newest SEARCH_RANKED matches are ranked (all of them for any but
    a common word), found by the GIN index and the statements' dates without reading a vector; a page that
    reaches past them gets the others newest first, scored by their place (SEARCH_RANKED + 1, + 2...), so that
    every page agrees with every other. The newest are picked before they are numbered: numbering all the
    matches first sorted every one of them (70,000 at 100,000 statements, on disk: 90 of a search's 150 ms)."""
    return f"""
        SELECT h.id, -h.rank AS score,
               ts_headline('{TEXT_SEARCH}', concat_ws(' ', s.title, s.summary, s.body), h.query,
                           {SNIPPET_OPTIONS} || ', StartSel=' || :start || ', StopSel=' || :end) AS snippet
        FROM (SELECT s.id, q.query,
                     CASE WHEN newest.place <= {SEARCH_RANKED}
                          THEN ts_rank_cd({RANK_WEIGHTS}, s.search_vector, q.query, 1) ELSE -newest.place END AS rank
              FROM to_tsquery('{TEXT_SEARCH}', :query) AS q(query)
              CROSS JOIN LATERAL (SELECT id, row_number() OVER (ORDER BY published DESC NULLS LAST, id DESC) AS place
                                  FROM (SELECT id, published FROM statements WHERE search_vector @@ q.query
                                        ORDER BY published DESC NULLS LAST, id DESC
                                        LIMIT GREATEST(:limit, {SEARCH_RANKED})) AS newest_first) AS newest
              JOIN statements s ON s.id = newest.id
              ORDER BY rank DESC, s.id LIMIT :limit) h
        JOIN statements s ON s.id = h.id"""


def quote_hits() -> str:
    """As statement_hits, for quotes: the newest SEARCH_RANKED matches ranked (the last archived: a quote has no
    date of its own), the others after them by their place (12,000 quotes of a common word ranked took 0.14 s
    at 100,000 statements)."""
    return f"""
        SELECT h.id, -h.rank AS score,
               ts_headline('{TEXT_SEARCH}', q.text, h.query,
                           {SNIPPET_OPTIONS} || ', StartSel=' || :start || ', StopSel=' || :end) AS snippet
        FROM (SELECT q.id, t.query,
                     CASE WHEN newest.place <= {SEARCH_RANKED}
                          THEN ts_rank_cd(q.search_vector, t.query, 1) ELSE -newest.place END AS rank
              FROM to_tsquery('{TEXT_SEARCH}', :query) AS t(query)
              CROSS JOIN LATERAL (SELECT id, row_number() OVER (ORDER BY id DESC) AS place
                                  FROM (SELECT id FROM quotes WHERE search_vector @@ t.query
                                        ORDER BY id DESC LIMIT GREATEST(:limit, {SEARCH_RANKED})) AS newest_first
                                  ) AS newest
              JOIN quotes q ON q.id = newest.id
              ORDER BY rank DESC, q.id LIMIT :limit) h
        JOIN quotes q ON q.id = h.id"""


def is_search_syntax_error(error: BaseException) -> bool:
    return isinstance(error, pg_errors.SyntaxError)


# Checking


def integrity_checks(connection: psycopg.Connection) -> list[tuple[str, bool | None, str]]:
    """What can go wrong on a server: constraints left unvalidated, broken indexes, id sequences behind."""
    unvalidated = [
        name
        for (name,) in connection.execute(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = current_schema() AND NOT c.convalidated"
        )
    ]
    invalid = [
        name
        for (name,) in connection.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "AND NOT (i.indisvalid AND i.indisready)"
        )
    ]
    results: list[tuple[str, bool | None, str]] = [
        ("constraints", not unvalidated, "; ".join(unvalidated) or "ok"),
        ("indexes", not invalid, "; ".join(f"{name} is not valid (REINDEX it)" for name in invalid) or "ok"),
    ]
    results.append(("id sequences", *_sequences_check(connection)))
    return results


ID_SEQUENCE_TABLES = ("sources", "statements", "people", "contacts", "quotes")


def _sequences_check(connection: psycopg.Connection) -> tuple[bool, str]:
    """Whether the id sequences are past every id (ids are handed out in Python, then the sequences moved on);
    a role that may only read the tables cannot see the sequences, and is told so rather than failed."""
    tables = [table for table in ID_SEQUENCE_TABLES if table in table_names(connection)]
    if not all(_value(connection, "SELECT has_sequence_privilege(%s, 'SELECT')", (f"{t}_id_seq",)) for t in tables):
        return True, "not checked: this role may not read the id sequences; a role that loads may"
    behind = [
        table
        for table in tables
        if _value(
            connection,
            f"SELECT (SELECT max(id) FROM {table}) > (SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
            f"FROM {table}_id_seq)",
        )
    ]
    return not behind, "; ".join(f"{t}: behind its largest id" for t in behind) or "ok"


# `iwfdb sql`: the user's own statement


def run_untrusted(location: Location, text: str, params: dict, timeout: float) -> tuple[list[str], Iterator[tuple]]:
    """(column names, rows as they come) of one statement that may only read, within `timeout` seconds.

    The boundary is the role: a statement can undo any SET ROLE made before it (`set_config('role', ...)`),
    so it runs only as a role that has no right to give back (see `_refuse_escaping_role`). Then, as further
    layers, the server holds it to a READ ONLY transaction (its mode fixed by a first query, so the statement
    cannot change it), a statement_timeout and the extended protocol (one statement, no `;` and a second
    one), and the transaction is rolled back at the end whatever the statement did.
    """
    connection, role = connect(location, "read"), None
    try:
        role = _refuse_escaping_role(connection)
        connection.execute("BEGIN READ ONLY")
        connection.execute(f"SET LOCAL statement_timeout = {max(1, round(timeout * 1000))}")
        cursor = connection.cursor()
        rows = cursor.stream(_named_parameters(text), params)
        first = next(rows, None)
        columns = [column.name for column in cursor.description or ()] or _columns_of(connection, text, params)
    except psycopg.ProgrammingError as error:
        connection.close()
        if "didn't produce a result" in str(error):  # a statement that returns no rows (SET, ANALYZE...)
            return [], iter(())
        raise _untrusted_error(error, role, timeout) from None
    except BaseException as error:
        connection.close()
        raise _untrusted_error(error, role, timeout) from None
    return columns, _closed_after(connection, first, rows, role, timeout)


# Predefined roles whose members reach beyond the archive: the server's programs and files, other sessions.
ESCAPING_ROLES = (
    "pg_execute_server_program",
    "pg_read_server_files",
    "pg_write_server_files",
    "pg_signal_backend",
    "pg_write_all_data",
)
ARCHIVE_RELATIONS = "('r', 'p', 'v', 'm', 'f')"  # tables, partitioned tables, views, materialized and foreign
# Every role the session's role can become (itself included), and each right of theirs a statement could use.
_ESCAPES = f"""
    SELECT r.rolname, reason FROM pg_roles r, LATERAL (VALUES
        (r.rolsuper, 'is a superuser'),
        (r.rolcreaterole, 'may create roles (CREATEROLE)'),
        (r.rolbypassrls, 'bypasses row-level security (BYPASSRLS)'),
        (r.rolreplication, 'may replicate the server (REPLICATION)'),
        (r.rolname = ANY(%(escaping)s), 'is ' || r.rolname || ', which reaches beyond the archive'),
        (EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
                 AND c.relkind IN {ARCHIVE_RELATIONS} AND c.relowner = r.oid), 'owns tables of the archive'),
        (EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
                 AND c.relkind IN {ARCHIVE_RELATIONS}
                 AND has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')),
         'may change tables of the archive (INSERT, UPDATE, DELETE or TRUNCATE)'),
        (has_schema_privilege(r.oid, current_schema(), 'CREATE'), 'may CREATE in schema ' || current_schema())
    ) AS found(holds, reason)
    WHERE holds AND pg_has_role(session_user, r.oid, 'MEMBER')
    ORDER BY r.rolname <> session_user, r.rolname"""


def _refuse_escaping_role(connection: psycopg.Connection) -> str:
    """The session's role, if neither it nor any role it may become could write or escape; else a UsageError.

    A usage error (exit 2), as `serve` on a URL is: nothing was tried, and what must change is the URL given."""
    from iwfdb.errors import UsageError

    role = _value(connection, "SELECT session_user")
    found: dict[str, list[str]] = {}
    for name, reason in connection.execute(_ESCAPES, {"escaping": list(ESCAPING_ROLES)}):
        found.setdefault(name, []).append(reason)
    if not found:
        return role
    others = ", ".join(f'"{name}"' for name in found if name != role)
    reasons = [", ".join(found.get(role, [])), f"may become {others}, which may do more" if others else ""]
    raise UsageError(
        f'iwfdb sql on PostgreSQL runs only as a role that may read and nothing more, and "{role}" '
        f"{'; '.join(filter(None, reasons))}: nothing was run. Connect as a role that may only read "
        "(docs/postgresql.md shows the SQL that makes one)"
    )


def _closed_after(connection: psycopg.Connection, first, rows, role: str, timeout: float):
    try:
        if first is not None:
            yield first
            yield from rows
    except psycopg.Error as error:
        raise _untrusted_error(error, role, timeout) from None
    finally:
        connection.close()  # and with it, the transaction: whatever the statement did is rolled back


def _columns_of(connection: psycopg.Connection, text: str, params: dict) -> list[str]:
    """The columns of a query that gave no row (a stream of none says nothing of them): asked again with LIMIT 0,
    which the server plans but does not run; none for a statement that is no query."""
    try:
        with connection.transaction():
            cursor = connection.execute(f"SELECT * FROM ({_named_parameters(text)}) AS described LIMIT 0", params)
            return [column.name for column in cursor.description or ()]
    except psycopg.Error:
        return []


_NAMED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|(?<![:\w]):([A-Za-z_]\w*)|%")


def _named_parameters(text: str) -> str:
    """A user's `:name` parameters as psycopg's `%(name)s` (literals, `::` casts and jsonb's `?` left alone)."""
    return _NAMED.sub(lambda m: f"%({m.group(1)})s" if m.group(1) else m.group(0).replace("%", "%%"), text)


def _untrusted_error(error: BaseException, role: str | None, timeout: float) -> BaseException:
    from iwfdb.errors import IwfdbError, UsageError

    if isinstance(error, pg_errors.ReadOnlySqlTransaction):
        return IwfdbError("iwfdb sql is read-only: this statement would change the archive; nothing was changed")
    if isinstance(error, pg_errors.InsufficientPrivilege):
        return IwfdbError(f'the role "{role}" may not do that: {error.diag.message_primary}; nothing was changed')
    if isinstance(error, pg_errors.QueryCanceled):
        return IwfdbError(f"the query was stopped after {timeout:g} s; give it longer with --timeout SECONDS")
    if isinstance(error, psycopg.ProgrammingError) and "parameter missing" in str(error):
        name = str(error).rpartition(":")[2].strip()
        return UsageError(f"the statement names :{name}, which has no value; give it with --param NAME VALUE")
    if isinstance(error, psycopg.errors.SyntaxError) and "multiple commands" in str(error):
        return IwfdbError("iwfdb sql runs one statement at a time; leave out the `;` and what follows")
    if isinstance(error, psycopg.Error):
        return IwfdbError(f"SQL error: {' '.join(str(error).split())}")
    return error

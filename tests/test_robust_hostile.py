"""Hostile input to the read commands: filter values are data, never SQL or full-text syntax.

tests/test_read_cmds.py and tests/test_query_sql.py already cover hostile `search` words, `--kind`, and
`iwfdb sql` refusing writes (API: every form; CLI: DELETE, WITH ... DELETE, DROP, PRAGMA, ATTACH, VACUUM
INTO) and its time limit. This adds every other filter option, FTS operators in `search`, and INSERT and
UPDATE refused through the command line.
"""

from __future__ import annotations

import pytest
from helpers import iwfdb as run
from helpers import snapshot

HOSTILE = ["x'; DROP TABLE statements; --", "' OR '1'='1", 'Susie" OR 1=1 --', "/* comment */ Susie", "%", "_",
           'NEAR("a" b) OR *', "title:* AND body:*", "^Susie*", "\\", "'; ATTACH 'x.db' AS x; --"]  # fmt: skip
FILTERS = [["query", "--speaker"], ["query", "--contact"], ["query", "--text"], ["query", "--kind"],
           ["quotes", "--speaker"], ["contacts", "--name"], ["search"]]  # fmt: skip


@pytest.fixture
def db(reader_db):
    return reader_db


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("command", FILTERS, ids=" ".join)
def test_a_hostile_filter_value_is_data(db, command, value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = snapshot(db)
    result = run(db, *command, value, "--format", "json")
    assert "Traceback" not in result.output and "SQL error" not in result.output
    assert "syntax" not in result.stderr, result.stderr
    if result.exit_code == 0:
        assert result.stdout.strip() == "" or result.stdout.lstrip().startswith("[")
    elif result.exit_code == 2:  # a text search for only punctuation: nothing to search for
        assert "nothing to search for" in result.stderr and "give at least one word" in result.stderr
    else:  # nothing matches: an unknown person, with suggestions; never an error about the value's syntax
        assert result.exit_code == 1, result.output
        assert any(words in result.stderr for words in ("error: nobody called", "did you mean", "found")), result.stderr
    assert snapshot(db) == before and list(tmp_path.iterdir()) == []


def test_a_wildcard_matches_only_itself(db):
    assert run(db, "query", "--text", "%", "--format", "json").stdout.strip() in ("", "[]")
    assert run(db, "query", "--speaker", "_", "--format", "json").stdout.strip() in ("", "[]")


INSERTS_AND_UPDATES = {
    "sqlite": ["PRAGMA user_version = 7", "REPLACE INTO people (id, name, name_key, kind) VALUES (1, 'x', 'x', 'person')"],
    "postgresql": ["INSERT INTO people (id, name, name_key, kind) VALUES (1, 'x', 'x', 'person') ON CONFLICT (id) "
                   "DO UPDATE SET name = 'pwned'", "SELECT setval('iwfdb_write_count', 7)"],
}


@pytest.mark.parametrize("sql", ["INSERT INTO people (name, name_key, kind) VALUES ('x', 'x', 'person')",
                                 "UPDATE statements SET title = 'pwned'"])
def test_sql_refuses_inserts_and_updates_from_the_command_line(db, backend, sql):
    before = snapshot(db)
    for statement in (sql, *INSERTS_AND_UPDATES[backend]):
        result = run(db, "sql", statement)
        assert result.exit_code == 1 and result.stdout == ""
        refusal = "error: iwfdb sql is read-only" if "setval" not in statement else "may not do that: permission denied"
        assert refusal in result.stderr, (statement, result.stderr)  # a sequence is beyond a reading role's rights
    assert snapshot(db) == before

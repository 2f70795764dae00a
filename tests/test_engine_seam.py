"""The seam between the archive and its engines (iwfdb.db.engine.Engine): declared, kept, and its savepoints.

Both engine modules provide every member of the declaration with the same signature; no code reaches
anything else through `side`; savepoints nest, and the error that ended a transaction reaches the user.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from helpers import iwfdb

from iwfdb.db import Archive, Purpose, open_archive
from iwfdb.db.engine import Engine

SRC = Path(__file__).resolve().parents[1] / "src" / "iwfdb"
ENGINE_MODULES = ("iwfdb.db.sqlite", "iwfdb.db.postgres")
DATA_MEMBERS = ("NAME", "SEARCH_SYNTAX", "Error", "IntegrityError")


def declared_members() -> set[str]:
    return {name for name in vars(Engine) if not name.startswith("_")} | set(Engine.__annotations__)


def declared_functions() -> dict[str, inspect.Signature]:
    """Each method of the declaration as a module function's signature (without `self`)."""
    found = {}
    for name in declared_members() - set(DATA_MEMBERS):
        signature = inspect.signature(getattr(Engine, name))
        found[name] = signature.replace(parameters=list(signature.parameters.values())[1:])
    return found


def shape(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    """Parameter names, kinds and defaults: what a caller relies on (types are the type checker's to hold)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def test_every_member_of_the_declaration_has_a_docstring_or_a_comment_saying_why_it_is_the_engines():
    source = inspect.getsource(Engine)
    for name in declared_functions():
        assert (getattr(Engine, name).__doc__ or "").strip(), name
    for name in ("NAME", "SEARCH_SYNTAX"):
        assert any(line.strip().startswith(f"{name}: str  # ") for line in source.splitlines()), name
    for name in ("Error", "IntegrityError"):
        assert vars(Engine)[name].__doc__.strip(), name


@pytest.mark.parametrize("module_name", ENGINE_MODULES)
def test_each_engine_provides_every_member_with_the_declared_signature(module_name):
    module = importlib.import_module(module_name)
    for name in DATA_MEMBERS:
        assert hasattr(module, name), f"{module_name} lacks {name}"
    assert isinstance(module.NAME, str) and isinstance(module.SEARCH_SYNTAX, str)
    assert issubclass(module.IntegrityError, module.Error) and issubclass(module.Error, Exception)
    for name, declared in declared_functions().items():
        provided = getattr(module, name, None)
        assert callable(provided), f"{module_name} lacks {name}()"
        assert shape(inspect.signature(provided)) == shape(declared), f"{module_name}.{name}: {declared}"


def test_both_engines_have_the_same_signatures_member_for_member():
    sqlite, postgres = (importlib.import_module(name) for name in ENGINE_MODULES)
    for name in declared_functions():
        signatures = [inspect.signature(getattr(module, name)) for module in (sqlite, postgres)]
        assert shape(signatures[0]) == shape(signatures[1]), name


def reached_through_side(tree: ast.AST) -> set[tuple[str, int]]:
    """Every NAME of `x.side.NAME`, `side.NAME` and `side_of(...).NAME`, with its line."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        value = node.value
        through_side = (
            (isinstance(value, ast.Attribute) and value.attr == "side")
            or (isinstance(value, ast.Name) and value.id == "side")
            or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "side_of")
        )
        if through_side:
            found.add((node.attr, node.lineno))
    return found


def test_nothing_but_the_declared_members_is_reached_through_side():
    declared, undeclared, reached = declared_members(), [], set()
    for path in SRC.rglob("*.py"):
        for name, line in reached_through_side(ast.parse(path.read_text(encoding="utf-8"))):
            reached.add(name)
            if name not in declared:
                undeclared.append(f"{path.relative_to(SRC)}:{line}: side.{name}")
    assert undeclared == []
    assert {"sql", "insert_rows", "IntegrityError", "limit_clause"} <= reached  # the scan sees the real uses


def test_the_scan_finds_each_way_of_reaching_through_side():
    code = "archive.side.a\nself.archive.side.b()\nside.c\nside_of(location).d\nother.e\nsides.f"
    assert {name for name, _ in reached_through_side(ast.parse(code))} == {"a", "b", "c", "d"}


def test_an_open_archive_s_side_is_its_engine_module(db, backend):
    with open_archive(db, Purpose.INSPECT) as archive:
        assert archive.side.NAME == backend
        assert archive.side is importlib.import_module(ENGINE_MODULES[backend != "sqlite"])


# Savepoints


def titles(archive: Archive) -> list[str]:
    return [title for (title,) in archive.execute("SELECT title FROM statements ORDER BY title")]


def add_statement(archive: Archive, number: int, title: str) -> None:
    archive.execute("INSERT INTO statements (id, slug, match_key, title, card_only, first_loaded_at, last_loaded_at) "
                    "VALUES (?, ?, ?, ?, ?, 'now', 'now')", (number, f"s{number}", f"k{number}", title, False))


def test_savepoints_nest_each_depth_undoing_only_its_own_rows(db):
    with open_archive(db, Purpose.WRITE) as archive:
        archive.begin_write()
        with archive.savepoint():
            add_statement(archive, 1, "kept")
            with pytest.raises(archive.side.IntegrityError), archive.savepoint():
                add_statement(archive, 2, "undone")
                add_statement(archive, 2, "same id again")
            with archive.savepoint():
                add_statement(archive, 3, "kept too")
        archive.commit()
        assert titles(archive) == ["kept", "kept too"]
        assert archive.savepoints == 0


def test_an_error_inside_nested_savepoints_undoes_both_and_is_raised_as_it_was(db):
    with open_archive(db, Purpose.WRITE) as archive:
        archive.begin_write()
        add_statement(archive, 1, "before")
        with pytest.raises(archive.side.IntegrityError, match="(?i)unique|duplicate"):
            with archive.savepoint(), archive.savepoint():
                add_statement(archive, 2, "inner")
                add_statement(archive, 1, "clash")
        assert archive.in_transaction()
        archive.commit()
        assert titles(archive) == ["before"]


def rollback_trigger(archive: Archive) -> None:
    """A trigger that ends the whole transaction, as a full disk or an I/O error does on SQLite."""
    archive.execute("CREATE TRIGGER refuse_forbidden BEFORE INSERT ON statements WHEN NEW.title = 'Forbidden' "
                    "BEGIN SELECT RAISE(ROLLBACK, 'statements titled Forbidden are refused'); END")


def test_when_sqlite_ends_the_transaction_inside_a_savepoint_its_own_error_is_raised(sqlite_db):
    with open_archive(sqlite_db, Purpose.WRITE) as archive:
        rollback_trigger(archive)
        archive.begin_write()
        with pytest.raises(archive.side.IntegrityError, match="Forbidden are refused"), archive.savepoint():
            with archive.savepoint():
                add_statement(archive, 1, "Forbidden")
        assert not archive.in_transaction() and archive.savepoints == 0


def test_a_load_whose_transaction_the_engine_ends_tells_the_user_why(sqlite_db, tmp_path):
    """The batch is refused, then replayed file by file in savepoints; the trigger ends the transaction
    again, and the user reads the trigger's words, not `no such savepoint`."""
    with open_archive(sqlite_db, Purpose.WRITE) as archive:
        rollback_trigger(archive)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Forbidden\n\n12 March 2024\n\nThe IWF said the work goes on and on.\n")
    result = iwfdb(sqlite_db, "load", "--quiet", str(folder))
    assert result.exit_code == 1
    assert "statements titled Forbidden are refused" in result.stderr
    assert "savepoint" not in result.stderr.lower() and "Traceback" not in result.output


REFUSE_STATEMENTS = {  # a trigger that refuses one row and leaves the transaction open, on each engine
    "sqlite": ("CREATE TRIGGER refuse_forbidden BEFORE INSERT ON statements WHEN NEW.title = 'Forbidden' "
               "BEGIN SELECT RAISE(ABORT, 'statements titled Forbidden are refused'); END",),
    "postgresql": ("CREATE FUNCTION refuse_forbidden() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                   "'statements titled Forbidden are refused' USING ERRCODE = 'check_violation'; END $$",
                   "CREATE TRIGGER refuse_forbidden BEFORE INSERT ON statements FOR EACH ROW "
                   "WHEN (NEW.title = 'Forbidden') EXECUTE FUNCTION refuse_forbidden()"),
}


def test_a_file_whose_rows_the_archive_refuses_fails_alone_and_says_why(db, backend, tmp_path):
    with open_archive(db, Purpose.WRITE) as archive:
        for statement in REFUSE_STATEMENTS[backend]:
            archive.connection.execute(statement)  # as written: `$$` and `?` are no portable SQL
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Forbidden\n\n12 March 2024\n\nThe IWF said the work goes on and on.\n")
    (folder / "b.txt").write_text("Allowed\n\n13 March 2024\n\nThe IWF said the work goes on again.\n")
    result = iwfdb(db, "load", str(folder))
    assert result.exit_code == 1
    assert "a.txt: cannot archive this statement:" in result.stderr and "Forbidden are refused" in result.stderr
    with open_archive(db) as archive:
        assert titles(archive) == ["Allowed"]

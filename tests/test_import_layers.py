"""One direction of flow: the imports of src/iwfdb, drawn from the source, run down the layers and never in a circle.

Every import counts: at a module's top, inside a function (a lazy import is still a dependency) and under
TYPE_CHECKING. A module may import one of its own layer or a lower one. The layers, lowest first:

    base          keys, records, errors, config, interrupts, forking, record_keys: stdlib only, known to everyone
    input         the parser (parse/, parse_worker) and what brings bytes in: files on disk, WARC web archives
                  (warc), pages from the web (download, sitemaps, fetch); none of them touches the archive
    db            the archive's door (db/), the engines, the migrations and their models (models)
    store         writing the archive (store/)
    query         reading it as typed records (query/)
    presentation  text for people (render, terminal), on a terminal or a web page
    top           the command line (cli/, __main__) and the web page (datasette/)
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ("base", "input", "db", "store", "query", "presentation", "top")
# Module (or package: all below it) -> layer; the longest prefix decides.
PLACES = {
    "iwfdb": "base", "iwfdb.keys": "base", "iwfdb.records": "base", "iwfdb.errors": "base", "iwfdb.config": "base",
    "iwfdb.interrupts": "base", "iwfdb.forking": "base", "iwfdb.record_keys": "base",
    "iwfdb.parse": "input", "iwfdb.parse_worker": "input", "iwfdb.files": "input", "iwfdb.warc": "input",
    "iwfdb.download": "input", "iwfdb.sitemaps": "input", "iwfdb.fetch": "input",
    "iwfdb.db": "db", "iwfdb.models": "db",
    "iwfdb.store": "store",
    "iwfdb.query": "query",
    "iwfdb.render": "presentation", "iwfdb.terminal": "presentation",
    "iwfdb.cli": "top", "iwfdb.__main__": "top", "iwfdb.datasette": "top",
}


def modules(root: Path = SRC) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its __init__.py)."""
    found = {}
    for path in (root / "iwfdb").rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(module: str, tree: ast.AST, known: set[str], is_package: bool) -> set[str]:
    """The package's modules that `module` imports anywhere in its source."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {name for name in found if name in known and name != module}


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    found = modules(root)
    return {name: imported(name, ast.parse(path.read_text(encoding="utf-8")), set(found), path.name == "__init__.py")
            for name, path in found.items()}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in PLACES:
            return PLACES[".".join(parts[:end])]
    return None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
                  for module, targets in graph.items() for target in targets
                  if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module)))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """A circle through each module that is in one (depth first, from each module in turn), each circle once."""
    found, seen = [], set()
    for start in sorted(graph):
        stack = [(start, [start])]
        visited = set()
        while stack:
            module, path = stack.pop()
            for target in sorted(graph[module]):
                if target == start:
                    if frozenset(path) not in seen:
                        found.append([*path, start])
                        seen.add(frozenset(path))
                elif target not in visited:
                    visited.add(target)
                    stack.append((target, [*path, target]))
    return found


def test_every_module_has_a_layer():
    assert [module for module in modules() if layer_of(module) is None] == []


def test_no_module_imports_one_of_a_higher_layer():
    assert upward_imports(import_graph()) == []


def test_no_modules_import_each_other_in_a_circle():
    assert circles(import_graph()) == []


def test_the_graph_sees_lazy_relative_and_type_checking_imports_and_finds_what_is_wrong(tmp_path):
    package = tmp_path / "iwfdb"
    (package / "store").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "keys.py").write_text("def key():\n    from iwfdb.store import load\n")
    (package / "store" / "__init__.py").write_text("")
    (package / "store" / "load.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                               "    from . import rows\n")
    (package / "store" / "rows.py").write_text("from iwfdb.store.load import x\nimport iwfdb.keys\n")
    graph = import_graph(tmp_path)
    assert graph["iwfdb.keys"] == {"iwfdb.store.load"}
    assert graph["iwfdb.store.load"] == {"iwfdb.store.rows"}
    assert graph["iwfdb.store.rows"] == {"iwfdb.store.load", "iwfdb.keys"}
    assert upward_imports(graph) == ["iwfdb.keys (base) imports iwfdb.store.load (store)"]
    assert circles(graph) == [["iwfdb.keys", "iwfdb.store.load", "iwfdb.store.rows", "iwfdb.keys"],
                              ["iwfdb.store.load", "iwfdb.store.rows", "iwfdb.store.load"]]


def module_getattrs(root: Path = SRC) -> dict[str, ast.FunctionDef]:
    found = {}
    for name, path in modules(root).items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                found[name] = node
    return found


def test_a_module_level_getattr_only_defers_a_heavy_third_party_import_and_says_so():
    """A module's __getattr__ hides where a name comes from: allowed only to import a third-party package
    lazily (never one of iwfdb's own modules), with a docstring that says so."""
    for module, function in module_getattrs().items():
        own = [node for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))
               and any(name.startswith("iwfdb") for name in
                       ([alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]))]
        assert own == [], f"{module}.__getattr__ imports iwfdb's own modules: import them where they are used"
        assert "lazily" in (ast.get_docstring(function) or ""), f"{module}.__getattr__ must say what it defers"

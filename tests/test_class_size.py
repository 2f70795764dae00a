"""No class in src/iwfdb over 150 lines: a class that large holds several responsibilities, which are to be
parts of their own (the write path: session.py, sources.py, statements.py, identity.py, load.py's batch)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "iwfdb"
MOST_LINES = 150


def class_lengths(source: str, name: str) -> dict[str, int]:
    """Each class of a module's source (nested ones too, as `Outer.Inner`), by its length in lines, counted from
    its first decorator to its last line."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                first = min([child.lineno, *(decorator.lineno for decorator in child.decorator_list)])
                assert child.end_lineno is not None
                lengths[f"{name}:{prefix}{child.name}"] = child.end_lineno - first + 1
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return lengths


def test_no_class_in_the_package_is_over_150_lines():
    lengths: dict[str, int] = {}
    for path in sorted(SRC.rglob("*.py")):
        lengths.update(class_lengths(path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent))))
    assert len(lengths) > 50  # the walk found the package's classes
    too_long = {name: lines for name, lines in lengths.items() if lines > MOST_LINES}
    assert too_long == {}, f"classes over {MOST_LINES} lines (split them by responsibility): {too_long}"


def test_a_class_is_measured_from_its_decorator_to_its_last_line_nested_ones_by_their_full_name():
    lines = ["import dataclasses", "", "@dataclasses.dataclass", "class Outer:", "    x: int = 0", "",
             "    class Inner:", "        def f(self):", "            return 1", "", "", "", "    y = 2"]  # fmt: skip
    assert class_lengths("\n".join(lines), "m.py") == {"m.py:Outer": 11, "m.py:Outer.Inner": 3}


def test_a_class_over_the_limit_is_named_with_its_length():
    body = "".join(f"    a{number} = {number}\n" for number in range(MOST_LINES))
    lengths = class_lengths(f"class Big:\n{body}\nclass Small:\n    pass\n", "big.py")
    assert lengths == {"big.py:Big": MOST_LINES + 1, "big.py:Small": 2}

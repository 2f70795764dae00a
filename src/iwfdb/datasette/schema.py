"""The archive's own description of its tables, views and columns (schema.toml), read for whoever shows it.

One file holds the words so that Datasette's pages and README's schema section say the same thing; a test
keeps README's block generated from it and checks it against the migrated schema.
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

_CODE = re.compile(r"`([^`]*)`")


@dataclass(frozen=True, slots=True)
class Described:
    """A table or view: what one row is, its natural key, and the meaning of each column (in order)."""

    name: str
    is_view: bool
    row: str
    key: str | None
    columns: dict[str, str]

    def sentence(self) -> str:
        """`One row per quote ... Natural key: (...).`, the table's description as one text."""
        key = f" Natural key: {self.key}." if self.key else ""
        return f"One row per {self.row}.{key}"


@dataclass(frozen=True, slots=True)
class Descriptions:
    title: str
    description: str
    tables: tuple[Described, ...]

    def named(self, name: str) -> Described:
        return next(described for described in self.tables if described.name == name)


def load_descriptions() -> Descriptions:
    """schema.toml as shipped inside the package."""
    text = resources.files(__package__).joinpath("schema.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    tables = [_described(name, entry, False) for name, entry in data["tables"].items()]
    tables += [_described(name, entry, True) for name, entry in data["views"].items()]
    return Descriptions(data["title"], data["description"], tuple(tables))


def _described(name: str, entry: dict, is_view: bool) -> Described:
    return Described(name, is_view, entry["row"], entry.get("key"), dict(entry["columns"]))


def as_plain_text(text: str) -> str:
    """The text without its code marks, for places that show plain text (column tooltips)."""
    return _CODE.sub(r"\1", text)


def as_html(text: str) -> str:
    """The text escaped for HTML, its `code` spans shown as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))

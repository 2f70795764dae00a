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
# Words of the schema a reader of the web page need not meet: a clause holding one is left out there.
_SCHEMA_ONLY = re.compile(r"rowid|_fts\b", re.IGNORECASE)
_NATURAL_KEY = "the natural key: "
_NULL = re.compile(r"\bNULL\b")
_FLAG = re.compile(r"^1 when ")


@dataclass(frozen=True, slots=True)
class Described:
    """A table or view: what one row is, its natural key, and the meaning of each column (in order)."""

    name: str
    is_view: bool
    row: str
    key: str | None
    columns: dict[str, str]


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


def for_readers(text: str) -> str:
    """A column's description as the web page says it: without the schema's own words (its index's rowid,
    "the natural key"), an empty value called empty, a flag's 1 called yes."""
    clauses = [clause.removeprefix(_NATURAL_KEY) for clause in text.split("; ") if not _SCHEMA_ONLY.search(clause)]
    return _FLAG.sub("yes when ", _NULL.sub("empty", "; ".join(clauses)))


def as_html(text: str) -> str:
    """The text escaped for HTML, its `code` spans shown as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))

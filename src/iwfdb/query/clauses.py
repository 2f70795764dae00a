"""Small builders of portable SQL that every read function shares: WHERE clauses, pages, LIKE patterns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from iwfdb.db import Archive

Item = TypeVar("Item")


class Where:
    """A WHERE clause built from conditions, each with its bound parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list = []

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def __str__(self) -> str:
        return "WHERE " + " AND ".join(self.conditions) if self.conditions else ""


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """Part of a longer list: `items` from `offset` on, and `total`, how many there are in all."""

    items: list[Item]
    total: int
    offset: int = 0

    @property
    def is_cut(self) -> bool:
        return self.offset > 0 or len(self.items) < self.total


def like_prefix(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for values that begin with `text`, its own % and _ taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def paged(archive: Archive, items: list, limit: int | None, offset: int, count_sql: str, params: Sequence) -> Page:
    """A page of `items`; the total is counted (with `count_sql`) only when the page may not hold all there is."""
    if (limit is None or len(items) < limit) and (items or not offset):
        return Page(items, offset + len(items), offset)
    return Page(items, archive.execute(count_sql, params).fetchone()[0], offset)

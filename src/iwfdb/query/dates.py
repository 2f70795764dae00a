"""Date filters as index-friendly ranges over the ISO-8601 text in `statements.published`."""

from __future__ import annotations

from datetime import date

from iwfdb.errors import UsageError


def year_ranges(column: str, years: tuple[int, ...] | list[int]) -> tuple[str, ...]:
    """A condition `(col >= ? AND col < ?) OR ...` for the years, then its parameters.

    Unlike substr(), a range can use the index on the column.
    """
    chosen = sorted(set(years))
    condition = " OR ".join(f"({column} >= ? AND {column} < ?)" for _ in chosen)
    bounds = [bound for year in chosen for bound in (f"{year:04d}-01-01", f"{year + 1:04d}-01-01")]
    return f"({condition})", *bounds


def iso_day(value: str, option: str) -> str:
    """A YYYY-MM-DD (or YYYY-MM, or YYYY) option value, checked, as the ISO text it is compared with."""
    text = value.strip()
    for padding in ("", "-01", "-01-01"):
        try:
            return date.fromisoformat(text + padding).isoformat()
        except ValueError:
            continue
    raise UsageError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, or YYYY)")


def day_after_period(value: str, option: str) -> str:
    """The exclusive end of `--to VALUE`: `--to 2024` means up to the end of 2024, `--to 2024-03` of March."""
    start = date.fromisoformat(iso_day(value, option))
    parts = value.strip().count("-")
    if parts == 0:
        return date(start.year + 1, 1, 1).isoformat()
    if parts == 1:
        return (date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)).isoformat()
    return date.fromordinal(start.toordinal() + 1).isoformat()

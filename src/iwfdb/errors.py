"""The errors iwfdb raises on purpose; the CLI turns each into a message and an exit code."""

from __future__ import annotations


class IwfdbError(Exception):
    """An error the user can act on: its text says what went wrong and what to do; `details`, the lines
    that follow it (the choices it offers)."""

    exit_code = 1
    details: tuple[str, ...] = ()


class UsageError(IwfdbError):
    """The command was asked for something that cannot be (a missing path, a bad option value)."""

    exit_code = 2


class ParseError(IwfdbError):
    """A text that cannot be archived as a statement, located like a compiler error."""

    def __init__(self, message: str, source: str = "<text>", line: int | None = 1, column: int | None = 1):
        self.message = message
        self.source = source
        self.line = line  # None: the file as a whole (the parser itself failed on it)
        self.column = column
        super().__init__(f"{source}:{line}:{column}: {message}" if line is not None else f"{source}: {message}")

    def with_source(self, source: str) -> ParseError:
        """The same error, told about the file it came from (the parser sees only text)."""
        return ParseError(self.message, source, self.line, self.column)


class DatabaseError(IwfdbError):
    """The archive cannot be opened or written: not SQLite, read-only, full, or from a newer iwfdb."""


class NotFoundError(IwfdbError):
    """What was asked for is not in the archive (an id, a slug, a person); the message suggests near matches."""


class AmbiguousNameError(NotFoundError):
    """A name that several people (or organisations) share: no one of them is chosen for the user.

    `candidates` are records.NameCandidate, most quoted first; `total` counts those not listed too.
    """

    def __init__(self, name: str, candidates: list, total: int):
        self.name = name
        self.candidates = candidates
        self.total = total
        kind = "people" if candidates[0].kind == "person" else "organisations"
        option = "--person" if kind == "people" else "--organisation"
        super().__init__(
            f"{name!r} names {total} {kind}; say which with the full name, or the id (`iwfdb quotes {option} ID`):"
        )
        self.details = tuple(
            f"  {c.id:>6}  {c.name}  ({_counted(c.quotes, 'quote')}, {c.contacts} as a contact)" for c in candidates
        ) + ((f"  ... and {total - len(candidates)} more",) if total > len(candidates) else ())


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")

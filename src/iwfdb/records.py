"""Plain, immutable records: what the parser returns and what the store and the read API pass around.

Stdlib only, so that every layer can import them without pulling in the database or the CLI.
Every record that comes from a statement text carries the 1-based line it started on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any


def _sent_fast(cls):
    """A record that crosses from a parse worker to the loader pickles as its class and its values: the
    default for a frozen slots dataclass (setstate, field by field) cost the loader a second per 10,000 files."""
    values = attrgetter(*(field.name for field in dataclasses.fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@_sent_fast
@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A recoverable oddity: the statement was read, but this part may be incomplete or guessed."""

    line: int
    message: str


@_sent_fast
@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    line: int


@_sent_fast
@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker.

    `speaker` is the resolved name ("Susie Hargreaves", also for "She said:" or "Ms Hargreaves said:"),
    an organisation ("Home Office" for "A Home Office spokesperson said:"), several people at once, or None
    when the source is not named. `speaker_kind` says which: `person`, `organisation`, `group` or `unknown`.
    `attribution` is the attribution as printed, so that a resolution can always be checked against the text.
    """

    speaker: str | None
    speaker_kind: str
    role: str | None
    honours: str | None
    text: str
    line: int
    attribution: str


@_sent_fast
@dataclass(frozen=True, slots=True)
class Phone:
    raw: str
    e164: str | None


@_sent_fast
@dataclass(frozen=True, slots=True)
class Contact:
    """A press contact. `email` is None when unknown; `email_hidden` says the page hid a real address.

    `kind` is `person`, or `organisation` for an office ("Press Office", "NSPCC Media Team").
    """

    name: str | None
    role: str | None
    email: str | None
    email_hidden: bool
    phones: tuple[Phone, ...]
    handles: tuple[str, ...]
    line: int
    kind: str = "person"


@_sent_fast
@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    line: int


@_sent_fast
@dataclass(frozen=True, slots=True)
class RelatedCard:
    """A card pointing at another statement; its date and kind are that statement's, not this one's."""

    title: str
    summary: str | None
    date: date | None
    kind: str | None
    line: int


@_sent_fast
@dataclass(frozen=True, slots=True)
class Section:
    """A closing section (notes to editors, contact, about/what-we-do boilerplate)."""

    heading: str
    text: str
    line: int


@_sent_fast
@dataclass(frozen=True, slots=True)
class Statement:
    """One statement as read from its text; fields the text does not show are None, never guessed.

    `url` is the page's address and `publisher` the organisation whose statement it is, when the page (or
    the user) says so; the IWF when the text gives evidence of it (see iwfdb.parse.refusal).
    """

    title: str | None
    kind: str | None
    published: date | None
    byline: str | None
    summary: str | None
    body: tuple[Paragraph, ...]
    quotes: tuple[Quote, ...] = ()
    contacts: tuple[Contact, ...] = ()
    links: tuple[Link, ...] = ()
    related: tuple[RelatedCard, ...] = ()
    sections: tuple[Section, ...] = ()
    captions: tuple[Paragraph, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    title_line: int | None = None
    url: str | None = None
    publisher: str | None = None


@_sent_fast
@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A statement with the provenance of the bytes it was read from."""

    source: str
    sha256: str
    size: int
    statement: Statement = field(repr=False)


# What the read API returns: the archive's rows as records, in the shapes README documents for JSON.
# Dates here are ISO text, as the archive keeps them.


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A statement named from another: a related card's target, or a statement citing this one."""

    id: int
    slug: str
    title: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class StoredQuote:
    position: int
    speaker: str | None
    speaker_kind: str
    role: str | None
    honours: str | None
    attribution: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class StoredContact:
    id: int
    name: str | None
    role: str | None
    email: str | None
    email_hidden: bool
    handles: tuple[str, ...]
    line: int
    phones: tuple[Phone, ...]
    kind: str = "person"


@dataclass(frozen=True, slots=True)
class StoredLink:
    """A link in text order: to a URL, or (a related card) to another statement, with what the card printed."""

    position: int
    target: str  # `url` or `statement`
    url: str | None
    target_statement_id: int | None
    target_slug: str | None
    target_title: str | None
    target_published: str | None
    text: str | None
    line: int
    summary: str | None = None
    target_kind: str | None = None


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The file a statement was read from; for a card-only statement (`role` card), the file whose card named it."""

    path: str
    sha256: str | None
    size: int | None
    outcome: str
    first_loaded_at: str
    last_loaded_at: str
    role: str


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    id: int
    sha256: str | None
    source_path: str | None
    loaded_at: str
    replaced_at: str


@dataclass(frozen=True, slots=True)
class DiffRun:
    """A stretch of a word-by-word difference: `equal`, `delete` (only in the older text) or `insert`."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One version of a statement: an earlier one (`revision` is its id in `revisions`) or the current one."""

    revision: int | None
    loaded_at: str
    replaced_at: str | None  # None for the current version
    source_path: str | None
    sha256: str | None


@dataclass(frozen=True, slots=True)
class StatementDiff:
    """What changed between two versions of a statement, word by word (iwfdb.query.diff)."""

    statement_id: int
    slug: str
    title: str | None
    url: str | None
    old: VersionInfo
    new: VersionInfo
    changed: bool  # False when the versions differ only in spacing, quote marks or dashes
    runs: tuple[DiffRun, ...]


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """One statement as the archive holds it, with its parts, where it came from and what replaced it."""

    id: int
    slug: str
    title: str | None
    kind: str | None
    published: str | None
    byline: str | None
    summary: str | None
    body: str | None
    card_only: bool
    sha256: str | None
    first_loaded_at: str
    last_loaded_at: str
    quotes: tuple[StoredQuote, ...]
    contacts: tuple[StoredContact, ...]
    links: tuple[StoredLink, ...]
    cited_by: tuple[StatementRef, ...]
    sections: tuple[Section, ...]
    source: SourceInfo | None
    revisions: tuple[RevisionInfo, ...]
    warnings: tuple[ParseWarning, ...] = ()
    url: str | None = None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class StatementSummary:
    """A statement in a list (`iwfdb query`); the counts and source are None for a card-only statement."""

    id: int
    slug: str
    published: str | None
    kind: str | None
    title: str | None
    card_only: bool
    quotes: int | None
    contacts: int | None
    links: int | None
    source_path: str | None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    id: int
    statement_id: int
    slug: str
    published: str | None
    speaker: str | None
    role: str | None
    text: str
    statement_title: str | None


@dataclass(frozen=True, slots=True)
class ContactSummary:
    id: int
    statement_id: int
    slug: str
    published: str | None
    name: str | None
    role: str | None
    email: str | None
    email_hidden: bool
    phones: tuple[str, ...]
    handles: tuple[str, ...]
    statement_title: str | None


@dataclass(frozen=True, slots=True)
class PersonSummary:
    id: int
    name: str
    kind: str
    quotes: int
    contacts: int
    first_seen: str | None
    last_seen: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NameCandidate:
    """Someone a name typed by a user may mean: a person or an organisation, with how often they appear."""

    id: int
    kind: str  # person or organisation
    name: str
    quotes: int  # said alone or together with others
    contacts: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    match: str  # `statement` or `quote`
    statement_id: int
    slug: str
    published: str | None
    title: str | None
    speaker: str | None
    snippet: str
    score: float


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """A file ever loaded (or a page of a web archive, `crawl.warc.gz#1234`) and what the last load made of it."""

    path: str
    outcome: str
    error: str | None
    size: int | None
    sha256: str | None
    parser_version: int | None
    fetched_at: str | None
    first_loaded_at: str
    last_loaded_at: str


@dataclass(frozen=True, slots=True)
class StatRow:
    """One number of `iwfdb stats`: group `counts`, `per_year` or `top_speakers`."""

    group: str
    name: str
    value: int


def to_jsonable(value: Any) -> Any:
    """Records as JSON-ready values: dates as ISO strings, tuples as lists, paragraphs as their text."""
    if type(value) in _AS_THEY_ARE:  # most values: a re-load writes thousands for each statement it replaces
        return value
    if isinstance(value, Paragraph):
        return value.text
    fields = _field_names(type(value))
    if fields is not None:
        return {name: to_jsonable(getattr(value, name)) for name in fields}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A record class's field names, in order (found once a class: dataclasses.fields builds them each call)."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
    return _FIELD_NAMES[kind]


def parsed_file_to_dict(parsed: ParsedFile) -> dict[str, Any]:
    """The documented JSON shape of `iwfdb parse --format json`: provenance first, then the statement."""
    return {"source": parsed.source, "sha256": parsed.sha256, **to_jsonable(parsed.statement)}

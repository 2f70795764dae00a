"""The archive's tables. Alembic's migrations create them; these models must agree (a test checks).

Natural keys carry UNIQUE constraints so that every write can be an upsert and a re-load is idempotent:
a statement by `match_key` (normalised title and date), a person by `name_key`, a source file by `path`,
and the parts of a statement by (statement, position). Dates and times are ISO-8601 text, so that they
read well in `sqlite3` and sort correctly.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# 64 bits (a file's mtime in nanoseconds): SQLite's INTEGER is, PostgreSQL's is not.
WIDE_INTEGER = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    """Every file ever given to `iwfdb load`, with what became of it the last time."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("outcome IN ('loaded', 'updated', 'unchanged', 'duplicate', 'failed')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    # Unknown (NULL) for a file that could not be read: too large, no permission, gone.
    size: Mapped[int | None] = mapped_column(WIDE_INTEGER)
    mtime_ns: Mapped[int | None] = mapped_column(WIDE_INTEGER)
    sha256: Mapped[str | None] = mapped_column(Text, index=True)
    outcome: Mapped[str] = mapped_column(Text)
    # The version of the parser that read the file (iwfdb.parse.PARSER_VERSION); NULL before it was kept.
    parser_version: Mapped[int | None] = mapped_column(Integer)
    # When a page of a web archive was fetched (its WARC-Date, ISO-8601); NULL for a file of its own.
    fetched_at: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    first_loaded_at: Mapped[str] = mapped_column(Text)
    last_loaded_at: Mapped[str] = mapped_column(Text)


class Statement(Base):
    """One statement: full (read from a file) or card-only (known from another statement's related card)."""

    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_card_only_published", "card_only", "published"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(Text, unique=True)
    match_key: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(Text, index=True)
    byline: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    card_only: Mapped[bool] = mapped_column(Boolean, default=False)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    sha256: Mapped[str | None] = mapped_column(Text)
    first_loaded_at: Mapped[str] = mapped_column(Text)
    last_loaded_at: Mapped[str] = mapped_column(Text)
    # Where it came from: the page's address and the organisation whose statement it is, when stated.
    url: Mapped[str | None] = mapped_column(Text, index=True)
    publisher: Mapped[str | None] = mapped_column(Text, index=True)
    # The opening paragraphs' fingerprint (keys.body_key): a body-only rendering of the page finds it.
    body_key: Mapped[str | None] = mapped_column(Text, index=True)


class Organisation(Base):
    """A body that speaks ("A Home Office spokesperson said") or is a press contact ("Press Office")."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, unique=True)


class Person(Base):
    """One person quoted or named as a contact, whatever role, title or honours a statement printed.

    `group` is only in archives written before organisations had a table of their own (a load prunes them).
    """

    __tablename__ = "people"
    __table_args__ = (CheckConstraint("kind IN ('person', 'group')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("statement_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # person, organisation, group (several people at once) or unknown (no source named)
    speaker_kind: Mapped[str] = mapped_column(Text, server_default="unknown")
    speaker: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    honours: Mapped[str | None] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class QuoteSpeaker(Base):
    """Who said a quote: one row per person or organisation, so that a quote said by several people together
    counts for each of them (`quotes.person_id` names a single speaker only)."""

    __tablename__ = "quote_speakers"
    __table_args__ = (CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_speaker"),)

    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # the order the names were printed in
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("statement_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(Text, server_default="person")  # person or organisation
    name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    email_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    handles: Mapped[str] = mapped_column(Text, default="")
    line: Mapped[int] = mapped_column(Integer)


class ContactPhone(Base):
    __tablename__ = "contact_phones"
    __table_args__ = (UniqueConstraint("contact_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    e164: Mapped[str | None] = mapped_column(Text, index=True)


class Link(Base):
    """From a statement to another statement (a related card) or to a URL found in its text."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("statement_id", "position"),
        CheckConstraint("(target_statement_id IS NULL) <> (url IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    target_statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    # A related card's summary as the linking statement printed it (a card's title goes in `text`).
    summary: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class Section(Base):
    """A closing section of a statement: notes to editors, contact, about/what-we-do boilerplate."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("statement_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class ParseWarningRow(Base):
    """What the parser noticed in a source file but could recover from (a cut-off card, no date...)."""

    __tablename__ = "parse_warnings"
    __table_args__ = (UniqueConstraint("source_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)


class Revision(Base):
    """A version of a statement that a later load replaced: nothing once archived is lost.

    `record` is the replaced version as JSON (the same shape as `iwfdb parse --format json`).
    """

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str | None] = mapped_column(Text)
    source_path: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[str] = mapped_column(Text)
    record: Mapped[str] = mapped_column(Text)


class FtsPaused(Base):
    """Non-empty only inside a bulk writer's transaction: the full-text triggers stand aside meanwhile.

    The writer indexes its batch itself, with one executemany (three times faster than the triggers).
    """

    __tablename__ = "fts_paused"

    writer: Mapped[str] = mapped_column(Text, primary_key=True)

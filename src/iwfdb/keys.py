"""Natural keys: how the archive recognises a statement or a person it has seen before. Stdlib only.

The store keys what it writes with these functions and the read side keys what a user types with the
same ones ("Ms Hargreaves OBE" finds "Susie Hargreaves"), so they live beside both, importing neither.

A statement is its normalised title and its date; a person is their normalised name without the
titles and honours that statements print around it. Keys are for matching, never for display.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import date

# Printed around a name, never part of it: "Ms Susie Hargreaves OBE" is "Susie Hargreaves".
NAME_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rt", "hon"})
# Post-nominal letters as statements print them; the parser splits them off a speaker's name with this list.
HONOURS = frozenset(
    "OBE MBE CBE KBE DBE GBE CB KCB CMG QC KC MP MEP MSP MS FRS FRSA FBA FREng QPM DL JP PhD".split()
)
NAME_HONOURS = frozenset(honour.casefold() for honour in HONOURS)

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_NAME_PUNCTUATION = re.compile(r"[.,;:()\"]")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SLUG_MAX_LENGTH = 80
UNDATED = "undated"
UNTITLED = "file:"  # how the match key of a statement without a title begins


@functools.lru_cache(maxsize=1 << 13)  # a related card's title is keyed again in every statement that shows it
def normalise_text(text: str) -> str:
    """Casefolded, straight quotes, one kind of dash, single spaces: two spellings of one title meet."""
    text = _DASHES.sub("-", text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip().casefold()


def statement_match_key(title: str | None, published: date | None, source_name: str) -> str:
    """`normalised title|ISO date`; a statement without a title is known by its file's name instead."""
    when = published.isoformat() if published else UNDATED
    if title and title.strip():
        return f"{normalise_text(title)}|{when}"
    return f"{UNTITLED}{source_name}|{when}"


def person_key(name: str) -> str:
    """A name without punctuation, titles or honours, casefolded: one person, however printed."""
    words = _NAME_PUNCTUATION.sub(" ", normalise_text(name)).split()
    while words and words[0] in NAME_TITLES:
        words.pop(0)
    while words and words[-1] in NAME_HONOURS:
        words.pop()
    return " ".join(words) or normalise_text(name)


def slug_base(title: str | None, published: date | None, fallback: str) -> str:
    """`2017-03-07-iwfs-work-with-industry`: the date, then the title's words (or the fallback's)."""
    ascii_text = unicodedata.normalize("NFKD", title or fallback).encode("ascii", "ignore").decode()
    words = _SLUG_JUNK.sub("-", ascii_text.casefold().replace("'", "")).strip("-")
    slug = f"{published.isoformat() if published else UNDATED}-{words}".strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug


def organisation_key(name: str) -> str:
    """An organisation's name casefolded, without a leading 'the' or a trailing possessive: 'The IWF's' is 'iwf'."""
    words = _NAME_PUNCTUATION.sub(" ", normalise_text(name).removesuffix("'s")).split()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words) or normalise_text(name)


# A body's opening shorter than this is too common to tell one statement from another.
BODY_KEY_MIN_LENGTH = 80


def body_key(opening: list[str]) -> str | None:
    """A fingerprint of a statement's first two paragraphs (standfirst included), normalised: the page read with
    its title and date and the page read body-only give the same one. None when the opening is too short."""
    text = normalise_text(" ".join(opening[:2]))
    if len(text) < BODY_KEY_MIN_LENGTH:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# One name for the IWF, however a page or a user writes it: 'Internet Watch Foundation', 'the IWF'.
IWF = "IWF"
_IWF_NAMES = frozenset({"iwf", "internet watch foundation", "the internet watch foundation", "the iwf"})


def publisher_name(name: str | None) -> str | None:
    """The name a publisher is archived (and looked for) under: the IWF's one, others as stated, trimmed."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    return IWF if normalise_text(name) in _IWF_NAMES else name

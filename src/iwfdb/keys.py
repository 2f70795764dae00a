"""Natural keys: how the archive recognises a statement or a person it has seen before. Stdlib only.

The store keys what it writes with these functions and the read side keys what a user types with the
same ones ("Ms Hargreaves OBE" finds "Susie Hargreaves"), so they live beside both, importing neither.

A statement is its normalised title and its date; a person is their name without the titles, honours,
accents and punctuation that statements print around it (a peer keeps the peerage). Keys are for
matching, never for display.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

# Printed before a name, never part of its key: "Ms Susie Hargreaves" and "Dr Ana Şahin" are keyed without them.
NAME_TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame rt hon rev reverend revd cllr councillor".split())
# Police ranks printed before a name ("Chief Constable Andy Marsh"): a role, so neither name nor key.
RANK_WORDS = frozenset(
    "chief deputy assistant detective constable inspector superintendent sergeant commander commissioner "
    "dci di ds dc pc supt det".split()
)
RANK_NOUNS = frozenset(
    "constable inspector superintendent sergeant commander commissioner dci di ds dc pc supt".split()
)
# A peer is known by the peerage: "Baroness Jones" is a name of its own, keyed "baroness jones" (also for
# "Baroness Maggie Jones" and "Baroness Jones of Whitchurch"), never merged with a commoner called Jones.
PEER_TITLES = frozenset(
    "lord lady baroness baron viscount viscountess earl countess marquess marchioness duke duchess".split()
)
# Post-nominal letters as statements print them; the parser splits them off a speaker's name with this list.
HONOURS = frozenset(
    """OBE MBE CBE KBE DBE GBE BEM CB KCB GCB DCB CMG KCMG GCMG DCMG CVO LVO MVO KCVO DCVO QC KC MP MEP MSP MS
    MLA FRS FRSA FBA FREng FRSE FMedSci FRCP FRCPsych FRCPCH QPM KPM QFSM DL JP PhD""".split()
)
NAME_HONOURS = frozenset(honour.casefold() for honour in HONOURS)
# Letters that Unicode does not decompose into a base letter and an accent (NFKD leaves them whole).
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "ŋ": "n",
        "Ŋ": "N",
        "ŧ": "t",
        "Ŧ": "T",
        "ſ": "s",
    }
)
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_KEY_PUNCTUATION = re.compile(r"[^\w\s]|_")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SLUG_MAX_LENGTH = 80
UNDATED = "undated"
UNTITLED = "file:"  # how the match key of a statement without a title begins


@functools.lru_cache(maxsize=1 << 13)  # a related card's title is keyed again in every statement that shows it
def normalise_text(text: str) -> str:
    """Casefolded, straight quotes, one kind of dash, single spaces: two spellings of one title meet."""
    text = _DASHES.sub("-", text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip().casefold()


# What a page prints where a headline may stand, or as a card, but that names no article: a section label,
# a kicker, a widget. One phrase a line, as normalise_text gives it.
LABELS = frozenset(
    line.strip()
    for line in """
    news
    latest news
    press releases
    press release
    news releases
    newsroom
    media
    media centre
    blog
    tech
    technology
    science
    politics
    business
    world
    uk
    opinion
    education
    higher education
    society
    sport
    supported by
    sponsored
    sponsored content
    partner content
    advertisement
    advertising
    ad feedback
    follow
    share
    menu
    home
    skip to main content
    skip to content
    jump to content
    related
    related articles
    related stories
    read more
    more
    untitled
    search
    search results
    contents
    table of contents
""".splitlines()
    if line.strip()
)
_LABEL_SHAPE = re.compile(r"^[+•|]|[-:|/]$")  # '+ FOLLOW', 'Biz & IT -' (dashes are normalised to '-')
_LETTERS = re.compile(r"[^\W\d_]")


def is_label(title: str) -> bool:
    """Whether a title is a section label, kicker or widget ('Supported by', 'Biz & IT —', '+ FOLLOW'), not a
    headline: never a statement's key, nor a related card."""
    text = normalise_text(title)
    return text in LABELS or _LABEL_SHAPE.search(text) is not None or _LETTERS.search(text) is None


def statement_match_key(title: str | None, published: date | None, source_name: str) -> str:
    """`normalised title|ISO date`; a statement without a title, or with a label for one ('Supported by',
    'News'), is known by its file's name instead."""
    when = published.isoformat() if published else UNDATED
    if title and title.strip() and not is_label(title):
        return f"{normalise_text(title)}|{when}"
    return f"{UNTITLED}{source_name}|{when}"


def fold_accents(text: str) -> str:
    """'Zoë Ørsted-Łukasz' -> 'Zoe Orsted-Lukasz': what a person types on an English keyboard."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    if decomposed.isascii():
        return decomposed
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _key_words(text: str) -> list[str]:
    """Casefolded words without accents, apostrophes ("O'Connor" is "oconnor") or other punctuation."""
    folded = _APOSTROPHES.sub("", fold_accents(normalise_text(text)))
    return _KEY_PUNCTUATION.sub(" ", folded).split()


@functools.lru_cache(maxsize=1 << 12)  # a speaker recurs in statement after statement
def person_key(name: str) -> str:
    """One key per person, however printed: without titles, honours, accents or punctuation, casefolded.

    "Ms Hargreaves OBE" -> "hargreaves"; "Zoë Ørsted-Łukasz" -> "zoe orsted lukasz"; a peer keeps the
    peerage and the surname: "Baroness Maggie Jones of Whitchurch" -> "baroness jones".
    """
    words = _key_words(name)
    while words and words[-1] in NAME_HONOURS:
        words.pop()
    words = _without_leading_titles(words)
    if len(words) >= 2 and words[0] in PEER_TITLES and "and" not in words:  # not a group: 'Lady A and B C'
        surname = words[: words.index("of")] if "of" in words[2:] else words
        words = [words[0], surname[-1]]
    return " ".join(words) or normalise_text(name)


# How the parser joins the names of several people who speak together ("Peter Kyle and Jess Phillips").
GROUP_JOINER = " and "


def group_members(speaker: str) -> list[str]:
    """The names of a group's members as printed, once each (by person key), in the order printed: the store
    gives each a person, and the migration that made `quote_speakers` read them from the archive."""
    members: dict[str, str] = {}
    for name in speaker.split(GROUP_JOINER):
        if name.strip():
            members.setdefault(person_key(name), name.strip())
    return list(members.values())


def _without_leading_titles(words: list[str]) -> list[str]:
    start = 0
    if words[:1] == ["the"] and len(words) > 2 and words[1] in NAME_TITLES | PEER_TITLES:
        start = 1
    while start < len(words) - 1 and words[start] in NAME_TITLES:
        start += 1
    rank_end = start
    while rank_end < len(words) - 1 and words[rank_end] in RANK_WORDS:
        rank_end += 1
    if rank_end > start and words[rank_end - 1] in RANK_NOUNS:
        start = rank_end
    return words[start:]


@functools.lru_cache(maxsize=1 << 10)
def organisation_key(name: str) -> str:
    """'The IWF's press office' and 'IWF' meet: no leading 'the', no possessive, no accents, casefolded."""
    words = _key_words(normalise_text(name).replace("'s ", " ").removesuffix("'s"))
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words) or normalise_text(name)


def slug_base(title: str | None, published: date | None, fallback: str) -> str:
    """`2017-03-07-iwfs-work-with-industry`: the date, then the title's words (or the fallback's)."""
    ascii_text = unicodedata.normalize("NFKD", title or fallback).encode("ascii", "ignore").decode()
    words = _SLUG_JUNK.sub("-", ascii_text.casefold().replace("'", "")).strip("-")
    slug = f"{published.isoformat() if published else UNDATED}-{words}".strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug


# A body's opening shorter than this is too common to tell one statement from another; longer than the
# other, it tells no more (and normalising a whole opening cost the loader a tenth of its time).
BODY_KEY_MIN_LENGTH = 80
BODY_KEY_LENGTH = 400
_NOT_WORDS = re.compile(r"\W+")


def body_key(opening: list[str]) -> str | None:
    """A fingerprint of a statement's opening (its first two paragraphs, standfirst included): its words,
    casefolded, whatever the quote marks, dashes and spaces. The page read with its title and date and the page
    read body-only give the same one; None when the opening is too short to tell."""
    words = _NOT_WORDS.sub(" ", " ".join(opening[:2])[: BODY_KEY_LENGTH * 2]).casefold().strip()[:BODY_KEY_LENGTH]
    if len(words) < BODY_KEY_MIN_LENGTH:
        return None
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]


def address_key(url: str) -> str:
    """An address as a page is known by: no scheme, 'www.', fragment or trailing slash; the host casefolded
    (an address that cannot be split, such as 'http://[', is known as written)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url.strip()
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def address_host(url: str | None) -> str:
    """The host of an address, casefolded; '' when there is none or the address cannot be split."""
    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def is_other_address(known: str | None, new: str | None) -> bool:
    """Whether two pages' addresses are both known and differ: then they are never one statement."""
    if not known or not new:
        return False
    return address_key(known) != address_key(new)


def apart_key(key: str, url: str) -> str:
    """The match key of a page whose title and date another page has: the key and the page's address."""
    return f"{key}|{address_key(url)}"


# One name for the IWF, however a page or a user writes it: 'Internet Watch Foundation', 'the IWF'.
IWF = "IWF"
_IWF_NAMES = frozenset({"iwf", "internet watch foundation", "the internet watch foundation", "the iwf"})


def publisher_name(name: str | None) -> str | None:
    """The name a publisher is archived (and looked for) under: the IWF's one, others as stated, trimmed."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    return IWF if normalise_text(name) in _IWF_NAMES else name

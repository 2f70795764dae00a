"""Sources that are not a person: bodies, their spokespeople and offices, documents, anonymous people.

'A Home Office spokesperson' is the Home Office speaking through a role; 'The report reads:' quotes a
document, which is no one; 'an anonymous child' is someone not named. None of them is a person, and none
may become a person's row with a made-up name.
"""

from __future__ import annotations

import re

from iwfdb.parse.vocabulary import DOCUMENT_WORDS, KNOWN_BODIES, ORG_WORDS, PRONOUNS, ROLE_WORDS, SPOKES_WORDS

_SPOKES = "|".join(re.escape(words) for words in sorted(SPOKES_WORDS, key=len, reverse=True))
_POSSESSIVE = r"(?:’s|'s|’|')"
# 'A Home Office spokesperson', 'The IWF’s press office', 'NCA officials'.
BODY_THEN_ROLE = re.compile(rf"^(?:(?:an?|the)\s+)?(?P<body>.+?){_POSSESSIVE}?\s+(?P<role>{_SPOKES})$", re.IGNORECASE)
# 'A spokesperson for the National Crime Agency'.
ROLE_THEN_BODY = re.compile(
    rf"^(?:(?:an?|the)\s+)?(?P<role>{_SPOKES})\s+(?:for|from|at|of|with)\s+(?:the\s+)?(?P<body>.+)$", re.IGNORECASE
)
BARE_ROLE = re.compile(rf"^(?:(?:an?|the)\s+)?(?P<role>{_SPOKES})$", re.IGNORECASE)
UNNAMED = re.compile(r"^(?:a|an|one|two|three|four|five|another|some|several|many|other|most)\s", re.IGNORECASE)
ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
BODY_SUFFIX = re.compile(rf"{_POSSESSIVE}$")


def spokesperson(who: str) -> tuple[str | None, str] | None:
    """(body or None, role) when the phrase is someone speaking for a body rather than a named person."""
    lowered = who.casefold()
    if not any(words in lowered for words in SPOKES_WORDS):  # most attributions: spare them three patterns
        return None
    match = BARE_ROLE.match(who)
    if match:
        return None, match["role"].lower()
    match = ROLE_THEN_BODY.match(who) or BODY_THEN_ROLE.match(who)
    if not match:
        return None
    body = bare(match["body"])
    return (body_name(body) if is_body(body) else None), match["role"].lower()


def bare(text: str) -> str:
    """'the IWF’s' -> 'IWF': a body's name as printed, without article or possessive."""
    return BODY_SUFFIX.sub("", ARTICLE.sub("", text.strip()))


def body_name(text: str) -> str:
    """'the IWF’s' -> 'IWF', 'government' -> 'Government': a body's name for display."""
    name = bare(text)
    return name[:1].upper() + name[1:]


def is_body(name: str) -> bool:
    """A body's name (without article): an acronym, a known body, a name ending in 'Office', 'Agency'...,
    or proper nouns only ('Childnet International Youth Panel')."""
    words = name.split()
    if not words or name.casefold() in PRONOUNS:
        return False
    if name.casefold() in KNOWN_BODIES or all(_is_acronym(word) for word in words):
        return True
    head = words[-1].casefold()
    if head in ROLE_WORDS and head not in ORG_WORDS:
        return False
    if head in ORG_WORDS:
        return True
    return all(word[:1].isupper() or word in ("of", "for", "and", "the", "&", "on") for word in words)


def is_document(who: str) -> bool:
    """'The report', 'The IWF’s annual report', 'the Online Safety Act': a text, not a speaker."""
    words = who.split()
    return bool(words) and BODY_SUFFIX.sub("", words[-1]).casefold() in DOCUMENT_WORDS


def is_unnamed(who: str) -> bool:
    """'an anonymous child', 'a 15-year-old girl', 'one survivor': someone the text does not name."""
    return bool(UNNAMED.match(who))


def is_role_only(who: str) -> bool:
    """'The Minister', 'Ofcom’s Chief Executive', 'Minister for Online Safety': a role whose holder the
    phrase does not name (a phrase ending in 'Office', 'Agency'... is a body)."""
    words = [word.casefold() for word in who.split()]
    return (
        bool(words)
        and words[-1] not in ORG_WORDS
        and any(word in ROLE_WORDS and word not in ORG_WORDS for word in words)
    )


def _is_acronym(word: str) -> bool:
    core = BODY_SUFFIX.sub("", word)
    return len(core) >= 2 and core.isupper()

"""People's names as statements print them, told apart from the roles and bodies printed around them.

A name is a run of capitalised words in any alphabet ('Émilie Dubois', 'Şebnem Yıldız'), with lower-case
particles inside it ('Jean-Luc de la Fontaine'), apostrophes, hyphens and inner capitals ('O’Connor',
'Ray-Hill', 'DeLaune'), after an optional title ('Dr', 'Baroness'). The role before a name is often printed
without a comma ('Technology Secretary Peter Kyle'), so a name is read from its end backwards and stops at
the first word that cannot be in a name: a role, a body, a topic, an acronym, a possessive, a title.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from iwfdb.parse.vocabulary import (
    ABBREVIATIONS,
    COMPANY_WORDS,
    CONNECTORS,
    COURTESY_TITLES,
    HONOURS,
    PARTICLES,
    PEER_TITLES,
    PLACE_OPENERS,
    PLACES,
    ROLE_SUFFIXES,
    STOP_WORDS,
    SURNAME_WORDS,
    TITLES,
)

# Printed before a full name but not kept in it: 'Ms Tamsin McNally', 'The Rt Hon Peter Kyle'.
DROPPED_TITLES = COURTESY_TITLES | {"the", "rt", "hon"}
# A double-barrelled name's hyphen as word processors type it too: 'Hardy‐Smith', 'Hardy–Smith' (no spaces).
NAME_PUNCTUATION = "'’-.\u2010\u2011\u2013"
# More capitalised words than this in a row are a role or a body ending in a name: keep the last two.
MAX_NAME_WORDS = 4
KEPT_OF_LONG_RUN = 2
# The word before a name that makes the name's first word the end of a role ('Head of *Policy* Jane Doe');
# not 'and', which joins two people as often ('Theresa May and Anna Young').
ROLE_CONNECTORS = CONNECTORS - {"and", "&"}
# The longest place name in words ('Ho Chi Minh City', 'Newcastle upon Tyne'): a bound on the search.
PLACE_MAX_WORDS = 5
# What joins a name to the body after it: 'Jennifer Mattinson from the West Mercia police'.
MIDDLE_CONNECTORS = frozenset("from at of with for in on".split())
# Particles that stand in a name only after another: 'van der', 'von der', 'van den'.
SECOND_PARTICLES = frozenset({"der", "den"})
# After a surname, not one: 'Omar Mateen Jr' is a Mateen.
SUFFIXES = frozenset("jr sr ii iii".split())
# A quoted span stops at the next opening mark too, so that unclosed marks cost one pass, not one per mark.
QUOTED = re.compile(r'“[^“”„]*”|"[^"]*"|„[^“”„]*[“”]|«[^«»]*»')
# Apostrophes are no break: 'O’Connor' is one word (a single quote mark stays glued to its word).
CLAUSE_BREAKS = str.maketrans({mark: " | " for mark in ',;:.!?()[]{}“”"/„«»'})
# The full stop of 'Dr. Shadlen' or 'Port St. Lucie' ends no sentence.
ABBREVIATION_DOT = re.compile(rf"\b((?i:{'|'.join(sorted(ABBREVIATIONS))}))\.(?=\s)")
# The European Parliament prints surnames in capitals, then the political group and the country:
# 'Andrzej BUŁA (EPP, PL)', 'Juan Fernando LÓPEZ AGUILAR (S&D, ES)'.
PARTY_AND_COUNTRY = re.compile(r"\s*\([^()]{1,30},\s*[A-Z]{2}\)")
CAPITAL_SURNAME_MAX_WORDS = 3


@dataclass(frozen=True, slots=True)
class NameSpan:
    """Where a name stands among a phrase's words: words[start:end]; `titled` when it opens with a title."""

    start: int
    end: int
    titled: bool


def is_title(word: str) -> bool:
    return word.casefold().rstrip(".") in TITLES


def is_particle(word: str) -> bool:
    return word in PARTICLES


@functools.lru_cache(maxsize=1 << 13)  # the same words (names, roles) recur from paragraph to paragraph
def is_name_word(word: str) -> bool:
    """A word that can stand in a person's name: capitalised, not an acronym, a possessive or a known non-name."""
    core = word.rstrip("*")  # 'Andrew*': a pseudonym with its footnote
    if not core:
        return False
    if core.casefold().rstrip(".") in STOP_WORDS or is_title(core) or core.casefold().endswith(ROLE_SUFFIXES):
        return False
    first = core[0]
    if not first.isupper():
        return _is_prefixed_surname(core)
    if len(core) == 1 or (len(core) == 2 and core[1] == "."):
        return first.isalpha()  # an initial, or an accented one-letter particle such as 'Ó'
    if core.endswith(("’s", "'s", "’", "'")) or not any(character.islower() for character in core):
        return False
    return all(character.isalpha() or character in NAME_PUNCTUATION for character in core)


def _is_prefixed_surname(word: str) -> bool:
    """'al-Hassan', 'd’Ancona', 'O’Connor' in lower case at its start: a particle glued to a capitalised name."""
    for prefix in ("al-", "el-", "d’", "d'", "de’", "l’", "l'"):
        if word.startswith(prefix) and len(word) > len(prefix) and word[len(prefix)].isupper():
            return all(character.isalpha() or character in NAME_PUNCTUATION for character in word)
    return False


def trailing_name(words: list[str], end: int | None = None) -> NameSpan | None:
    """The name that ends words[:end] ('NCMEC President and CEO Michelle DeLaune'), or None."""
    end = len(words) if end is None else end
    peer = _peer_with_territory(words, end)
    if peer:
        return peer
    start = end
    while start > 0 and _may_extend_back(words, start, end):
        start -= 1
    titled = start > 0 and is_title(words[start - 1])  # 'Mr van der Berg': particles after a title stay
    if titled:
        start = _title_start(words, start)
    else:
        start = _skip_particles(words, start, end)
        if start > 0 and words[start - 1].casefold() in ROLE_CONNECTORS:
            start = _skip_particles(words, start + 1, end)  # 'Head of Policy Jane Doe': 'Policy' ends the role
    span = _bounded(words, NameSpan(start, end, titled))
    count = _name_word_count(words, span)
    whole = span.start == 0 and span.end == len(words)  # the phrase is the name alone: 'Chris', 'Ms McNally'
    if count >= 2 or (count == 1 and (span.titled or whole)):
        return span
    return None


def _peer_with_territory(words: list[str], end: int) -> NameSpan | None:
    """'Lord Hanson of Flint': a peerage's territorial designation is part of the peer's name."""
    if end < 4 or words[end - 2] != "of" or not is_name_word(words[end - 1]):
        return None
    span = trailing_name(words, end - 2)
    if span and words[span.start].casefold() in PEER_TITLES:
        return NameSpan(span.start, end, True)
    return None


def leading_name(words: list[str]) -> NameSpan | None:
    """The name that opens a phrase followed by its role ('Dr Ana Şahin a lecturer in criminology'), or None."""
    start = _title_start(words, 0) if words and is_title(words[0]) else 0
    index = start
    while index < len(words) and is_title(words[index]):
        index += 1
    titled = index > start
    while index < len(words) and (
        is_name_word(words[index])
        or (_is_particle_at(words, index) and index + 1 < len(words) and is_name_word(words[index + 1]))
    ):
        index += 1
    if titled and words[start].casefold() in PEER_TITLES and index + 1 < len(words) and words[index] == "of":
        index += 2 if is_name_word(words[index + 1]) else 0
    span = NameSpan(start, index, titled)
    count = _name_word_count(words, span)
    if count > MAX_NAME_WORDS or not (count >= 2 or (count == 1 and titled)):
        return None
    return span


def find_name(phrase: str) -> tuple[str, str, str] | None:
    """(words before, name, words after) of the name a phrase holds, or None when it holds none."""
    words = phrase.split()
    span = trailing_name(words) or leading_name(words) or _name_before_connector(words)
    if span is None or not is_person_name(" ".join(words[span.start : span.end])):
        return None
    return " ".join(words[: span.start]), " ".join(words[span.start : span.end]), " ".join(words[span.end :])


def _name_before_connector(words: list[str]) -> NameSpan | None:
    """The name in the middle of 'Chief inspector Jennifer Mattinson from the West Mercia police'."""
    for end in range(2, len(words)):
        if words[end] in MIDDLE_CONNECTORS and is_name_word(words[end - 1]):
            span = trailing_name(words, end)
            if span is not None and _name_word_count(words, span) >= 2:
                return span
    return None


def name_words(name: str) -> list[str]:
    """The words of a name without its titles, particles and suffixes: 'Dr Ana de Souza' -> ['Ana', 'Souza'],
    'Ms De Bolle' -> ['Bolle'] (a capitalised particle before a surname is a particle too)."""
    words = [word for word in name.split() if not is_title(word) and word.casefold().rstrip(".") not in SUFFIXES]
    return [word for at, word in enumerate(words) if not (word.casefold() in PARTICLES and at + 1 < len(words))]


def is_person_name(name: str) -> bool:
    """Whether a run of name words names a person rather than a place or a company ('Whole Foods Market')."""
    words = name.casefold().split()
    return bool(words) and not is_place(name) and words[-1] not in COMPANY_WORDS


def is_place(name: str) -> bool:
    """'São Paulo', 'Port St. Lucie', 'Fort William': a place, which is no one."""
    words = name.casefold().split()
    return " ".join(words) in PLACES or (len(words) >= 2 and words[0] in PLACE_OPENERS)


def with_plain_surnames(text: str) -> str:
    """'Andrzej BUŁA (EPP, PL)' as 'Andrzej Buła (EPP, PL)': a surname printed in capitals, read as a name."""
    if "(" not in text:
        return text
    parts: list[str] = []
    done = 0
    for party in PARTY_AND_COUNTRY.finditer(text):
        parts.append(plain_surname(text[done : party.start()]))
        done = party.start()
    return "".join(parts) + text[done:]


def plain_surname(before: str) -> str:
    """The words with the surname that ends them out of capitals: 'Jane SMITH' -> 'Jane Smith'."""
    words = before.split(" ")
    start = len(words)
    while start > 1 and len(words) - start < CAPITAL_SURNAME_MAX_WORDS and _is_capital_word(words[start - 1]):
        start -= 1
    if start == len(words) or not is_name_word(words[start - 1]):
        return before
    return " ".join(words[:start] + [word.title() for word in words[start:]])


def _is_capital_word(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.replace("-", "").isalpha()


def names_in(text: str) -> list[str]:
    """The people named in running text, outside quote marks, in order: full names (two words or more, or a
    peer's), a titled surname ('Ms Hargreaves') and a first name with a pseudonym's star ('Andrew*')."""
    return [name for name, is_person in mentions_in(text) if is_person]


def mentions_in(text: str) -> list[tuple[str, bool]]:
    """(name, whether it is a person's) for each name in running text: people, and the places and companies
    ('São Paulo', 'Whole Foods Market') that a pronoun after them must not be taken to stand for."""
    found: list[tuple[str, bool]] = []
    text = ABBREVIATION_DOT.sub(r"\1", with_plain_surnames(_unquoted(text)))
    for clause in text.translate(CLAUSE_BREAKS).split("|"):
        words = clause.split()
        for end in range(1, len(words) + 1):
            if words[end - 1][:1].isupper() and (end == len(words) or not words[end][:1].isupper()):
                mention = _mention(words, end)
                if mention is None:
                    continue
                if found and mention[0].startswith(f"{found[-1][0]} of "):
                    found.pop()  # 'Lord Hanson', then 'Lord Hanson of Flint': one peer
                found.append(mention)
    return found


def _mention(words: list[str], end: int) -> tuple[str, bool] | None:
    """The name that the run of capitalised words ending at words[end - 1] holds, and whether it is a person's."""
    place = _place_ending_at(words, end)
    if place:
        return place, False
    span = trailing_name(words, _without_honours(words, end))
    if span is None:
        last = words[end - 1]
        return (last.rstrip("*"), True) if last.endswith("*") and is_name_word(last) else None
    if not (_name_word_count(words, span) >= 2 or span.titled):
        return None
    name = " ".join(words[span.start : span.end])
    return (without_courtesy_title(name), True) if is_person_name(name) else (name, False)


def _place_ending_at(words: list[str], end: int) -> str | None:
    """'Rio de Janeiro', 'Port St Lucie': the place a run of capitalised words (and particles) names, if any."""
    start = end - 1
    while start > max(0, end - PLACE_MAX_WORDS) and (
        words[start - 1][:1].isupper() or (is_particle(words[start - 1]) and start < end - 1)
    ):
        start -= 1
    for first in range(start, end - 1):
        if is_place(" ".join(words[first:end])):
            return " ".join(words[first:end])
    return None


def _without_honours(words: list[str], end: int) -> int:
    """Where a run of capitalised words ends once post-nominals are set aside: 'Zoë Ørsted-Łukasz OBE'."""
    while end > 1 and words[end - 1].strip(".") in HONOURS:
        end -= 1
    return end


def without_courtesy_title(name: str) -> str:
    """'Ms Tamsin McNally' -> 'Tamsin McNally'; a peer's or a doctor's title stays, and so does 'Ms McNally'."""
    words = name.split()
    start = 0
    while start < len(words) and words[start].casefold().rstrip(".") in DROPPED_TITLES:
        start += 1
    if start and len(name_words(" ".join(words[start:]))) >= 2:
        return " ".join(words[start:])
    return name


def _unquoted(text: str) -> str:
    """The text without what stands between double quote marks (spoken words name no speaker)."""
    return QUOTED.sub(" ", text) if "“" in text or '"' in text else text


def _may_extend_back(words: list[str], start: int, end: int) -> bool:
    word = words[start - 1]
    if is_name_word(word):
        return True
    if start < end and _is_particle_at(words, start - 1):
        return True
    # 'Theresa May', 'Anna Young', 'Ms Young': a common word as a surname, after a first name or a title.
    return (
        start == end
        and start >= 2
        and word.casefold() in SURNAME_WORDS
        and (is_name_word(words[start - 2]) or is_title(words[start - 2]))
    )


def _is_particle_at(words: list[str], index: int) -> bool:
    """'van der Berg', 'von der Leyen': 'der' and 'den' are particles after 'van' or 'von' only ('Liste der
    Künstler' is a German list of artists, not a name)."""
    word = words[index]
    if word in SECOND_PARTICLES:
        return index > 0 and words[index - 1].casefold() in ("van", "von", "op", "in", "vander")
    return is_particle(word)


def _skip_particles(words: list[str], start: int, end: int) -> int:
    while start < end and is_particle(words[start]):
        start += 1
    return start


def _title_start(words: list[str], start: int) -> int:
    """Back over every title before a name: 'The Rt Hon', 'Professor Sir'."""
    while start > 0 and is_title(words[start - 1]):
        start -= 1
    if start > 0 and words[start - 1] == "The" and words[start].casefold().rstrip(".") == "rt":
        start -= 1
    return start


def _bounded(words: list[str], span: NameSpan) -> NameSpan:
    """A run too long for a name keeps its last two name words: the rest is the role or body before it."""
    if _name_word_count(words, span) <= MAX_NAME_WORDS:
        return span
    start, kept = span.end, 0
    while start > span.start and kept < KEPT_OF_LONG_RUN:
        start -= 1
        kept += is_name_word(words[start])
    return NameSpan(start, span.end, False)


def _name_word_count(words: list[str], span: NameSpan) -> int:
    """The words of a name that are not titles or particles ('Theresa May' counts its surname)."""
    count = sum(1 for word in words[span.start : span.end] if is_name_word(word))
    last = words[span.end - 1] if span.end > span.start else ""
    return count + (span.end - span.start >= 2 and last.casefold() in SURNAME_WORDS and last[:1].isupper())

"""Who an attribution names: a person (name, role, honours), several people, a body, or no one named.

'IWF CEO, Susie Hargreaves, OBE', 'Technology Secretary Peter Kyle', 'Dr Ana Şahin, a lecturer in
criminology', 'Peter Kyle and Jess Phillips', 'A Home Office spokesperson', 'The report', 'an anonymous
child', 'She', 'Ms McNally', 'Chris'. Pronouns and short names are resolved to the person named earlier in
the text by `SpeakerMemory`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from iwfdb.keys import fold_accents
from iwfdb.parse import bodies
from iwfdb.parse.names import find_name, is_place, is_title, name_words, with_plain_surnames, without_courtesy_title
from iwfdb.parse.vocabulary import (
    COURTESY_TITLES,
    FEMALE_TITLES,
    HONOURS,
    KNOWN_BODIES,
    MALE_TITLES,
    PEER_TITLES,
    PRONOUNS,
    ROLE_WORDS,
)

# 'According to X', 'As X explained', and the same in the languages of European pages.
ACCORDING_TO = re.compile(r"^(?:According to|As|Selon|Laut|Según|Segundo|Secondo|Zdaniem)\s+", re.IGNORECASE)
# A party and country after a European Parliament member's name: 'Andrzej Buła (EPP, PL)'.
PARTY = re.compile(r"\s*\(([^()]{1,30},\s*[A-Z]{2})\)")
FOOTNOTE = re.compile(r"\[\d{1,3}\]|\*+(?=\s|,|$)")
GLUED_COMMA = re.compile(r",(?=\S)")
DROPPED_CLAUSE = re.compile(
    r"^(?:who|which|whose|speaking|commenting|responding|when|while|adding|writing|having|also|said|"
    r"in (?:a|an|her|his|their|its|the) (?:statement|interview|speech|letter|blog|post|video|message))\b",
    re.IGNORECASE,
)
PHRASE_JOINERS = frozenset({"and", "of", "for", "the", "&"})
GROUP_JOINER = re.compile(r",?\s+(?:and|&)\s+")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str | None
    kind: str  # person, organisation, group or unknown
    role: str | None = None
    honours: str | None = None


UNKNOWN = Speaker(None, "unknown")


def read_speaker(who: str) -> Speaker:
    """The speaker an attribution's subject names, before pronouns and short names are resolved."""
    who, honours = _take_honours(_cleaned(who))
    spoken_for = bodies.spokesperson(who)
    if spoken_for:
        body, role = spoken_for
        return Speaker(body, "organisation", role) if body else Speaker(None, "unknown", role)
    if bodies.body_name(who).casefold() in KNOWN_BODIES:
        return Speaker(bodies.body_name(who), "organisation")
    if GROUP_JOINER.search(who):
        group = _read_group_of_people(who, honours)
        if group:
            return group
    return _read_person(who, honours) or _read_non_person(who)


def _cleaned(who: str) -> str:
    who = PARTY.sub(r", \1,", with_plain_surnames(who)) if "(" in who else who
    who = GLUED_COMMA.sub(", ", FOOTNOTE.sub("", who))
    return ACCORDING_TO.sub("", who.strip().strip(",").strip())


def _take_honours(who: str) -> tuple[str, str | None]:
    found: list[str] = []
    kept: list[str] = []
    for token in re.split(r"(\s+|,)", who):
        if token.strip(".") in HONOURS:
            found.append(token.strip("."))
        else:
            kept.append(token)
    text = re.sub(r"(\s*,\s*)+", ", ", "".join(kept)).strip(" ,")
    return text, (" ".join(found) or None)


def _read_person(who: str, honours: str | None) -> Speaker | None:
    """The first comma-separated part that holds a name; the others (and the words around it) are the role."""
    parts = [part.strip() for part in who.split(",")]
    parts = [part for part in parts if part and not DROPPED_CLAUSE.match(part)]
    for index, part in enumerate(parts):
        found = find_name(part)
        if found:
            before, name, after = found
            role = _role(parts[:index] + [before, after] + parts[index + 1 :])
            return Speaker(without_courtesy_title(name), "person", role, honours)
    return None


def _role(parts: list[str]) -> str | None:
    """The parts that read as a role or a body ('Secretary of State for Science, Innovation and Technology'),
    without asides such as an age or 'at the launch'."""
    roles = [part for part in parts if part and (_is_role(part) or _is_proper_phrase(part))]
    return ", ".join(roles) or None


def _is_role(text: str) -> bool:
    words = text.replace("’s", "").replace("'s", "").split()
    return (
        any(word.casefold() in ROLE_WORDS or (word.isupper() and len(word) > 1) for word in words)
        or " of " in text
        or (text.startswith(("from ", "at ", "of ")) and any(word[:1].isupper() for word in words))
    )


def _is_proper_phrase(text: str) -> bool:
    """'Innovation and Technology', 'Childnet': capitalised words and their connectors only."""
    words = text.split()
    return words[0][:1].isupper() and all(word[:1].isupper() or word in PHRASE_JOINERS for word in words)


def _read_group_of_people(who: str, honours: str | None) -> Speaker | None:
    """'Minister A and Secretary B': several named people, when every side of 'and' names one. An 'and'
    inside a role ('NCMEC President and CEO Michelle DeLaune') joins the pieces it splits."""
    members: list[Speaker] = []
    pending = ""  # pieces that name no one yet
    for piece in GROUP_JOINER.split(who):
        pending = f"{pending} and {piece}" if pending else piece
        member = _read_person(*_take_honours(_cleaned(pending)))
        if member is not None:
            members.append(member)
            pending = ""
    if pending or len(members) < 2:
        return None
    roles = [member.role for member in members if member.role]
    return Speaker(" and ".join(m.name for m in members if m.name), "group", "; ".join(roles) or None, honours)


def _read_non_person(who: str) -> Speaker:
    """A body ('the European Commission'), or no one named: a document, an anonymous person, a bare role."""
    if not who or who.casefold() in PRONOUNS or bodies.is_document(who) or bodies.is_unnamed(who):
        return UNKNOWN
    if all(is_title(word) for word in who.split()) or is_place(bodies.bare(who)):
        return UNKNOWN  # 'Dr' alone, a city: no one the archive could name
    if bodies.is_role_only(who):
        return Speaker(None, "unknown", who)
    return Speaker(bodies.body_name(who), "organisation") if bodies.is_body(bodies.bare(who)) else UNKNOWN


def is_short_name(name: str) -> bool:
    """'Chris', 'Ms McNally', 'Dr Şahin': a name to resolve against the person named before ('Baroness
    Jones' is a peer's full name)."""
    words = name.split()
    if words and words[0].casefold().rstrip(".") in PEER_TITLES:
        return False
    return len(name_words(name)) == 1


def same_person_word(word: str, other: str) -> bool:
    """'Lukasz' is 'Łukasz': a short name matches a full one however accented."""
    return fold_accents(word).casefold() == fold_accents(other).casefold()


LOOK_BACK_PEOPLE = 40
# The names a paragraph holds, each with whether it is a person's (see iwfdb.parse.names.mentions_in).
Mentions = list[tuple[str, bool]]


class SpeakerMemory:
    """The people named so far in a statement, for 'She said:', 'They said:' and 'Ms Hargreaves said:'.

    A wrong speaker costs more trust than a missing one: when two people could be meant (two people named
    in the paragraph a pronoun looks back to, two people of the same surname), the speaker stays unknown
    and the reader is told why."""

    def __init__(self) -> None:
        self.people: list[str] = []
        self.last_speaker: Speaker | None = None

    def remember(self, speaker: Speaker) -> None:
        if speaker.kind == "person" and speaker.name and not is_short_name(speaker.name):
            self.people.append(speaker.name)
        if speaker.name:
            self.last_speaker = speaker

    def resolve_pronoun(
        self, pronoun: str, named_before: Iterable[Mentions], continuing: bool = False
    ) -> tuple[Speaker | None, str | None]:
        """(the person, for 'they' the people, the pronoun stands for, or None; why it is unknown, or None).

        The pronoun stands for the person last named outside quotes: `named_before` gives the names of each
        paragraph before the pronoun's (and whether each is a person's), nearest first. A place or a company
        named there instead is no one a pronoun may stand for. 'She added' (`continuing`) also stands for the
        last speaker: when someone else was named since, the speaker is unknown."""
        if pronoun.casefold() == "they":
            nearest = _people(next(iter(named_before), []))
            if len(nearest) >= 2:
                return Speaker(" and ".join(nearest), "group"), None
            return self.last_speaker, None
        for named in named_before:
            people = _distinct(name for name in _people(named) if _may_be(pronoun, name))
            if not people:
                if named:
                    return None, f"'{pronoun}' follows {named[-1][0]}, which is no person: speaker unknown"
                continue
            last = self.last_speaker
            if continuing and last and last.kind == "person" and last.name and not _same_person(people[0], last.name):
                people.append(last.name)
            if len(people) > 1:
                return None, f"'{pronoun}' may stand for {' or '.join(people[:2])}: speaker unknown"
            return Speaker(people[0], "person"), None
        return (Speaker(self.people[-1], "person") if self.people else None), None

    def resolve_short(self, name: str, named_before: Iterable[Mentions]) -> tuple[str | None, str | None]:
        """('Ms McNally' or 'Chris' as the full name of the person it stands for, when the text gave one, or
        None when it gave two, or named only a place or company with that word ('Port St. Lucie'); why it
        is unknown, or None)."""
        word = name_words(name)[-1]
        title = _distinctive_title(name)
        matching: list[str] = []
        titled: list[str] = []  # those printed with the short name's own title: 'Dr O'Brien' is 'Dr Grace O'Brien'
        for full, is_person in self._candidates(named_before):
            words = name_words(full)
            if len(words) > 1 and any(same_person_word(word, each) for each in (words[0], words[-1])):
                if not is_person:
                    return None, f"'{name}' is named only in {full}, which is no person: speaker unknown"
                matching = _distinct([*matching, full])
                if title and _distinctive_title(full) == title:
                    titled = _distinct([*titled, full])
                if len(matching) > 1 and (not title or len(titled) > 1):
                    break
        if len(matching) > 1 and len(titled) == 1:
            return titled[0], None
        if len(matching) > 1:
            return None, f"'{name}' may be {' or '.join(matching[:2])}: speaker unknown"
        return (matching[0] if matching else name), None

    def _candidates(self, named_before: Iterable[Mentions]) -> Iterable[tuple[str, bool]]:
        """Names nearest first, each with whether it is a person's: those of the paragraphs just before,
        then the speakers remembered."""
        for named in named_before:
            yield from reversed(named)
        for person in reversed(self.people[-LOOK_BACK_PEOPLE:]):
            yield person, True


def _distinctive_title(name: str) -> str | None:
    """'Dr', 'Dame', 'Professor': a title that tells two people of one surname apart; 'Ms' and 'Mr' do not."""
    first = name.split(maxsplit=1)[0].casefold().rstrip(".") if name.strip() else ""
    return first if is_title(first) and first not in COURTESY_TITLES else None


def _people(named: Mentions) -> list[str]:
    return [name for name, is_person in named if is_person]


def _may_be(pronoun: str, name: str) -> bool:
    """Whether 'she' or 'he' may stand for this name: not when its title says otherwise ('he' is no Dame)."""
    title = name.split()[0].casefold().rstrip(".")
    return title not in (MALE_TITLES if pronoun.casefold() == "she" else FEMALE_TITLES)


def _same_person(name: str, other: str) -> bool:
    """'Ms Hargreaves' and 'Susie Hargreaves', 'Andrew' and 'Andrew Smith': one person, as far as the text says."""
    words, others = name_words(name), name_words(other)
    if not words or not others:
        return False
    if len(words) == 1 or len(others) == 1:
        short, full = (words, others) if len(words) == 1 else (others, words)
        return any(same_person_word(short[0], word) for word in (full[0], full[-1]))
    return same_person_word(words[0], others[0]) and same_person_word(words[-1], others[-1])


def _distinct(names: Iterable[str]) -> list[str]:
    """The first two people, in order, each once: 'Ms Hargreaves' after 'Susie Hargreaves' is the same person.
    Two are enough to know that a name is ambiguous; looking for more would cost quadratic time."""
    kept: list[str] = []
    for name in names:
        if not any(_same_person(name, other) for other in kept):
            kept.append(name)
            if len(kept) == 2:
                break
    return kept

"""Who an attribution names: the person (name, role, honours), a group, or an unnamed source.

'IWF CEO, Susie Hargreaves, OBE', 'Safeguarding Minister Jess Phillips', 'Susie Hargreaves, who ..., ',
'She', 'Ms McNally', 'Chris', 'The report', 'the European Commission', 'an anonymous child'. Pronouns and
short names are resolved to the person named earlier in the text by `SpeakerMemory`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iwfdb.keys import HONOURS

TITLES = frozenset(
    "ms mr mrs miss mx dr prof professor sir dame lord lady baroness baron rev reverend cllr".split()
)
ROLE_WORDS = frozenset(
    """ceo chief executive director head minister secretary chair chairman chairwoman chairperson president
    officer manager analyst commissioner founder spokesperson spokesman spokeswoman lead deputy interim senior
    general policy technology member adviser advisor coordinator partner inspector superintendent constable
    detective editor ambassador envoy leader safeguarding home technical communications relations external
    development hotline online safety digital cto coo cfo vice principal campaigner researcher expert
    mayor governor founder co-founder trustee patron board programme project team engineer""".split()
)
ORG_WORDS = frozenset(
    """foundation centre center international commission government department agency council police service
    office university group association network industry internet watch society trust charity ministry
    committee parliament company ltd limited inc report survey study research fund union bank""".split()
)
# Words that open a sentence, not a name: 'The Internet...', 'In March...'.
NOT_FIRST_NAMES = frozenset(
    """the this that these those in on at for from with our we it its today yesterday last next new
    after before when while during online internet uk us eu child children images she he they we i""".split()
)
PRONOUNS = frozenset({"she", "he", "they"})
UNNAMED = re.compile(r"^(?:a|an|one|two|three|another|some|several|many)\s", re.IGNORECASE)
DROPPED_CLAUSE = re.compile(
    r"^(?:who|which|whose|speaking|commenting|responding|when|while|adding|writing|having|also)\b", re.IGNORECASE
)
NAME_WORD = re.compile(r"[A-Z][\w'’-]*[a-z][\w'’-]*")
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")
QUOTED = re.compile(r"[“\"‘][^“”\"‘’]*[”\"’]")
COURTESY_TITLES = frozenset("ms mr mrs miss mx".split())


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str | None
    kind: str  # person, group or unknown
    role: str | None = None
    honours: str | None = None


def read_speaker(who: str) -> Speaker:
    """The speaker an attribution's subject names, before pronouns and short names are resolved."""
    who = re.sub(r"^According to\s+", "", who.strip().strip(","), flags=re.IGNORECASE)
    who, honours = _take_honours(who)
    group = _read_group_of_people(who, honours) if " and " in who else None
    if group:
        return group
    parts = [part.strip() for part in who.split(",") if part.strip() and not DROPPED_CLAUSE.match(part.strip())]
    for index, part in enumerate(parts):
        if _is_name(part):
            name = without_courtesy_title(part)
            return Speaker(name, "person", _role(parts[:index] + parts[index + 1 :]), honours)
    for index, part in enumerate(parts):
        prefix, name = _split_role_and_name(part)
        if name:
            return Speaker(name, "person", _role(parts[:index] + [prefix] + parts[index + 1 :]), honours)
    return _read_non_person(who)


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


def _is_name(part: str) -> bool:
    words = part.split()
    if words and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return 1 <= len(words) <= 4 and all(NAME_WORD.fullmatch(w) and w.lower() not in ROLE_WORDS for w in words) and (
        words[0].lower() not in NOT_FIRST_NAMES and not any(w.lower() in ORG_WORDS for w in words)
    )


def _split_role_and_name(part: str) -> tuple[str, str | None]:
    """'IWF CEO Susie Hargreaves' -> ('IWF CEO', 'Susie Hargreaves'): the name is the trailing run of names."""
    words = part.split()
    start = len(words)
    while start > 0 and NAME_WORD.fullmatch(words[start - 1]) and words[start - 1].lower() not in ROLE_WORDS:
        start -= 1
    if start > 0 and words[start - 1].lower().rstrip(".") in TITLES:
        start -= 1
    name = " ".join(words[start:])
    if start == len(words) or start == 0 or not _is_name(name):
        return part, None
    return " ".join(words[:start]), name


def _role(parts: list[str]) -> str | None:
    roles = [part for part in parts if part and _is_role(part)]
    return ", ".join(roles) or None


def _is_role(text: str) -> bool:
    words = text.replace("’s", "").replace("'s", "").split()
    return any(w.lower() in ROLE_WORDS or (w.isupper() and len(w) > 1) for w in words) or " of " in text


def _read_group_of_people(who: str, honours: str | None) -> Speaker | None:
    """'Minister A and Secretary B': a group of named people, when every side of 'and' names one."""
    members = [read_speaker(member) for member in re.split(r",?\s+and\s+", who)]
    if any(member.kind != "person" for member in members):
        return None
    roles = [member.role for member in members if member.role]
    return Speaker(" and ".join(m.name for m in members), "group", "; ".join(roles) or None, honours)


def _read_non_person(who: str) -> Speaker:
    if not who or UNNAMED.match(who) or who.lower() in PRONOUNS:
        return Speaker(None, "unknown")
    return Speaker(who[0].upper() + who[1:], "group")


def is_short_name(name: str) -> bool:
    """'Chris', 'Ms McNally', 'Baroness Jones': a name to resolve against the person named before."""
    words = name.split()
    return len(words) == 1 or (len(words) == 2 and words[0].lower().rstrip(".") in TITLES)


LOOK_BACK_PEOPLE = 40


class SpeakerMemory:
    """The people named so far in a statement, for 'She said:', 'They said:' and 'Ms Hargreaves said:'."""

    def __init__(self) -> None:
        self.people: list[str] = []
        self.last_speaker: str | None = None

    def remember(self, speaker: Speaker) -> None:
        if speaker.kind == "person" and speaker.name and not is_short_name(speaker.name):
            self.people.append(speaker.name)
        if speaker.name:
            self.last_speaker = speaker.name

    def resolve_pronoun(self, pronoun: str, before: list[str]) -> str | None:
        """The person (or, for 'they', the people) most recently named outside quotes before the pronoun."""
        if pronoun.lower() == "they":
            named = names_in(before[-1]) if before else []
            return " and ".join(named) if len(named) >= 2 else self.last_speaker
        for text in reversed(before):
            named = names_in(text)
            if named:
                return named[-1]
        return self.people[-1] if self.people else None

    def resolve_short(self, name: str, before: list[str]) -> str:
        """'Ms McNally' or 'Chris' as the full name of the person it stands for, when the text gave one."""
        word = name.split()[-1]
        candidates = self.people[-LOOK_BACK_PEOPLE:] + [full for text in before for full in names_in(text)]
        for full in reversed(candidates):
            parts = full.split()
            if len(parts) > 1 and word in (parts[0], parts[-1]):
                return full
        return name


def names_in(text: str) -> list[str]:
    """Full names of people in a text, outside quoted words: 'Technology Secretary Peter Kyle' -> 'Peter Kyle'."""
    unquoted = QUOTED.sub(" ", text)
    found = []
    for run in CAPITALISED_RUN.findall(unquoted):
        name = run if _is_name(run) else _split_role_and_name(run)[1]
        if name and len(name.split()) >= 2:
            found.append(without_courtesy_title(name))
    return found


def without_courtesy_title(name: str) -> str:
    """'Ms Tamsin McNally' -> 'Tamsin McNally'; a peer's or a doctor's title stays, and so does 'Ms McNally'."""
    words = name.split()
    if len(words) >= 3 and words[0].lower().rstrip(".") in COURTESY_TITLES:
        return " ".join(words[1:])
    return name

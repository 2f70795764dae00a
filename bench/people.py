"""Who speaks in the synthetic corpus, how statements print them, and who each quote truly is.

Every quote block comes with its ground truth: the speaker as iwfdb should name them (for a person, the
name with its titles: 'Dr Ana Şahin', 'Baroness Jones'; for a body, its name: 'Home Office'; None for a
document or an anonymous source) and the kind (`person`, `organisation`, `group`, `unknown`). The forms
are those of FORMAT.md and issue 9: accented capitals, particles, apostrophes, hyphens and inner capitals;
roles printed before the name with and without a comma; titles, peerages, ranks and post-nominals;
name and role in one paragraph with the quote; pronouns and short names; spokespeople and offices;
documents, anonymous sources and two people at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Truth = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker: `name` as iwfdb should name them, `short` as a later attribution may call them."""

    name: str
    role: str
    honours: str | None
    pronoun: str
    short: str


KNOWN_PEOPLE = (
    Person("Susie Hargreaves", "IWF CEO", "OBE", "She", "Ms Hargreaves"),
    Person("Derek Ray-Hill", "Interim CEO at the IWF", None, "He", "Mr Ray-Hill"),
    Person("Dan Sexton", "Chief Technology Officer", None, "He", "Dan"),
    Person("Chris Hughes", "Hotline Director", None, "He", "Chris"),
    Person("Tamsin McNally", "Hotline Manager", None, "She", "Ms McNally"),
    Person("Jess Phillips", "Safeguarding minister", "MP", "She", "Ms Phillips"),
    Person("Emma Hardy", "Director of Communications", None, "She", "Emma"),
    Person("Baroness Jones", "Minister for the Future Digital Economy and Online Safety", None, "She", "Baroness Jones"),
    Person("Lord Hanson", "Home Office Minister", None, "He", "Lord Hanson"),
    Person("Peter Kyle", "Technology Secretary", "MP", "He", "Mr Kyle"),
    Person("Michelle DeLaune", "NCMEC President and CEO", None, "She", "Ms DeLaune"),
    Person("Catherine De Bolle", "Europol’s Executive Director", None, "She", "Ms De Bolle"),
    Person("Dame Melanie Dawes", "Ofcom’s Chief Executive", None, "She", "Dame Melanie"),
    Person("Émilie Dubois", "Head of Policy at INHOPE", None, "She", "Ms Dubois"),
    Person("Zoë Ørsted-Łukasz", "Head of Research", "OBE", "She", "Ms Ørsted-Łukasz"),
    Person("Siobhán O’Connor", "Head of Research at the IWF", None, "She", "Ms O’Connor"),
    Person("Professor Sonia Livingstone", "Director of the Digital Futures Centre", "OBE", "She", "Professor Livingstone"),
    Person("Andy Marsh", "Chief Constable", "QPM", "He", "Mr Marsh"),
    Person("Sir Peter Wanless", "Chief Executive of the NSPCC", None, "He", "Sir Peter"),
    Person("Jean-Luc de la Fontaine", "Director at INHOPE", None, "He", "Mr de la Fontaine"),
    Person("Ruud van der Berg", "Senior Analyst", None, "He", "Mr van der Berg"),
)
FIRST_NAMES = (
    ("Anna", "She"), ("Ben", "He"), ("Clare", "She"), ("David", "He"), ("Ellie", "She"), ("Femi", "He"),
    ("Grace", "She"), ("Hamid", "He"), ("Isla", "She"), ("James", "He"), ("Kate", "She"), ("Liam", "He"),
    ("Maya", "She"), ("Nadia", "She"), ("Owen", "He"), ("Priya", "She"), ("Rory", "He"), ("Sara", "She"),
    ("Tom", "He"), ("Uma", "She"), ("Victor", "He"), ("Wendy", "She"), ("Yusuf", "He"), ("Zoe", "She"),
    ("Émilie", "She"), ("Łucja", "She"), ("Şebnem", "She"), ("Øystein", "He"), ("Óscar", "He"), ("Zoë", "She"),
    ("Siobhán", "She"), ("Ciarán", "He"), ("Ángel", "They"), ("Jean-Luc", "He"), ("Sam", "They"),
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baker", "Chen", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
    "Morgan", "Nolan", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walsh", "Young",
    "Dubois", "Łukasz", "Yıldız", "Núñez", "Ødegaard", "Ørsted-Łukasz", "O’Connor", "McNally", "DeLaune",
    "de la Fontaine", "van der Berg", "von Bauer", "bin Rahman", "Ray-Hill", "MacLeod", "Şahin",
)  # fmt: skip
ROLES = (
    "Policy Manager", "Head of Research", "Chief Executive of the Internet Watch Foundation",
    "Director of Technology", "Senior Analyst", "CEO of the IWF", "Online Safety Minister", "Chair of the Board",
    "Head of Partnerships", "Detective Chief Inspector", "Head of Policy at Barnardo’s",
    "Minister for Safeguarding and Violence Against Women and Girls", "Director of Policy and Public Affairs",
    "Europol’s Head of Cybercrime", "NSPCC Head of Child Safety Online Policy", "Ofcom’s Online Safety Director",
    "Children’s Commissioner for England", "Hotline Manager", "Head of Trust and Safety at Snap",
)  # fmt: skip
# Roles printed after a comma only: a clause, not a title.
DESCRIPTIONS = ("a lecturer in criminology", "a researcher at the University of Kent", "an analyst at the IWF",
                "from INHOPE", "of the London School of Economics", "who leads the hotline team")  # fmt: skip
HONOURS = (None, None, None, None, "OBE", "MBE", "CBE", "MP", "QPM")
BODIES = (  # (attribution, the body iwfdb should name)
    ("A Home Office spokesperson said:", "Home Office"),
    ("A spokesperson for the National Crime Agency said:", "National Crime Agency"),
    ("The IWF’s press office said:", "IWF"),
    ("An Ofcom spokesperson said:", "Ofcom"),
    ("A spokeswoman for Europol said:", "Europol"),
    ("A spokesperson for the Department for Science, Innovation and Technology said:",
     "Department for Science, Innovation and Technology"),
    ("According to the European Commission:", "European Commission"),
    ("A Meta spokesperson said:", "Meta"),
)  # fmt: skip
NO_ONE = ("The report reads:", "The IWF’s annual report reads:", "A 15-year-old girl told the IWF:",
          "One survivor said:", "A spokesperson said:")  # fmt: skip


def random_person(rng: random.Random) -> Person:
    """A known person (a bit under half the time) or one made of a first name, a surname, maybe a title."""
    if rng.random() < 0.4:
        return rng.choice(KNOWN_PEOPLE)
    first, pronoun = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    surname = last.split()[-1]
    title = _title(rng, pronoun)
    name = f"{title} {first} {last}" if title else f"{first} {last}"
    if title in ("Sir", "Dame"):
        short = f"{title} {first}"
    elif title:
        short = f"{title} {surname}"
    else:
        short = rng.choice((first, {"She": "Ms", "He": "Mr"}.get(pronoun, "Mx") + f" {surname}"))
    return Person(name, rng.choice(ROLES), rng.choice(HONOURS), pronoun, short)


def _title(rng: random.Random, pronoun: str) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return "Dr"
    if roll < 0.12:
        return "Professor"
    if roll < 0.15 and pronoun != "They":
        return "Dame" if pronoun == "She" else "Sir"
    return None


def person_block(rng: random.Random, who: Person, quote: str, verb: str) -> list[str]:
    """One quote by `who`, in one of the printed forms: attribution line, inline, quote first."""
    comma_honours = f", {who.honours}" if who.honours else ""
    honours = f" {who.honours}" if who.honours else ""
    form = rng.randrange(7)
    if form == 0:
        return [f"{who.role}, {who.name}{comma_honours} said:", quote]
    if form == 1:
        return [f"{who.role} {who.name}{honours} said:", quote]
    if form == 2:
        return [f"{who.name}{comma_honours}, {who.role}, {verb}: {quote}"]
    if form == 3:
        return [f"{who.role} {who.name} {verb}: {quote}"]
    if form == 4:  # a known person is described by their own role
        described = who.role if who in KNOWN_PEOPLE else rng.choice(DESCRIPTIONS)
        return [f"{who.name}, {described}, said: {quote}"]
    if form == 5:
        return [f"{who.role} {who.name}{comma_honours}, said: {quote}"]
    opening, words, closing = quote[0], quote[1:-1].rstrip(".!?"), quote[-1]
    return [f"{opening}{words},{closing} said {who.name}, {who.role}."]


def follow_up_block(previous: Person, quote: str, verb: str, rng: random.Random) -> list[str]:
    """A second quote by the person just quoted: 'She added:' or 'Ms McNally added:'."""
    who = previous.pronoun if rng.random() < 0.6 else previous.short
    return [f"{who} {verb}: {quote}"]


def group_block(rng: random.Random, quote: str) -> tuple[list[str], Truth]:
    one, two = random_person(rng), random_person(rng)
    if one.name == two.name:
        two = KNOWN_PEOPLE[0] if one != KNOWN_PEOPLE[0] else KNOWN_PEOPLE[1]
    return [f"{one.role} {one.name} and {two.role} {two.name} said: {quote}"], truth(
        f"{one.name} and {two.name}", "group"
    )


def body_block(rng: random.Random, quote: str) -> tuple[list[str], Truth]:
    attribution, body = rng.choice(BODIES)
    return [f"{attribution} {quote}"], truth(body, "organisation")


def no_one_block(rng: random.Random, quote: str) -> tuple[list[str], Truth]:
    return [f"{rng.choice(NO_ONE)} {quote}"], truth(None, "unknown")


def truth(speaker: str | None, kind: str) -> Truth:
    return {"speaker": speaker, "kind": kind}

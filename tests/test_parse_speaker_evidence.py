"""Speakers decided on evidence (issue 18): never wrong, rarely missing.

Each case asserts the exact speakers and the exact people a statement yields: a wrong speaker fails where
an unknown one passes, and a city, a company, a title alone or a fragment of a body's name never becomes a
person. The golden fixtures tests/fixtures/valid/speakers_*.txt hold the same classes in whole pages.
"""

from __future__ import annotations

import pytest

from iwfdb.parse import parse_text
from iwfdb.parse.names import names_in

HEAD = "A title for the page\n\nPublished: Tue 18 Jul 2023\n\n"


def speakers(body: str) -> list[tuple[str | None, str]]:
    statement = parse_text(HEAD + body, publisher="Example News")
    return [(quote.speaker, quote.speaker_kind) for quote in statement.quotes]


def people(body: str) -> list[str]:
    """The people rows a statement gives: its speakers and contacts of kind person."""
    statement = parse_text(HEAD + body, publisher="Example News")
    found = [quote.speaker for quote in statement.quotes if quote.speaker_kind == "person"]
    return found + [contact.name for contact in statement.contacts if contact.kind == "person"]


def warned(body: str, words: str) -> bool:
    statement = parse_text(HEAD + body, publisher="Example News")
    return any(words in warning.message for warning in statement.warnings)


# (body, exact speakers in order): a pronoun or a short name stands for a person or for no one.
NEVER_WRONG = {
    "pronoun after a company": (
        "Jane Porter bought the tablet.\n\nWhole Foods Market announced a refund.\n\nHe said: “We are sorry.”",
        [(None, "unknown")],
    ),
    "pronoun after a city": (
        "Emma Reid runs the charity.\n\nMost were sold in São Paulo and in Rio de Janeiro.\n\nShe said: “Stop it.”",
        [(None, "unknown")],
    ),
    "she added, another woman named since": (
        "Sarah Carter said: “Nobody warned us.”\n\nHer daughter Emily Carter was 15.\n\nShe added: “Talk to them.”",
        [("Sarah Carter", "person"), (None, "unknown")],
    ),
    "she added, right after her own quote": (
        "Sarah Carter said: “Nobody warned us.”\n\nShe added: “Talk to them.”",
        [("Sarah Carter", "person"), ("Sarah Carter", "person")],
    ),
    "she, two women in the paragraph before": (
        "Detective Inspector Helen Ward and Dr Maria Lopez met the family.\n\nShe said: “Shame is their tool.”",
        [(None, "unknown")],
    ),
    "he is no Dame": (
        "Dame Rachel de Souza met Mr Ahmed.\n\nHe said: “We met the children.”",
        [("Mr Ahmed", "person")],
    ),
    "same surname, father and son": (
        "Omar Mateen Jr was convicted. His father, Seddique Mateen, spoke outside.\n\nMateen said: “I did not know.”",
        [(None, "unknown")],
    ),
    "a first name that is only a place's": (
        "Officers in Port St. Lucie said four children were contacted.\n\nLucie said: “Check the devices.”",
        [(None, "unknown")],
    ),
    "a short name in prose is the subject": (
        "Technology Secretary Peter Kyle visited the hotline in March.\n\n"
        "Ms Hargreaves explained how the hotline works.\n\nShe said: “This is a landmark.”",
        [("Ms Hargreaves", "person")],
    ),
    "a short name in prose, the full name given earlier": (
        "Susie Hargreaves OBE leads the charity. Peter Kyle visited in March.\n\n"
        "Ms Hargreaves explained how the hotline works.\n\nShe said: “This is a landmark.”",
        [("Susie Hargreaves", "person")],
    ),
    "a pseudonym with its star": (
        "IWF Crypto Unit Analyst Andrew* is part of a team at the Criminal Investigation Department.\n\n"
        "He said: “We see this every day.”",
        [("Andrew", "person")],
    ),
    "the statement continued, after they said": (
        "Safeguarding Minister Jess Phillips and Technology Secretary Peter Kyle issued a joint statement.\n\n"
        "They said: “We will not stand by.”\n\nThe statement continued: “Tech companies must act.”",
        [("Jess Phillips and Peter Kyle", "group"), ("Jess Phillips and Peter Kyle", "group")],
    ),
    "a report continued, with no quote before": (
        "The report continued: “Most images showed girls.”",
        [(None, "unknown")],
    ),
    "the police of a city are no person": (
        "“The scheme targeted teenagers,” police in Port St. Lucie said.",
        [(None, "unknown")],
    ),
    "a city said": (
        "“We will host the summit,” São Paulo said.",
        [(None, "unknown")],
    ),
}


@pytest.mark.parametrize("body, expected", NEVER_WRONG.values(), ids=NEVER_WRONG.keys())
def test_a_speaker_is_right_or_unknown(body: str, expected: list) -> None:
    assert speakers(body) == expected


# (body, exact speakers): forms of other sites and languages that name their speaker plainly.
READ = {
    "surname in capitals, group and country": (
        "Andrzej BUŁA (EPP, PL), co-rapporteur for the Committee on Regional Development, said: “A good day.”",
        [("Andrzej Buła", "person")],
    ),
    "two surnames in capitals": (
        "Juan Fernando LÓPEZ AGUILAR (S&D, ES) said: “Talks can start.”",
        [("Juan Fernando López Aguilar", "person")],
    ),
    "verb first, a title with a full stop": (
        "“We see more cases every month,” explains Dr. Shadlen, a psychiatrist at the clinic.",
        [("Dr. Shadlen", "person")],
    ),
    "verb first, a courtesy title": ("“Children must be protected,” said Ms Jones.", [("Ms Jones", "person")]),
    "as two authors explained": (
        "As Van der Maaten and Hinton explained: “Similar points sit close together.”",
        [("Van der Maaten and Hinton", "group")],
    ),
    "as one person explained": (
        "As Professor Sonia Livingstone explained: “Children want safety.”",
        [("Professor Sonia Livingstone", "person")],
    ),
    "German marks": ("Die Kinderschutzbeauftragte Kerstin Claus sagte: „Wir müssen handeln.“",
                     [("Kerstin Claus", "person")]),  # fmt: skip
    "German marks, quote first": ("„Das ist ein wichtiger Schritt“, sagte Anna Müller.", [("Anna Müller", "person")]),
    "German single marks": ("‚Wir handeln jetzt‘, sagte Jonas Weber.", [("Jonas Weber", "person")]),
    "French guillemets, quote first": (
        "«Il faut protéger les enfants», a déclaré Marie Lefèvre, présidente de l’association.",
        [("Marie Lefèvre", "person")],
    ),
    "French guillemets, according to": ("Selon Laure Dupont, «nous devons agir vite».", [("Laure Dupont", "person")]),
    "a quote the end of the text cuts off": (
        "Kerry Smith, Chief Executive of the IWF, said: “At a time where childr",
        [("Kerry Smith", "person")],
    ),
}


@pytest.mark.parametrize("body, expected", READ.values(), ids=READ.keys())
def test_a_plainly_named_speaker_is_read(body: str, expected: list) -> None:
    assert speakers(body) == expected


def test_a_speaker_left_unknown_is_told_why() -> None:
    assert warned(NEVER_WRONG["same surname, father and son"][0], "may be Seddique Mateen or Omar Mateen Jr")
    assert warned(NEVER_WRONG["pronoun after a company"][0], "Whole Foods Market, which is no person")
    assert warned(NEVER_WRONG["she added, another woman named since"][0], "may stand for Emily Carter or Sarah")


def test_places_companies_titles_and_fragments_are_no_people() -> None:
    body = (
        "Whole Foods Market and São Paulo city council signed the pledge.\n\n"
        "“It matters,” explains Dr. Shadlen.\n\n"
        "“We are ready,” said a spokesperson for the West Mercia police.\n\n"
        "Chief inspector Jennifer Mattinson from the West Mercia police said: “We act on every report.”"
    )
    assert people(body) == ["Dr. Shadlen", "Jennifer Mattinson"]


@pytest.mark.parametrize(
    "body",
    [
        "„Wir sind dabei“, heißt es in der Liste der Künstler.\n\n„Kinder schützen“, sagte die Stiftung.",
        "Die Liste der Künstler, die „Wir sind mehr“ unterschrieben haben, ist lang.",
        "Laut der Liste der Künstler, „Wir sind mehr“ sagen alle.",
    ],
)
def test_german_quotes_give_no_person_made_of_nouns(body: str) -> None:
    assert people(body) == []


def test_der_and_den_are_particles_after_van_and_von() -> None:
    body = "Ursula von der Leyen said: “Yes.”\n\nAnna van den Bosch said: “No.”"
    assert people(body) == ["Ursula von der Leyen", "Anna van den Bosch"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officers in Port St. Lucie said so.", []),
        ("Whole Foods Market announced it.", []),
        ("The summit in São Paulo and in New York ended.", []),
        ("Ms Hargreaves explained it, and Andrew* agreed.", ["Ms Hargreaves", "Andrew"]),
        ("Andrzej BUŁA (EPP, PL) spoke first.", ["Andrzej Buła"]),
    ],
)
def test_names_in_prose_are_people_only(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He works with the Criminal Investigation team.", []),
        ("Contact Data and Online Safety staff met.", []),
        ("Theresa May and Anna Young met the analysts.", ["Theresa May", "Anna Young"]),
    ],
)
def test_topic_words_are_no_surnames_but_real_surnames_are(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


def test_he_after_a_fragment_of_a_body_is_not_that_fragment() -> None:
    body = (
        "Tom Reid leads the unit.\n\nThe case went to the Criminal Investigation\n\n"
        "IWF Crypto Unit Analyst Andrew* is part of the team.\n\nHe said: “We see it every day.”"
    )
    assert speakers(body) == [("Andrew", "person")]
    assert people(body) == ["Andrew"]


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u2011", "\u2013"])
def test_a_double_barrelled_name_keeps_its_hyphen_as_typed(hyphen: str) -> None:
    assert people(f"Zoë Hardy{hyphen}Smith said: “Yes.”") == [f"Zoë Hardy{hyphen}Smith"]


@pytest.mark.parametrize(
    "short, expected",
    [
        ("Dr O'Brien", "Dr Grace O'Brien"),  # the one of the two printed as a doctor
        ("Ms O'Brien", None),  # a courtesy title tells nobody apart
        ("O'Brien", None),
    ],
)
def test_a_short_name_with_the_title_of_one_of_two_namesakes_is_that_one(short: str, expected: str | None) -> None:
    body = ("Ellie O'Brien, an analyst at the IWF, said: “One.”\n\n"
            "Dr Grace O'Brien, of the London School of Economics, said: “Two.”\n\n"
            f"{short} continued: “Three.”")  # fmt: skip
    assert speakers(body)[2][0] == expected


def test_a_short_name_whose_title_two_namesakes_share_stays_unknown() -> None:
    body = ("Dr Ellie O'Brien said: “One.”\n\nDr Grace O'Brien said: “Two.”\n\nDr O'Brien continued: “Three.”")
    assert speakers(body)[2][0] is None

"""Who an attribution names, as statements print it: one row per form of issue 9 and FORMAT.md."""

from __future__ import annotations

import pytest

from iwfdb.parse import parse_text
from iwfdb.parse.names import names_in
from iwfdb.parse.speakers import Speaker, read_speaker

PERSON_FORMS = [
    # Names that start with an accented capital, particles, apostrophes, hyphens, inner capitals.
    ("Émilie Dubois, Head of Policy", Speaker("Émilie Dubois", "person", "Head of Policy")),
    ("Anna Łukasz, Head of Policy", Speaker("Anna Łukasz", "person", "Head of Policy")),
    ("Óscar Núñez", Speaker("Óscar Núñez", "person")),
    ("Zoë Ørsted-Łukasz OBE", Speaker("Zoë Ørsted-Łukasz", "person", None, "OBE")),
    ("Şebnem Yıldız, a researcher at Ofcom", Speaker("Şebnem Yıldız", "person", "a researcher at Ofcom")),
    ("Jean-Luc de la Fontaine, from INHOPE", Speaker("Jean-Luc de la Fontaine", "person", "from INHOPE")),
    ("Ruud van der Berg, Director at INHOPE", Speaker("Ruud van der Berg", "person", "Director at INHOPE")),
    ("Ahmad bin Rahman", Speaker("Ahmad bin Rahman", "person")),
    ("Siobhán O’Connor, Head of Research", Speaker("Siobhán O’Connor", "person", "Head of Research")),
    ("Ciarán McNally", Speaker("Ciarán McNally", "person")),
    ("Theresa May", Speaker("Theresa May", "person")),
    ("Mx Young", Speaker("Mx Young", "person")),
    ("Director of Technology Anna Young", Speaker("Anna Young", "person", "Director of Technology")),
    ("Andrew*", Speaker("Andrew", "person")),
    # The role before the name, with or without a comma.
    (
        "Chief Executive of the Internet Watch Foundation Derek Ray-Hill",
        Speaker("Derek Ray-Hill", "person", "Chief Executive of the Internet Watch Foundation"),
    ),
    (
        "Minister for the Future Digital Economy and Online Safety Baroness Jones",
        Speaker("Baroness Jones", "person", "Minister for the Future Digital Economy and Online Safety"),
    ),
    ("Technology Secretary Peter Kyle", Speaker("Peter Kyle", "person", "Technology Secretary")),
    ("Home Office Minister Lord Hanson", Speaker("Lord Hanson", "person", "Home Office Minister")),
    ("NCMEC President and CEO Michelle DeLaune", Speaker("Michelle DeLaune", "person", "NCMEC President and CEO")),
    (
        "Europol’s Executive Director Catherine De Bolle",
        Speaker("Catherine De Bolle", "person", "Europol’s Executive Director"),
    ),
    ("Safeguarding minister Jess Phillips", Speaker("Jess Phillips", "person", "Safeguarding minister")),
    (
        "Ofcom’s Chief Executive, Dame Melanie Dawes",
        Speaker("Dame Melanie Dawes", "person", "Ofcom’s Chief Executive"),
    ),
    ("Head of Policy at Barnardo’s Lynn Perry", Speaker("Lynn Perry", "person", "Head of Policy at Barnardo’s")),
    ("CEO of Childnet Will Gardner", Speaker("Will Gardner", "person", "CEO of Childnet")),
    # Titles, peerages, ranks and post-nominals.
    ("Dr Ana Şahin, a lecturer in criminology", Speaker("Dr Ana Şahin", "person", "a lecturer in criminology")),
    (
        "Professor Sonia Livingstone OBE, of the London School of Economics",
        Speaker("Professor Sonia Livingstone", "person", "of the London School of Economics", "OBE"),
    ),
    ("Chief Constable Andy Marsh, QPM", Speaker("Andy Marsh", "person", "Chief Constable", "QPM")),
    ("Detective Chief Inspector Jane Doe", Speaker("Jane Doe", "person", "Detective Chief Inspector")),
    (
        "The Rt Hon Peter Kyle MP, Secretary of State for Science, Innovation and Technology",
        Speaker("Peter Kyle", "person", "Secretary of State for Science, Innovation and Technology", "MP"),
    ),
    (
        "Sir Peter Wanless, Chief Executive of the NSPCC",
        Speaker("Sir Peter Wanless", "person", "Chief Executive of the NSPCC"),
    ),
    ("Lord Hanson of Flint", Speaker("Lord Hanson of Flint", "person")),
    ("Ms Tamsin McNally", Speaker("Tamsin McNally", "person")),
    ("Susie Hargreaves OBE IWF CEO", Speaker("Susie Hargreaves", "person", "IWF CEO", "OBE")),
    # Punctuation damage.
    ("Jane Doe,Head of Policy, Childnet", Speaker("Jane Doe", "person", "Head of Policy, Childnet")),
    ("Chris Hughes, 34, at the launch", Speaker("Chris Hughes", "person")),
]

NOT_A_PERSON = [
    ("A Home Office spokesperson", Speaker("Home Office", "organisation", "spokesperson")),
    (
        "A spokesperson for the National Crime Agency",
        Speaker("National Crime Agency", "organisation", "spokesperson"),
    ),
    ("The IWF’s press office", Speaker("IWF", "organisation", "press office")),
    ("A government spokesperson", Speaker("Government", "organisation", "spokesperson")),
    ("NSPCC officials", Speaker("NSPCC", "organisation", "officials")),
    ("A spokesperson", Speaker(None, "unknown", "spokesperson")),
    ("the European Commission", Speaker("European Commission", "organisation")),
    ("According to the European Commission", Speaker("European Commission", "organisation")),
    ("Ofcom", Speaker("Ofcom", "organisation")),
    ("NCMEC", Speaker("NCMEC", "organisation")),
    ("The Internet Watch Foundation", Speaker("Internet Watch Foundation", "organisation")),
    ("The report", Speaker(None, "unknown")),
    ("The IWF’s annual report", Speaker(None, "unknown")),
    ("a 15-year-old girl", Speaker(None, "unknown")),
    ("An anonymous child", Speaker(None, "unknown")),
    ("researchers", Speaker(None, "unknown")),
    ("The Minister", Speaker(None, "unknown", "The Minister")),
    ("The Minister for Online Safety", Speaker(None, "unknown", "The Minister for Online Safety")),
    (
        "The Department for Science, Innovation and Technology",
        Speaker("Department for Science, Innovation and Technology", "organisation"),
    ),
]

GROUPS = [
    ("Peter Kyle and Jess Phillips", Speaker("Peter Kyle and Jess Phillips", "group")),
    (
        "Technology Secretary Peter Kyle and Safeguarding Minister Jess Phillips",
        Speaker("Peter Kyle and Jess Phillips", "group", "Technology Secretary; Safeguarding Minister"),
    ),
    (
        "Director of Policy and Public Affairs, Michael Tunks",
        Speaker("Michael Tunks", "person", "Director of Policy and Public Affairs"),
    ),
]


@pytest.mark.parametrize(
    ("who", "speaker"), PERSON_FORMS + NOT_A_PERSON + GROUPS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_speaker_of_an_attribution(who: str, speaker: Speaker) -> None:
    assert read_speaker(who) == speaker


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("In March Susie Hargreaves visited the hotline.", ["Susie Hargreaves"]),
        (
            "Technology Secretary Peter Kyle and Safeguarding Minister Jess Phillips visited.",
            ["Peter Kyle", "Jess Phillips"],
        ),
        ("The Internet Watch Foundation and Ofcom met Émilie Dubois.", ["Émilie Dubois"]),
        ("Ms Tamsin McNally said “Anna Smith is here” to us.", ["Tamsin McNally"]),
        ("Jean-Luc de la Fontaine spoke; Theresa May listened.", ["Jean-Luc de la Fontaine", "Theresa May"]),
        ("Zoë Ørsted-Łukasz OBE and Lord Hanson of Flint spoke.", ["Zoë Ørsted-Łukasz", "Lord Hanson of Flint"]),
        ("Online Safety Minister Baroness Jones said it.", ["Baroness Jones"]),
    ],
)
def test_names_in_running_text(text: str, names: list[str]) -> None:
    assert names_in(text) == names


def test_a_short_name_with_a_capitalised_particle_is_resolved() -> None:
    text = "Catherine De Bolle said: “One.”\n\nMs De Bolle added: “Two.”\n\nMr van der Berg said: “Three.”"
    head = "Statement - Europol and INHOPE\n\nPublished:  Tue 7 Mar 2017\n\nRuud van der Berg met the IWF."
    statement = parse_text(f"{head}\n\n{text}")
    assert [quote.speaker for quote in statement.quotes] == ["Catherine De Bolle"] * 2 + ["Ruud van der Berg"]

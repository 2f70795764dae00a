"""Contacts that are real (issue 18): one per person or office, from the contact block, with their numbers.

Every other line of a contact block (a label, a reference, a heading, a credit, a licence, a date, an
address) is never a contact. The golden fixtures tests/fixtures/valid/contacts_*.txt hold whole blocks.
"""

from __future__ import annotations

import pytest

from iwfdb.parse import parse_text
from iwfdb.records import Phone

HEAD = "A title for the page\n\nPublished: Tue 18 Jul 2023\n\nThe committee voted on Thursday.\n\nContacts\n\n"


def contacts(block: str) -> list[tuple]:
    statement = parse_text(HEAD + block, publisher="European Parliament")
    return [(c.name, c.role, c.kind, tuple(p.e164 for p in c.phones), c.email) for c in statement.contacts]


@pytest.mark.parametrize(
    "junk",
    [
        "Press Officer",
        "Contact data",
        "Further information",
        "Ref.: 20190712IPR56948",
        "Photo credits",
        "Photo credits: Jane Doe / Alamy",
        "CC BY-SA 3.0 PL",
        "© European Union 2023 - Source : EP",
        "October 13 · 2020",
        "18 July 2023",
        "Weston House, 42 Curtain Road, London EC2A 3NH",
        "Rue Wiertz 60, B-1047 Brussels",
        "Image: iStock 1443562017",
    ],
)
def test_a_line_that_names_no_one_is_no_contact(junk: str) -> None:
    assert contacts(junk) == []


@pytest.mark.parametrize(
    "written, e164",
    [
        ("(+32) 2 28 32547", "+3222832547"),
        ("+33 3 88 1 74751", "+33388174751"),
        ("(+32) 470 88 07 58", "+32470880758"),
        ("+44 (0) 1223 203030", "+441223203030"),
        ("01223 203030", "+441223203030"),
    ],
)
def test_european_and_uk_phone_forms_are_read(written: str, e164: str) -> None:
    statement = parse_text(HEAD + f"Jane SMITH\n\n• Phone number: {written} (BXL)", publisher="European Parliament")
    (contact,) = statement.contacts
    assert contact.phones == (Phone(written, e164),)


def test_a_parliament_block_is_one_contact_with_its_role_and_details() -> None:
    block = (
        "Jane SMITH\n\nPress Officer\n\n• Phone number: (+32) 2 28 32547 (BXL)\n\n"
        "• E-mail: jane.smith@europarl.europa.eu\n\nRef.: 20190712IPR56948\n\nFurther information\n\n"
        "Photo credits\n\nCC BY-SA 3.0 PL"
    )
    assert contacts(block) == [
        ("Jane Smith", "Press Officer", "person", ("+3222832547",), "jane.smith@europarl.europa.eu")
    ]


def test_an_office_and_a_person_each_keep_their_own_details() -> None:
    block = "Media Team\n\n020 7825 2500\n\nEmma Reid, Head of Communications, +44 (0) 7929 553679"
    assert contacts(block) == [
        ("Media Team", None, "organisation", ("+442078252500",), None),
        ("Emma Reid", "Head of Communications", "person", ("+447929553679",), None),
    ]


def test_a_name_after_a_credit_heading_is_no_contact() -> None:
    assert contacts("Jane Smith, +44 (0) 1223 203030\n\nPhoto credits\n\nJohn Doe") == [
        ("Jane Smith", None, "person", ("+441223203030",), None)
    ]

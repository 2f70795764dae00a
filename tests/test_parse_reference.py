"""The reference statement (seeds/) parses to exactly what the archive must hold."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.parse import parse_bytes
from iwfdb.records import Contact, Link, Phone, Quote, RelatedCard

SEED = Path(__file__).parents[1] / "seeds" / "000_ca4268db049531f8.txt"


def parse_seed():
    return parse_bytes(SEED.read_bytes(), str(SEED)).statement


def test_header() -> None:
    statement = parse_seed()
    assert (statement.title, statement.kind, statement.published) == (
        "IWF's work with industry and social networks",
        "Statement",
        date(2017, 3, 7),
    )
    assert statement.byline is None and statement.summary is None and statement.warnings == ()


def test_body_is_the_six_paragraphs_before_ends() -> None:
    body = parse_seed().body
    assert [paragraph.line for paragraph in body] == [5, 7, 9, 11, 13, 15]
    assert body[0].text.startswith("The IWF receives reports from the public")
    assert body[-1].text.endswith("stolen from them. “")


def test_the_one_quote() -> None:
    (quote,) = parse_seed().quotes
    assert quote == Quote(
        speaker="Susie Hargreaves",
        speaker_kind="person",
        role="IWF CEO",
        honours="OBE",
        text=quote.text,
        line=15,
        attribution="IWF CEO, Susie Hargreaves, OBE said:",
    )
    assert quote.text.startswith("We are never complacent, the reality is")
    assert quote.text.endswith("the childhood that has been stolen from them.")


def test_the_one_contact_has_a_hidden_email_and_two_phones() -> None:
    assert parse_seed().contacts == (
        Contact(
            name="Emma Hardy",
            role="Director of External Relations",
            email=None,
            email_hidden=True,
            phones=(Phone("+44 (0) 1223 203030", "+441223203030"), Phone("+44 (0) 7929 553679", "+447929553679")),
            handles=(),
            line=26,
        ),
    )


def test_the_link_and_the_three_related_cards() -> None:
    statement = parse_seed()
    assert statement.links == (Link("www.iwf.org.uk", "For more information please visit www.iwf.org.uk.", 32),)
    assert [(card.date, card.kind, card.line) for card in statement.related] == [
        (date(2024, 12, 16), "Statement", 36),
        (date(2024, 10, 15), "Statement", 43),
        (date(2024, 9, 25), "Statement", 50),
    ]
    assert statement.related[1] == RelatedCard(
        title="UK and US Unite to Tackle Online Child Sexual Abuse and Exploitation",
        summary="The UK and US lead the charge in global efforts to combat online child exploitation through "
        "stronger safeguards and innovative technologies.",
        date=date(2024, 10, 15),
        kind="Statement",
        line=43,
    )


def test_closing_sections() -> None:
    sections = parse_seed().sections
    assert [(section.heading, section.line) for section in sections] == [
        ("Notes to editors", 22),
        ("Contact", 24),
        ("What we do", 28),
    ]
    assert sections[2].text.endswith("safe and responsible use of technology.")


def test_parse_command_prints_the_record_as_json() -> None:
    result = CliRunner().invoke(app, ["parse", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"] == str(SEED)
    assert len(record["sha256"]) == 64
    assert record["title"] == "IWF's work with industry and social networks"
    assert record["published"] == "2017-03-07"
    assert record["quotes"][0]["speaker"] == "Susie Hargreaves"
    assert [phone["e164"] for phone in record["contacts"][0]["phones"]] == ["+441223203030", "+447929553679"]
    assert [card["date"] for card in record["related"]] == ["2024-12-16", "2024-10-15", "2024-09-25"]
    expected_keys = {"source", "sha256", "title", "kind", "published", "byline", "summary", "body", "quotes",
                     "contacts", "links", "related", "sections", "warnings"}
    assert expected_keys <= set(record)

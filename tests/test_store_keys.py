"""Natural keys: one statement however its title is typed, one person however their name is printed."""

from datetime import date

import pytest

from iwfdb.keys import person_key, slug_base, statement_match_key


def test_statement_key_ignores_case_quotes_dashes_and_spacing():
    day = date(2024, 12, 16)
    curly = statement_match_key("IWF welcomes Ofcom duties – realise ‘hopes’", day, "a.txt")
    straight = statement_match_key("iwf welcomes  Ofcom\u00a0duties - realise 'hopes' ", day, "b.txt")
    assert curly == straight == "iwf welcomes ofcom duties - realise 'hopes'|2024-12-16"


def test_statement_key_keeps_different_dates_apart():
    assert statement_match_key("Statement", date(2020, 1, 1), "a") != statement_match_key("Statement", date(2021, 1, 1), "a")


def test_a_statement_without_title_is_known_by_its_file_name():
    assert statement_match_key(None, None, "page.txt") == "file:page.txt|undated"
    assert statement_match_key("  ", date(2017, 3, 7), "page.txt") == "file:page.txt|2017-03-07"


@pytest.mark.parametrize(
    "printed",
    ["Susie Hargreaves", "Susie Hargreaves OBE", "Susie Hargreaves, OBE", "Ms Susie Hargreaves", "SUSIE  HARGREAVES"],
)
def test_person_key_drops_titles_and_honours(printed):
    assert person_key(printed) == "susie hargreaves"


def test_person_key_keeps_different_people_apart():
    assert person_key("Dr Jane Smith") != person_key("Dr John Smith")
    assert person_key("Baroness Jones") == "baroness jones"


def test_slug_is_date_and_title_words():
    assert slug_base("IWF's work with industry & social networks", date(2017, 3, 7), "x") == (
        "2017-03-07-iwfs-work-with-industry-social-networks"
    )
    assert slug_base(None, None, "000_ca42") == "undated-000-ca42"
    assert len(slug_base("word " * 50, None, "x")) <= 80

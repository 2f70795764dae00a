"""Natural keys: one statement however its title is typed, one person however their name is printed."""

from datetime import date

import pytest

from iwfdb.keys import fold_accents, organisation_key, person_key, slug_base, statement_match_key


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
    assert person_key("Baroness Jones") != person_key("Sarah Jones") != person_key("Jones")


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Zoe Orsted-Lukasz", "Zoë Ørsted-Łukasz"),
        ("Emilie Dubois", "Émilie Dubois"),
        ("Sebnem Yildiz", "Şebnem Yıldız"),
        ("Hans Strasse", "Hans Straße"),
        ("Siobhan O'Connor", "Siobhán O’Connor"),
        ("Derek Ray Hill", "Derek Ray-Hill"),
        ("Ana Sahin", "Dr Ana Şahin"),
        ("Peter Wanless", "Sir Peter Wanless"),
        ("Melanie Dawes", "Dame Melanie Dawes"),
        ("Jess Phillips", "The Rt Hon Jess Phillips MP"),
        ("Andy Marsh", "Chief Constable Andy Marsh QPM"),
        ("Jane Doe", "Detective Chief Inspector Jane Doe"),
        ("jean-luc de la fontaine", "Jean-Luc de la Fontaine"),
    ],
)
def test_person_key_ignores_accents_titles_ranks_and_honours(typed, printed):
    assert person_key(typed) == person_key(printed)


@pytest.mark.parametrize(
    "printed", ["Baroness Jones", "Baroness Maggie Jones", "Baroness Jones of Whitchurch", "The Baroness Jones"]
)
def test_a_peer_is_keyed_by_peerage_and_surname(printed):
    assert person_key(printed) == "baroness jones"


def test_a_group_led_by_a_peer_is_not_keyed_as_the_peer():
    assert person_key("Baroness Jones and Anna Jones") == "baroness jones and anna jones"


def test_a_surname_that_is_a_rank_stays_in_the_key():
    assert person_key("John Constable") == "john constable"


def test_fold_accents_covers_letters_unicode_does_not_decompose():
    assert fold_accents("Ø ø Ł ł ß Æ œ Đ ð Þ ı") == "O o L l ss AE oe D d TH i"


def test_organisation_key_ignores_article_possessive_and_case():
    assert organisation_key("The IWF’s") == organisation_key("IWF") == "iwf"
    assert organisation_key("the European Commission") == "european commission"


def test_slug_is_date_and_title_words():
    assert slug_base("IWF's work with industry & social networks", date(2017, 3, 7), "x") == (
        "2017-03-07-iwfs-work-with-industry-social-networks"
    )
    assert slug_base(None, None, "000_ca42") == "undated-000-ca42"
    assert len(slug_base("word " * 50, None, "x")) <= 80

"""The ready-made questions asked of one speaker never mix namesakes, on both engines (a PostgreSQL archive through
the SQLite copy `iwfdb serve` keeps), through Datasette's test client: words that name several people (or
organisations) list them, each linked to their page and to the question asked of them alone, and show no row;
words that name one show theirs; an id chooses one.

tests/fixtures/web_namesakes: Marie Dubois (2 quotes) and Jean Dubois (1), a Home Office and a Cabinet Office
spokesperson, a Press Office as a contact.
"""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from urllib.parse import urlencode

import pytest
from browse_helpers import Browser
from helpers import FIXTURES, build_archive, iwfdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_datasette_changes import served_file

from iwfdb.datasette.metadata import DATABASE

NAMESAKES = FIXTURES / "web_namesakes"
QUESTION = f"/{DATABASE}/what_a_person_said"
HOSTILE = '<script>alert("x")</script> \'Dubois\'\x1b[2J'


@pytest.fixture
def browser(db, tmp_path):
    assert iwfdb(db, "load", NAMESAKES).exit_code == 0
    browser = Browser(served_file(db, tmp_path))
    yield browser
    browser.close()


def ids(browser: Browser, table: str) -> dict[str, int]:
    return {name: id_ for id_, name in browser.execute(f"SELECT id, name FROM {table}").rows}


def namesakes(page: str) -> list[tuple[str, str, str, str, str]]:
    """The namesakes a page lists: (page address, name, id, quotes, address of the question asked of them)."""
    table = page.split('<table class="iwfdb-namesakes">', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'<tr><td><a href="([^"]+)">([^<]*)</a></td><td>(\d+)</td><td>(\d+)</td>'
                       r'<td><a class="iwfdb-ask-of" href="([^"]+)">', table)  # fmt: skip
    return [(url, unescape(name), id_, quotes, unescape(asked)) for url, name, id_, quotes, asked in found]


def texts(rows: list[dict]) -> list[str]:
    return [row["text"] for row in rows]


def test_words_that_name_several_people_list_them_and_show_no_mixed_rows(browser):
    people = ids(browser, "people")
    page = browser.page(f"{QUESTION}?person=Dubois")
    assert "“Dubois” names 2 people: their rows are not mixed, and none is shown." in page
    listed = namesakes(page)
    assert [(url, name, id_, quotes) for url, name, id_, quotes, _ in listed] == [
        (f"/{DATABASE}/people/{people['Marie Dubois']}", "Marie Dubois", str(people["Marie Dubois"]), "2"),
        (f"/{DATABASE}/people/{people['Jean Dubois']}", "Jean Dubois", str(people["Jean Dubois"]), "1")]
    assert '<p class="zero-results">0 results</p>' in page and "The law must keep up" not in page
    assert browser.rows("what_a_person_said", person="Dubois") == []


def test_words_that_name_one_person_show_their_rows_and_say_whose(browser):
    marie = ids(browser, "people")["Marie Dubois"]
    rows = browser.rows("what_a_person_said", person="marie DUBOIS")
    assert texts(rows) == ["Research must keep up too.", "The evidence from France shows what a campaign can change."]
    page = browser.page(f"{QUESTION}?person=Marie+Dubois")
    assert f'Asked of <a href="/{DATABASE}/people/{marie}">Marie Dubois</a> (person {marie}).' in page
    assert 'class="iwfdb-namesakes"' not in page and "Research must keep up too." in page


def test_following_a_namesakes_link_asks_the_question_of_that_one_alone(browser):
    listed = namesakes(browser.page(f"{QUESTION}?person=Dubois&from_year=2022&to_year="))
    jean = next(asked for _, name, _, _, asked in listed if name == "Jean Dubois")
    assert "from_year=2022" in jean and "person=&" in jean  # the years kept, the words left out
    page = browser.page(jean)
    assert "The law must keep up with technology." in page and "Research must keep up" not in page
    chosen = browser.rows("what_a_person_said", person_id=str(ids(browser, "people")["Jean Dubois"]))
    assert texts(chosen) == ["The law must keep up with technology."]


def test_organisations_that_share_words_are_listed_and_chosen_by_id_the_same_way(browser):
    organisations = ids(browser, "organisations")
    page = browser.page(f"{QUESTION}?person=office")
    assert "“office” names 3 organisations" in page  # the Press Office, a contact, too
    listed = namesakes(page)
    assert {(url, name) for url, name, *_ in listed} == {
        (f"/{DATABASE}/organisations/{id_}", name) for name, id_ in organisations.items()}
    cabinet = next(asked for _, name, _, _, asked in listed if name == "Cabinet Office")
    assert "The government will publish its plan this spring." in browser.page(cabinet)
    assert "We are committed" not in browser.page(cabinet)
    home = browser.rows("what_a_person_said", organisation_id=str(organisations["Home Office"]))
    assert texts(home) == ["We are committed to tackling this crime wherever it happens."]


def test_people_quoted_together_never_mixes_namesakes_either(browser):
    people = ids(browser, "people")
    assert browser.rows("quoted_together", person="Dubois") == []
    assert len(namesakes(browser.page(f"/{DATABASE}/quoted_together?person=Dubois"))) == 2
    pairs = browser.rows("quoted_together", person_id=str(people["Jean Dubois"]))
    assert [(row["person"], row["quoted_with"]) for row in pairs] == [("Jean Dubois", "Marie Dubois")]


@pytest.mark.parametrize("params, said", [
    ({"person": "Nobody Known"}, "person: nobody called 'Nobody Known' is in the archive"),
    ({"person_id": "999"}, "person_id: no person has the id '999'"),
    ({"organisation_id": "x1"}, "organisation_id: no organisation has the id 'x1'"),
    ({"person_id": "²"}, "person_id: no person has the id '²'"),
    ({"person_id": "9" * 30}, "person_id: no person has the id '" + "9" * 30 + "'"),
    ({"person": "Dubois", "person_id": "1"}, "person, person_id: give a name or one id, not several"),
])  # fmt: skip
def test_a_name_or_id_that_chooses_no_one_is_said_on_the_page_and_shows_no_row(browser, params, said):
    page = browser.page(f"{QUESTION}?{urlencode(params)}")
    assert said in unescape(page) and "message-error" in page
    assert browser.rows("what_a_person_said", **params) == []


def test_names_in_the_namesakes_list_are_text_never_markup(tmp_path):
    archive = build_archive(NAMESAKES, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE people SET name = ? WHERE name = 'Jean Dubois'", (HOSTILE,))
    browser = Browser(archive)
    try:
        page = browser.page(f"{QUESTION}?{urlencode({'person': HOSTILE})}")
        listed = namesakes(browser.page(f"{QUESTION}?person=Dubois"))
    finally:
        browser.close()
    assert "<script>alert" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # the words typed, in the message
    assert HOSTILE.replace("\x1b", "\\x1b") in [name for _, name, *_ in listed]


@pytest.fixture(scope="module")
def sqlite_browser(tmp_path_factory):
    browser = Browser(build_archive(NAMESAKES, tmp_path_factory.mktemp("namesakes") / "a.sqlite"))
    yield browser
    browser.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inputs=st.fixed_dictionaries({}, optional={name: st.text(max_size=40) for name in (
    "person", "person_id", "organisation_id")}))  # fmt: skip
def test_whatever_chooses_the_speaker_the_question_answers_never_a_server_error(sqlite_browser, inputs):
    for path in (f"{QUESTION}?{urlencode(inputs)}", f"{QUESTION}.json?{urlencode(inputs)}"):
        response = sqlite_browser.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert "<script>alert" not in response.text

"""The pages made for reading, through Datasette's test client: the home page and its search, a person's and an
organisation's page (joint quotes included, paged), untitled statements reachable, yes/no flags, year facets in
year order, and the ready-made questions (organisations found, inputs checked, SQL on request only).

tests/fixtures/web_reading: a quote said by two people together, a Home Office spokesperson, an untitled
statement, a person who is also a press contact.
"""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from urllib.parse import urlencode

import pytest
from browse_helpers import Browser
from helpers import FIXTURES, READ_FIXTURES, build_archive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iwfdb.datasette import reading
from iwfdb.datasette.metadata import DATABASE, build_metadata
from iwfdb.datasette.reading import MARK_END, MARK_START, highlighted

WEB_READING = FIXTURES / "web_reading"
JOINT = "End-to-end encryption must not become a hiding place for abuse."
CAMPAIGN = "Minister and the IWF start a campaign on end-to-end encryption"
HOSTILE = "<script>alert(1)</script>\x1b[2J\u202e"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    browser = Browser(build_archive(WEB_READING, tmp_path_factory.mktemp("reading") / "archive.sqlite"))
    yield browser
    browser.close()


def ids(browser: Browser, sql: str) -> dict[str, int]:
    return {name: id_ for id_, name in browser.execute(sql).rows}


@pytest.fixture(scope="module")
def people(browser) -> dict[str, int]:
    return ids(browser, "SELECT id, name FROM people")


def text_of(page: str, start: str, end: str = "</h2>") -> str:
    """The part of a page from the heading `start` to the next heading's end (or `end`)."""
    return page.split(start, 1)[1].split("<h2", 1)[0] if end == "</h2>" else page.split(start, 1)[1].split(end, 1)[0]


# A person's page


def test_a_persons_page_lists_every_quote_newest_first_with_its_date_and_statement(browser, people):
    page = browser.page(f"/{DATABASE}/people/{people['Susie Hargreaves']}")
    assert "<title>Susie Hargreaves</title>" in page and "quoted 4 times" in page
    quotes = text_of(page, 'id="quotes"')
    dates = re.findall(r'<span class="when">([\d-]+)</span>', quotes)
    assert dates == ["2022-03-08", "2022-03-08", "2020-06-05", "2020-01-15"]
    assert f"“{JOINT}”" in quotes  # said together with Baroness Amos: hers too
    assert f'said together with <a href="/{DATABASE}/people/{people["Baroness Amos"]}">Baroness Amos</a>' in quotes
    assert re.search(rf'<a href="/{DATABASE}/statements/\d+">{CAMPAIGN}</a>', quotes)


def test_an_untitled_statement_is_linked_by_its_date_and_slug(browser, people):
    page = browser.page(f"/{DATABASE}/people/{people['Susie Hargreaves']}")
    (untitled,) = browser.execute("SELECT id FROM statements WHERE title IS NULL").rows
    link = f'<a href="/{DATABASE}/statements/{untitled[0]}">Untitled, 2020-06-05 2020-06-05-untitled-figures</a>'
    assert link in page and link in browser.page(f"/{DATABASE}/statement_overview")
    assert f'<a href="/{DATABASE}/statements/{untitled[0]}">Untitled, 2020-06-05</a>' in browser.page(
        f"/{DATABASE}/quote_details")


def test_a_persons_page_shows_roles_over_time_quoted_together_and_contact_details(browser, people):
    page = browser.page(f"/{DATABASE}/people/{people['Susie Hargreaves']}")
    roles = text_of(page, 'id="roles"')
    assert "Chief Executive <span class=\"when\">(2020-01-15 to 2022-03-08, 2 times)</span>" in roles
    assert "IWF CEO <span class=\"when\">(2020-06-05 to 2022-03-08, 2 times)</span>" in roles
    together = text_of(page, 'id="quoted-together"')
    assert f'<a href="/{DATABASE}/people/{people["Baroness Amos"]}">Baroness Amos</a>' in together
    contact = text_of(page, 'id="contact"', "</ul>")
    assert "press@iwf.org.uk" in contact and "+441223203030" in contact
    amos = browser.page(f"/{DATABASE}/people/{people['Baroness Amos']}")
    assert "quoted 1 time" in amos and f"“{JOINT}”" in amos and 'id="contact"' not in amos


def test_an_organisations_page_lists_what_it_said_and_is_linked_from_its_quotes(browser):
    (home_office,) = ids(browser, "SELECT id, name FROM organisations").values()
    page = browser.page(f"/{DATABASE}/organisations/{home_office}")
    assert "<h1" in page and ">Home Office</h1>" in page and "An organisation" in page
    assert "“We are committed to tackling this crime wherever it happens.”" in page
    assert "spokesperson <span class=\"when\">(2020-01-15, 1 time)</span>" in page
    link = f'<a href="/{DATABASE}/organisations/{home_office}">Home Office</a>'
    assert link in browser.page(f"/{DATABASE}/quote_details")
    assert link in browser.page(f"/{DATABASE}/statements/1")


def test_each_speaker_of_a_joint_quote_is_linked_on_the_statement_page(browser, people):
    (campaign,) = browser.execute(f"SELECT id FROM statements WHERE title = '{CAMPAIGN}'").rows
    page = browser.page(f"/{DATABASE}/statements/{campaign[0]}")
    assert (f'— <a href="/{DATABASE}/people/{people["Baroness Amos"]}">Baroness Amos</a> and '
            f'<a href="/{DATABASE}/people/{people["Susie Hargreaves"]}">Susie Hargreaves</a>') in page


def test_a_person_is_linked_from_every_list_that_names_them(browser, people):
    link = f'<a href="/{DATABASE}/people/{people["Susie Hargreaves"]}">Susie Hargreaves</a>'
    for path in ("/", "/?q=public", f"/{DATABASE}/quote_details", f"/{DATABASE}/statements/1",
                 f"/{DATABASE}/what_a_person_said?person=Hargreaves&from_year=&to_year="):  # fmt: skip
        assert link in browser.page(path), path


def test_a_person_with_many_quotes_is_paged_with_the_total_and_a_next_link(tmp_path):
    archive = build_archive(WEB_READING, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        copied = ", ".join(row[1] for row in connection.execute("PRAGMA table_info(quotes)")
                           if row[1] not in ("id", "position", "text"))  # fmt: skip
        for n in range(250):  # more of her quotes in her first statement
            connection.execute(f"INSERT INTO quotes ({copied}, position, text) SELECT {copied}, ?, ? FROM quotes "
                               "WHERE id = 2", (100 + n, f"Quote {n:03}."))  # fmt: skip
            connection.execute("INSERT INTO quote_speakers (quote_id, position, person_id) "
                               "VALUES (last_insert_rowid(), 0, 1)")  # fmt: skip
    browser = Browser(archive)
    try:
        first, third = browser.page(f"/{DATABASE}/people/1"), browser.page(f"/{DATABASE}/people/1?start=200")
        odd = browser.page(f"/{DATABASE}/people/1?start=-5x")
    finally:
        browser.close()
    assert "Quotes 1–100 of 254" in first and '<a href="?start=100#quotes" rel="next">next 100</a>' in first
    assert first.count('<blockquote class="quote">') == 100
    assert "Quotes 201–254 of 254" in third and 'rel="next"' not in third and "?start=100#quotes" in third
    assert third.count('<blockquote class="quote">') == 54
    assert "Quotes 1–100 of 254" in odd  # a start that is no number: the first page


# The home page


def test_the_home_page_starts_with_one_search_box_then_newest_people_and_years(browser, people):
    page = browser.page("/")
    assert page.count("<form") == 1 and 'name="q"' in page
    assert page.index('name="q"') < page.index("Newest statements") < page.index("People quoted most") \
        < page.index("Statements per year")
    newest = text_of(page, "Newest statements")
    assert re.findall(r'<span class="when">([\d-]+)</span>', newest) == ["2022-03-08", "2020-06-05", "2020-01-15"]
    assert "Untitled, 2020-06-05" in newest
    most = text_of(page, "People quoted most")
    assert most.index("Susie Hargreaves") < most.index("Baroness Amos")
    years = text_of(page, "Statements per year")
    assert re.findall(r">(\d{4})</a></td><td>(\d+)<", years) == [("2022", "1"), ("2020", "2")]


def test_the_home_search_shows_statements_and_quotes_apart_with_the_words_marked(browser, people):
    page = browser.page("/?q=encryption")
    assert "3 matches for “encryption”" in page
    in_statements, in_quotes = text_of(page, "<h3>In statements</h3>", "<h3>"), text_of(page, "<h3>In quotes</h3>",
                                                                                         "</ol>")  # fmt: skip
    assert CAMPAIGN in in_statements and "<mark>encryption</mark>" in in_statements
    assert ("“<mark>Encryption</mark> and child safety can go together, and they must.” — "
            f'<a href="/{DATABASE}/people/{people["Susie Hargreaves"]}">Susie Hargreaves</a>') in in_quotes
    assert "— Baroness Amos and Susie Hargreaves," in in_quotes  # a group's name is no one's page
    (home_office,) = ids(browser, "SELECT id, name FROM organisations").values()
    assert f'— <a href="/{DATABASE}/organisations/{home_office}">Home Office</a>' in browser.page("/?q=committed")


def test_the_home_search_pages_its_matches_and_says_what_is_wrong_with_no_words(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "HITS_PER_PAGE", 5)
    browser = Browser(build_archive(READ_FIXTURES, tmp_path / "a.sqlite"))
    try:
        few = browser.page("/?q=the")
        total = int(re.search(r"(\d+) matches for", few).group(1))
        assert 10 < total < 15 and "Best matches 1–5" in few and 'rel="next">more matches</a>' in few
        assert few.count("<li>") - browser.page("/").count("<li>") == 5
        rest = browser.page("/?q=the&start=10")
        assert f"Best matches 11–{total}" in rest and "more matches" not in rest
        nothing = browser.page("/?q=%22%3B--")
    finally:
        browser.close()
    assert "nothing to search for" in unescape(nothing) and "matches for" not in nothing


def test_a_snippet_is_escaped_before_its_matches_are_marked():
    snippet = f"<b>a</b> {MARK_START}hash{MARK_END} \x1b[2J {MARK_START}stray"
    assert str(highlighted(snippet)) == "&lt;b&gt;a&lt;/b&gt; <mark>hash</mark> \\x1b[2J stray"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.text(max_size=300), start=st.one_of(st.text(max_size=30), st.integers(-5, 10**30).map(str)))
def test_whatever_a_visitor_types_the_reading_pages_answer_never_a_server_error(browser, words, start):
    for path in ("/?" + urlencode({"q": words, "start": start}), f"/{DATABASE}/people/1?" + urlencode({"start": start}),
                 f"/{DATABASE}/what_a_person_said?" + urlencode({"person": words, "from_year": start, "to_year": ""})):
        response = browser.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert "<script>alert" not in response.text


# Hostile text from the archive


def test_hostile_names_titles_and_quotes_are_escaped_on_every_reading_page(tmp_path):
    archive = build_archive(WEB_READING, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE people SET name = ? WHERE id = 1", (HOSTILE,))
        connection.execute("UPDATE organisations SET name = ? WHERE id = 1", (HOSTILE,))
        connection.execute("UPDATE quotes SET text = ?, role = ? WHERE id = 2", (HOSTILE, HOSTILE))
        connection.execute("UPDATE statements SET title = ? WHERE id = 2", (HOSTILE,))
    browser = Browser(archive)
    try:
        pages = [browser.page(path) for path in ("/", f"/{DATABASE}/people/1", f"/{DATABASE}/people/2",
                                                 f"/{DATABASE}/organisations/1", "/?q=hiding")]  # fmt: skip
    finally:
        browser.close()
    for page in pages:
        assert "<script>alert" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]


def test_an_archive_this_iwfdb_cannot_read_is_a_503_that_says_why(tmp_path):
    archive = build_archive(WEB_READING, tmp_path / "a.sqlite")
    browser = Browser(archive)
    try:
        with sqlite3.connect(archive) as connection:  # as a newer iwfdb would leave it, while this one serves
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
        question = f"/{DATABASE}/what_a_person_said"  # its SQL asks the archive whom the name chooses
        answers = [browser.get(path) for path in ("/", f"/{DATABASE}/people/1", f"{question}?person=Amos",
                                                  f"{question}.json?person=Amos")]  # fmt: skip
    finally:
        browser.close()
    for response in answers:
        assert response.status_code == 503 and "The archive cannot be read" in response.text
        assert "revision 9999" in response.text


# Tables made for reading


def test_flags_read_yes_or_no_and_year_facets_are_in_year_order(tmp_path):
    browser = Browser(build_archive(READ_FIXTURES, tmp_path / "a.sqlite"))
    try:
        page = browser.page(f"/{DATABASE}/statement_overview")
        data = browser.get(f"/{DATABASE}/statement_overview.json").json()
        quotes = browser.get(f"/{DATABASE}/quote_details.json").json()
    finally:
        browser.close()
    assert re.search(r'<td class="col-card_only[^"]*">yes</td>', page)
    assert re.search(r'<td class="col-card_only[^"]*">no</td>', page)
    years = [item["value"] for item in data["facet_results"]["year"]["results"]]
    assert years == [2024, 2023, 2021, 2019, 2017]  # 2024 has 3 statements, yet years stay in order
    assert [item["value"] for item in quotes["facet_results"]["year"]["results"]] == [2023, 2021, 2019, 2017]
    labels = {item["value"]: item["label"] for item in data["facet_results"]["card_only"]["results"]}
    assert labels == {0: "no", 1: "yes"}


def test_the_home_pages_lists_open_with_the_columns_people_read_first(browser):
    page = browser.page("/")
    quotes_link = unescape(re.search(r'<a href="([^"]*)">quotes</a>', page).group(1))
    quotes = browser.page(quotes_link)
    headers = re.findall(r'<th class="col-(\w+)', quotes)
    assert headers[:3] == ["published", "text", "speaker"]
    statements = browser.page(unescape(re.search(r'<a href="([^"]*)">statements</a>', page).group(1)))
    assert re.findall(r'<th class="col-(\w+)', statements)[:2] == ["published", "title"]


# Ready-made questions


def test_what_a_person_said_treats_an_organisation_like_a_person(browser):
    rows = browser.rows("what_a_person_said", person="Home Office", from_year="", to_year="")
    assert [(row["speaker"], row["published"]) for row in rows] == [("Home Office", "2020-01-15")]
    joint = browser.rows("what_a_person_said", person="Baroness Amos", from_year="", to_year="")
    assert [row["text"] for row in joint] == [JOINT]


@pytest.mark.parametrize("field, value", [("to_year", "abc"), ("from_year", "20x0"), ("from_year", "<b>1</b>")])
def test_a_year_that_is_no_year_is_said_on_the_page(browser, field, value):
    params = {"person": "Hargreaves", "from_year": "", "to_year": "", field: value}
    page = browser.page(f"/{DATABASE}/what_a_person_said?" + "&".join(f"{k}={v}" for k, v in params.items()))
    assert f"{field}: " in page and "is not a year; give one such as 2020" in page
    assert "<b>1</b>" not in page.split('<section class="content">')[0]
    good = browser.page(f"/{DATABASE}/what_a_person_said?person=Hargreaves&from_year=2020&to_year=2022")
    assert "is not a year" not in good


def test_every_question_hides_its_sql_until_asked_and_has_no_row_limit_of_its_own():
    for name, query in build_metadata()["databases"][DATABASE]["queries"].items():
        assert query.get("hide_sql") is True, name
        assert not re.search(r"\bLIMIT\b", query["sql"]), name


def test_a_question_shows_its_sql_only_on_request(browser):
    hidden = browser.page(f"/{DATABASE}/search_statements?words=encryption")
    assert "<title>Search statements, best matches first</title>" in hidden
    assert "statements_fts MATCH" not in unescape(hidden.split("Edit SQL")[0])
    shown = browser.page(f"/{DATABASE}/search_statements?words=encryption&_show_sql=1")
    assert "statements_fts MATCH" in unescape(shown)

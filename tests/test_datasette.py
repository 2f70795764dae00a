"""The archive in Datasette as `iwfdb serve` shows it, through Datasette's own test client: pages, search,
facets, every canned query, a statement's page, and that nothing on the web page can write."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browse_helpers import Browser
from helpers import READ_FIXTURES, SEEDS, build_archive, snapshot

from iwfdb.datasette.metadata import DATABASE, build_metadata
from iwfdb.datasette.questions import MAGIC, SPEAKER_INPUTS
from iwfdb.datasette.schema import as_html, for_readers, load_descriptions

SEED_TITLE = "IWF's work with industry and social networks"
HASH_LIST_TITLE = "The Image Hash List passes one million hashes"
ADULT_SECTOR_TITLE = "Why Our Work with the Adult Sector is Vital"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_archive(READ_FIXTURES, tmp_path_factory.mktemp("browse") / "archive.sqlite")


@pytest.fixture(scope="module")
def browser(archive):
    browser = Browser(archive)
    yield browser
    browser.close()


def titles(rows: list[dict], column: str = "title") -> list[str]:
    return [row[column] for row in rows]


def statement_id(browser: Browser, title: str) -> int:
    (row,) = browser.rows("statements", title=title)
    return row["id"]


# Pages a newcomer opens first


def test_the_home_page_describes_the_archive_and_lists_only_its_data(browser):
    home = browser.page("/")
    assert "IWF press statements" in home and "every row traceable to the file and line" in home
    assert re.search(rf'<a href="/{DATABASE}/statement_overview\?_col=published[^"]*">statements</a>', home)
    assert home.count(">statements</a>") == 1
    assert f'href="/{DATABASE}/statements"' not in home  # one list of statements, not two
    assert "_memory" not in home
    tables = {table["name"]: table for table in browser.get(f"/{DATABASE}.json").json()["tables"]}
    shown = {name for name, table in tables.items() if not table["hidden"]}
    assert shown == {"statements", "quotes", "quote_speakers", "people", "organisations", "contacts", "contact_phones",
                     "links", "sections", "sources", "parse_warnings", "revisions"}  # fmt: skip
    assert {"alembic_version", "fts_paused", "statements_fts", "quotes_fts_idx"} <= set(tables) - shown


def test_every_table_and_view_page_shows_its_descriptions_folded_after_one_line(browser):
    for described in load_descriptions().tables:
        page = browser.page(f"/{DATABASE}/{described.name}")
        assert "One row per" in page and "Natural key" not in page, described.name
        folded = page.split('<details class="column-descriptions"><summary>What the columns mean</summary>', 1)[1]
        folded = folded.split("</details>", 1)[0]
        for column, text in described.columns.items():
            assert f"<dt>{column}</dt><dd>{as_html(for_readers(text))}</dd>" in folded, (described.name, column)


def test_a_foreign_key_shows_the_label_of_its_row(browser):
    page = browser.page(f"/{DATABASE}/quotes")
    assert re.search(rf'<a href="/{DATABASE}/statements/\d+">{re.escape("IWF&#39;s work with industry")}', page)
    assert re.search(rf'<a href="/{DATABASE}/people/1">Susie Hargreaves</a>', page)


# Search and facets


def test_the_statements_table_has_a_search_box_that_finds_the_right_statements(browser):
    page = browser.page(f"/{DATABASE}/statements")
    assert 'name="_search"' in page
    assert sorted(titles(browser.rows("statements", _search="hash"))) == sorted([SEED_TITLE, HASH_LIST_TITLE])
    assert titles(browser.rows("statements", _search="encryption")) == ["Our position on end-to-end encryption"]
    assert browser.rows("statements", _search="quokka") == []


def test_the_quotes_table_and_the_views_are_searchable(browser):
    assert [row["speaker"] for row in browser.rows("quotes", _search="complacent")] == ["Susie Hargreaves"]
    assert titles(browser.rows("statement_overview", _search="million")) == [HASH_LIST_TITLE]
    assert [row["year"] for row in browser.rows("quote_details", _search="tech companies")] == [2023]


def facets(browser: Browser, path: str) -> dict[str, dict]:
    data = browser.get(f"/{DATABASE}/{path}.json").json()
    return {name: {item["value"]: item["count"] for item in facet["results"]}
            for name, facet in data["facet_results"].items()}  # fmt: skip


def test_statements_are_faceted_by_year_kind_and_card_only(browser):
    found = facets(browser, "statement_overview")
    assert found["year"] == {2024: 3, 2017: 1, 2019: 1, 2021: 1, 2023: 1}  # the undated one has no year
    assert found["kind"] == {"Statement": 7, "News": 1}
    assert found["card_only"] == {0: 5, 1: 3}
    assert facets(browser, "statements")["card_only"] == {0: 5, 1: 3}


def test_quotes_are_faceted_by_year_and_speaker(browser):
    found = facets(browser, "quote_details")
    assert found["speaker"] == {"Susie Hargreaves": 4, "Dan Sexton": 1, "Tom Tugendhat": 1}
    assert found["year"][2023] == 3
    assert titles(browser.rows("quote_details", year="2023", speaker="Tom Tugendhat"), "statement_title") == [
        "Record numbers of reports as IWF publishes its annual report"]


def test_a_facet_narrows_a_search(browser):
    assert titles(browser.rows("statement_overview", _search="hash", year="2019")) == [HASH_LIST_TITLE]


def test_contacts_are_faceted_by_each_phone_number(browser):
    assert facets(browser, "contact_details")["phones"] == {"+441223203030": 3, "+447929553679": 3}


def test_statements_and_quotes_are_newest_first_and_dates_sort(browser):
    dates = [row["published"] for row in browser.rows("statements")]
    assert dates[:3] == ["2024-12-16", "2024-10-15", "2024-09-25"]
    oldest_first = [row["published"] for row in browser.rows("statements", _sort="published") if row["published"]]
    assert oldest_first == sorted(oldest_first)
    assert browser.rows("quote_details")[0]["published"] == "2023-04-10"


# Canned queries


def test_every_canned_query_has_a_title_a_description_and_named_parameters():
    queries = build_metadata()["databases"][DATABASE]["queries"]
    assert set(queries) == {"what_a_person_said", "search_statements", "mentions_by_year",
                            "contact_phones_over_time", "most_cited_statements", "quoted_together"}  # fmt: skip
    for name, query in queries.items():
        assert query["title"] and query["description"], name
        used = set(re.findall(r":([a-z]\w*)", query["sql"]))  # `:_iwfdb_...` is Datasette's, not a field
        if MAGIC in query["sql"]:  # asked of one speaker: the words, or an id, chosen by questions.py
            used |= {"person", "person_id"}
        assert used <= set(query["params"]) <= used | set(SPEAKER_INPUTS), name
        assert not query.get("write"), f"{name} must not write"


SPELLINGS = ["Susie Hargreaves", "Susie Hargreaves OBE", "ms hargreaves", "Hargreaves", "HARGREAVES,"]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_what_a_person_said_takes_any_spelling(browser, typed):
    rows = browser.rows("what_a_person_said", person=typed, from_year="", to_year="")
    assert [row["published"] for row in rows] == ["2023-04-10", "2023-04-10", "2021-05-12", "2017-03-07"]
    assert {row["speaker"] for row in rows} == {"Susie Hargreaves"}


def test_what_a_person_said_within_years(browser):
    rows = browser.rows("what_a_person_said", person="hargreaves", from_year="2018", to_year="2022")
    assert [row["statement_title"] for row in rows] == ["Response to the Online Safety Bill"]
    assert browser.rows("what_a_person_said", person="Nobody Known", from_year="", to_year="") == []
    everyone = browser.rows("what_a_person_said", person="", from_year="2023", to_year="")
    assert {row["speaker"] for row in everyone} == {"Susie Hargreaves", "Tom Tugendhat"}


def test_what_a_person_said_links_the_statement_and_the_speaker(browser):
    page = browser.page(f"/{DATABASE}/what_a_person_said?person=Tugendhat&from_year=&to_year=")
    assert re.search(rf'<a href="/{DATABASE}/statements/\d+">Record numbers of reports', page)
    assert re.search(rf'<a href="/{DATABASE}/people/\d+">Tom Tugendhat</a>', page)


def test_search_statements_ranks_and_quotes_the_words(browser):
    rows = browser.rows("search_statements", words="image hash")
    assert titles(rows)[0] == HASH_LIST_TITLE and set(titles(rows)) == {HASH_LIST_TITLE, SEED_TITLE}
    assert "[" in rows[0]["excerpt"] and "]" in rows[0]["excerpt"]
    for odd in ('"', "-", "hash OR", "NEAR(", "  hash  ", ""):
        browser.rows("search_statements", words=odd)  # every text is words, never FTS5 syntax: no error


def test_mentions_by_year_counts_statements_per_year(browser):
    rows = browser.rows("mentions_by_year", words="images")
    assert [(row["year"], row["statements"]) for row in rows] == [(2023, 1), (2019, 1), (2017, 1)]
    assert rows[0]["titles"] == '["Record numbers of reports as IWF publishes its annual report"]'


def test_a_contacts_phones_over_time(browser):
    rows = browser.rows("contact_phones_over_time", contact="Ms Emma Hardy")
    assert [(row["phone"], row["first_printed"], row["last_printed"], row["statements"]) for row in rows] == [
        ("+441223203030", "2017-03-07", "2023-04-10", 2), ("+447929553679", "2017-03-07", "2023-04-10", 2)]
    everyone = browser.rows("contact_phones_over_time", contact="")
    assert {row["name"] for row in everyone} == {"Emma Hardy", "Press Office"}


def test_the_most_cited_statements(browser):
    rows = browser.rows("most_cited_statements", from_year="", to_year="")
    assert (rows[0]["title"], rows[0]["cited_by"], rows[0]["first_cited"], rows[0]["last_cited"]) == (
        ADULT_SECTOR_TITLE, 2, "2017-03-07", "2023-04-10")
    assert len(rows) == 3
    cited_in_2023 = browser.rows("most_cited_statements", from_year="2023", to_year="2023")
    assert [(row["title"], row["cited_by"]) for row in cited_in_2023] == [(ADULT_SECTOR_TITLE, 1)]


def test_people_quoted_together(browser):
    pairs = browser.rows("quoted_together", person="")
    assert [(row["person"], row["quoted_with"], row["statements"]) for row in pairs] == [
        ("Susie Hargreaves", "Tom Tugendhat", 1)]
    mine = browser.rows("quoted_together", person="Tom Tugendhat MP")
    assert [(row["person"], row["quoted_with"]) for row in mine] == [("Tom Tugendhat", "Susie Hargreaves")]


def test_a_canned_query_page_has_a_form_field_for_each_parameter(browser):
    page = browser.page(f"/{DATABASE}/what_a_person_said")
    for field in ("person", "from_year", "to_year"):
        assert f'name="{field}"' in page


# A statement's page


def test_a_statement_page_shows_its_text_quotes_contacts_links_and_sections(browser):
    page = browser.page(f"/{DATABASE}/statements/{statement_id(browser, SEED_TITLE)}")
    assert "<title>IWF&#39;s work with industry and social networks</title>" in page
    assert "<p>We act on material that is criminal and fails UK law." in page
    assert "“We are never complacent" in page
    assert f'<a href="/{DATABASE}/people/1">Susie Hargreaves</a>, IWF CEO (OBE)' in page
    assert "Emma Hardy</a>, Director of External Relations" in page and "+441223203030 or +447929553679" in page
    assert "e-mail hidden by the page" in page
    adult = statement_id(browser, ADULT_SECTOR_TITLE)
    assert f'2024-09-25 <a href="/{DATABASE}/statements/{adult}">{ADULT_SECTOR_TITLE}</a>' in page
    assert "<code>www.iwf.org.uk</code>" in page
    assert "<summary>Notes to editors" in page and "No statement in the archive cites it." in page


def test_a_card_only_statement_page_shows_the_statements_citing_it(browser):
    adult = statement_id(browser, ADULT_SECTOR_TITLE)
    page = browser.page(f"/{DATABASE}/statements/{adult}")
    assert "known only from related cards" in page and "Its text is not in the archive" in page
    cited_by = page.split('id="cited-by"', 1)[1]
    assert SEED_TITLE.replace("'", "&#39;") in cited_by
    assert "Record numbers of reports as IWF publishes its annual report" in cited_by


def test_a_statement_page_escapes_what_the_archive_holds(tmp_path):
    archive = build_archive(READ_FIXTURES, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE quotes SET text = '<script>alert(1)</script>' WHERE id = 1")
    browser = Browser(archive)
    try:
        page = browser.page(f"/{DATABASE}/statements/1")
    finally:
        browser.close()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_statement_page_shows_its_publisher_and_address_and_links_an_organisation_that_speaks(tmp_path):
    archive = build_archive(READ_FIXTURES, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE statements SET url = 'https://www.iwf.org.uk/news/x/', publisher = 'IWF' "
                           "WHERE id = 1")  # fmt: skip
        connection.execute("UPDATE statements SET url = 'javascript:alert(1)' WHERE id = 5")
        connection.execute("INSERT INTO organisations (id, name, name_key) VALUES (99, 'Home Office', 'home office')")
        connection.execute("UPDATE quotes SET person_id = NULL, organisation_id = 99, speaker = 'Home Office', "
                           "speaker_kind = 'organisation' WHERE statement_id = 1")  # fmt: skip
    browser = Browser(archive)
    try:
        page, other = browser.page(f"/{DATABASE}/statements/1"), browser.page(f"/{DATABASE}/statements/5")
    finally:
        browser.close()
    assert " · IWF · <code>" in page
    assert 'Address: <a href="https://www.iwf.org.uk/news/x/">https://www.iwf.org.uk/news/x/</a>' in page
    assert f'— <a href="/{DATABASE}/organisations/99">Home Office</a>' in page
    assert "Address: <code>javascript:alert(1)</code>" in other  # an address that is no web address is no link
    assert 'href="javascript:' not in other


def test_an_unknown_statement_is_a_404(browser):
    assert browser.get(f"/{DATABASE}/statements/999999").status_code == 404


# Addresses that name no page, and methods a reader never sends

UNKNOWN_ADDRESSES = [
    f"/{DATABASE}/statements/-/insert", f"/{DATABASE}/statements/-/upsert", f"/{DATABASE}/statements/-/drop",
    f"/{DATABASE}/statements/-/insert.json", f"/{DATABASE}/-/create", f"/{DATABASE}/statements/1/-/update",
    f"/{DATABASE}/statements/1/-/delete", f"/{DATABASE}/nosuch/-/insert", f"/{DATABASE}/nosuch", "/-/nonexistent",
    "/-/nonexistent.json", "/nosuchdb/statements/-/insert", "/nosuchdb",
]  # fmt: skip
OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def send(browser: Browser, method: str, path: str):
    return browser.loop.run_until_complete(browser.datasette.client.request(method, path))


def assert_quiet_console(capfd, caplog) -> None:
    """Nothing on the server's console: no traceback, no SQL, no log record."""
    said = capfd.readouterr()
    assert (said.out, said.err, caplog.records) == ("", "", [])


@pytest.mark.parametrize("path", UNKNOWN_ADDRESSES)
def test_an_address_that_names_no_page_is_a_404_with_nothing_on_the_console(browser, path, capfd, caplog):
    capfd.readouterr()
    for method in ("GET", "HEAD"):
        response = send(browser, method, path)
        assert response.status_code == 404, (method, path, response.text[:500])
    assert "Traceback" not in response.text
    assert_quiet_console(capfd, caplog)


@pytest.mark.parametrize("method", OTHER_METHODS)
def test_a_method_other_than_get_and_head_is_refused_with_405(browser, archive, method, capfd, caplog):
    before = snapshot(archive)
    capfd.readouterr()
    paths = ["/", f"/{DATABASE}", f"/{DATABASE}/statements", f"/{DATABASE}/statements/1", "/-/messages",
             f"/{DATABASE}/what_a_person_said", *UNKNOWN_ADDRESSES[:3]]  # fmt: skip
    for path in paths:
        response = send(browser, method, path)
        assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD"), (path, response.text[:500])
    assert_quiet_console(capfd, caplog)
    assert snapshot(archive) == before


def test_a_query_that_fails_shows_its_error_on_the_page_not_on_the_console(browser, capfd, caplog):
    capfd.readouterr()
    response = browser.get(f"/{DATABASE}.json?sql=select+nosuch+from+statements")
    assert response.status_code == 400 and "no such column: nosuch" in response.json()["error"]
    assert_quiet_console(capfd, caplog)


def test_a_fault_of_the_server_is_one_line_in_the_log_and_a_plain_500(browser, caplog):
    from datasette.utils.asgi import Request

    from iwfdb.datasette.plugin import handle_exception

    request = Request.fake(f"/{DATABASE}/statements.json")
    answers = handle_exception(browser.datasette, request, RuntimeError("a fault\x1b[2J\nnext line"))
    next(answers)
    with pytest.raises(StopIteration) as finished:
        answers.send([])
    response = browser.loop.run_until_complete(finished.value.value[0])
    assert response.status == 500 and "a fault" not in response.body
    (record,) = caplog.records
    assert record.getMessage() == f"error: GET /{DATABASE}/statements.json: RuntimeError('a fault\\x1b[2J\\nnext line')"


def test_the_sql_box_cannot_call_functions_that_reveal_memory_or_load_code(browser):
    for sql in ("select fts3_tokenizer('simple')", "select hex(FTS3_TOKENIZER('porter'))",
                "select load_extension('/tmp/evil')",
                "select 1 where (select fts3_tokenizer('simple')) is null"):  # fmt: skip
        response = browser.get(f"/{DATABASE}.json?" + urlencode({"sql": sql}))
        assert response.status_code == 400 and response.json()["error"].startswith("not authorized"), sql
    assert browser.rows("statements", _search="hash")  # the archive's own functions (search) still work
    assert browser.get(f"/{DATABASE}.json?sql=select+upper('ok')+as+w&_shape=array").json() == [{"w": "OK"}]


# Read-only, yet live


def test_the_web_page_cannot_write(browser, archive):
    before = snapshot(archive)
    for sql in ("DELETE FROM statements", "UPDATE people SET name = 'x'", "ATTACH DATABASE ':memory:' AS other",
                "PRAGMA query_only = OFF"):  # fmt: skip
        response = browser.get(f"/{DATABASE}.json?sql={sql}")
        assert response.status_code == 400, sql
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        browser.loop.run_until_complete(
            browser.datasette.get_database(DATABASE).execute_write("DELETE FROM statements"))
    assert snapshot(archive) == before


def test_the_archive_is_opened_read_only_not_immutable(browser):
    database = browser.datasette.get_database(DATABASE)
    assert database.is_mutable
    assert browser.execute("PRAGMA query_only").rows[0][0] == 1
    assert browser.get(f"/{DATABASE}.db").status_code in (403, 404)  # no download of the file either


def test_a_load_running_meanwhile_is_seen_as_it_commits(tmp_path):
    folder = tmp_path / "statements"
    folder.mkdir()
    shutil.copy(SEEDS / "000_ca4268db049531f8.txt", folder)
    archive = build_archive(folder, tmp_path / "a.sqlite")
    browser = Browser(archive)
    try:
        assert len(browser.rows("statements")) == 4
        for fixture in READ_FIXTURES.glob("20*.txt"):
            shutil.copy(fixture, folder)
        build_archive(folder, archive)
        assert len(browser.rows("statements")) == 7
        assert titles(browser.rows("statements", _search="million")) == [HASH_LIST_TITLE]
    finally:
        browser.close()


def test_an_archive_in_a_folder_with_uri_characters_is_served(tmp_path):
    folder = tmp_path / "odd ?#% name"
    folder.mkdir()
    archive = Path(shutil.move(build_archive(SEEDS, tmp_path / "a.sqlite"), folder / "a.sqlite"))
    browser = Browser(archive)
    try:
        assert titles(browser.rows("statements", _search="industry")) == [SEED_TITLE]
    finally:
        browser.close()

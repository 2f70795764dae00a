"""Every place a name appears on the web page links to its person's or organisation's page, on both engines (a
PostgreSQL archive through the SQLite copy `iwfdb serve` keeps), through Datasette's test client: the cells of
every list that carries the row's id (tables with foreign keys included), and the facet values above a list,
where a small "page" link stands beside the link that narrows the list.

tests/fixtures/web_namesakes: Marie Dubois (2 quotes, and a press contact) and Jean Dubois (1), a Home Office and a
Cabinet Office spokesperson, a Press Office as a contact.
"""

from __future__ import annotations

import re
import sqlite3
from html import unescape

import pytest
from browse_helpers import Browser
from helpers import build_archive
from test_datasette_questions import NAMESAKES, browser  # noqa: F401 (the fixture: the namesakes on both engines)

from iwfdb.datasette.metadata import DATABASE

HOSTILE = '<script>alert("x")</script> \'Marie\' & "Dubois"'


def pages_of(site: Browser) -> dict[str, str]:
    """Each speaker's page: {name: address}."""
    found = {}
    for table in ("people", "organisations"):
        for id_, name in site.execute(f"SELECT id, name FROM {table}").rows:
            found[name] = f"/{DATABASE}/{table}/{id_}"
    return found


def facet_values(page: str, column: str) -> dict[str, str | None]:
    """A facet's values as shown: {label: the address of its page, or None when it has no page link}."""
    facet = page.split(f'id="facet-{column}"', 1)[1].split("</ul>", 1)[0]
    shown = {}
    for item in re.findall(r"<li>(.*?)</li>", facet, re.DOTALL):
        label = re.sub(r"<[^>]+>", "", item.split("&middot;")[0] if "&middot;" in item else item.split("</a>")[0])
        page = re.search(r'<a href="([^"]+)" class="iwfdb-facet-page">page</a>', item)
        shown[unescape(label).strip()] = page and page.group(1)
    return shown


def cells(page: str, column: str) -> list[tuple[str | None, str]]:
    """(address it links to, or None; text) of each cell of a column."""
    found = []
    for cell in re.findall(rf'<td class="col-{column}(?: [^"]*)?">(.*?)</td>', page, re.DOTALL):
        link = re.fullmatch(r'<a href="([^"]+)">([^<]*)</a>', cell)
        found.append((link.group(1), unescape(link.group(2))) if link else (None, unescape(cell)))
    return found


@pytest.mark.parametrize("path, column", [
    ("quote_details", "speaker"), ("quotes", "speaker"), ("contact_details", "name"), ("contacts", "name"),
])  # fmt: skip
def test_a_speaker_facet_value_links_to_their_page_beside_its_filter(browser, path, column):  # noqa: F811
    pages = pages_of(browser)
    page = browser.page(f"/{DATABASE}/{path}?_facet={column}")
    shown = facet_values(page, column)
    assert shown and shown == {name: pages[name] for name in shown}, shown
    assert re.search(rf'<a href="[^"]*{path}\?[^"]*{column}=Marie\+Dubois[^"]*">Marie Dubois</a> \d+ <a href="'
                     rf'{pages["Marie Dubois"]}" class="iwfdb-facet-page">page</a>', page)  # fmt: skip


def test_a_chosen_facet_value_keeps_its_page_link(browser):  # noqa: F811
    page = browser.page(f"/{DATABASE}/quote_details?speaker=Home+Office")
    assert facet_values(page, "speaker") == {"Home Office": pages_of(browser)["Home Office"]}


def test_speaker_and_name_cells_link_to_the_page_of_the_id_their_row_carries(browser):  # noqa: F811
    pages = pages_of(browser)
    for path, column in [("quote_details", "speaker"), ("quotes", "speaker"), ("contact_details", "name"),
                         ("contacts", "name"), ("people", "name"), ("organisations", "name")]:  # fmt: skip
        shown = cells(browser.page(f"/{DATABASE}/{path}"), column)
        assert shown and shown == [(pages[name], name) for _, name in shown], path  # every one linked, rightly
    phones = cells(browser.page(f"/{DATABASE}/contact_phones_over_time?contact="), "name")
    assert phones == [(pages["Press Office"], "Press Office")]  # an office's phones too (Marie Dubois gave none)


def test_a_value_whose_rows_carry_several_ids_gets_no_page_link(tmp_path):
    """Two people printed alike (a name changed behind iwfdb's back): filtering by the name finds both, so the
    facet links to neither; each row's cell still links to its own person."""
    archive = build_archive(NAMESAKES, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE people SET name = 'Marie Dubois' WHERE name = 'Jean Dubois'")
        ids = [row[0] for row in connection.execute("SELECT id FROM people ORDER BY id")]
    site = Browser(archive)
    try:
        page = site.page(f"/{DATABASE}/quote_details")
    finally:
        site.close()
    shown = facet_values(page, "speaker")
    assert shown["Marie Dubois"] is None and shown["Home Office"] is not None
    assert {(f"/{DATABASE}/people/{id_}", "Marie Dubois") for id_ in ids} <= set(cells(page, "speaker"))


def test_names_in_facets_and_cells_are_text_never_markup(tmp_path):
    archive = build_archive(NAMESAKES, tmp_path / "a.sqlite")
    with sqlite3.connect(archive) as connection:
        connection.execute("UPDATE people SET name = ? WHERE name = 'Marie Dubois'", (HOSTILE,))
        connection.execute("UPDATE contacts SET name = ? WHERE name = 'Marie Dubois'", (HOSTILE,))
    site = Browser(archive)
    try:
        pages = [site.page(f"/{DATABASE}/{path}") for path in ("quote_details", "contact_details", "people")]
    finally:
        site.close()
    for page in pages:
        assert "<script>alert" not in page and '"Dubois"<' not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#39;Marie&#39; &amp; &#34;Dubois&#34;" in page
    assert facet_values(pages[0], "speaker")[HOSTILE].startswith(f"/{DATABASE}/people/")

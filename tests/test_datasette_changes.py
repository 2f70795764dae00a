"""What changed, on the web page: a statement's versions, the difference of any revision, and the Atom feeds,
through Datasette's test client, on both engines (a PostgreSQL archive is served through its SQLite copy, as
`iwfdb serve --db postgresql://...` serves it). Hostile archive text reaches no page as markup or control bytes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import feedparser
import pytest
from browse_helpers import Browser
from helpers import FIXTURES, iwfdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_diff import FIRST, SECOND, THIRD

from iwfdb.datasette.metadata import DATABASE
from iwfdb.db.copy import make_copy

HOSTILE = FIRST.replace("welcomes", 'welcomes <img src=x onerror=alert(1)> \x1b[2J \u202egone')


def load_versions(db, folder: Path, *texts: str) -> None:
    for number, text in enumerate(texts):
        version = folder / f"v{number}"
        version.mkdir()
        (version / "a.txt").write_text(text, encoding="utf-8")
        assert iwfdb(db, "load", version).exit_code == 0


def served_file(db, folder: Path) -> Path:
    """The SQLite file `iwfdb serve` shows for this archive: the file itself, or a PostgreSQL archive's copy."""
    if db.is_sqlite:
        return db.path
    copy = folder / "copy.sqlite"
    make_copy(db, copy)
    return copy


@pytest.fixture
def browser(db, tmp_path):
    """The speakers fixtures, then a statement loaded three times (revisions 1 and 2, then the current text)."""
    assert iwfdb(db, "load", FIXTURES / "speakers").exit_code == 0
    load_versions(db, tmp_path, FIRST, SECOND, THIRD)
    browser = Browser(served_file(db, tmp_path))
    yield browser
    browser.close()


def revised_id(browser: Browser) -> int:
    (row,) = browser.rows("statements", title="Our position on encryption")
    return row["id"]


def atom(browser: Browser, path: str):
    response = browser.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_a_statement_page_lists_its_versions_with_links_to_what_changed(browser):
    statement = revised_id(browser)
    page = browser.page(f"/{DATABASE}/statements/{statement}")
    versions = page[page.index('id="versions"'):]
    assert f'<a href="/{DATABASE}/statements/{statement}/changes">see what changed</a>' in versions
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>", versions)
    assert [row[0] for row in rows] == ["revision 1", "revision 2", "the current text"]
    assert rows[0][3].endswith("/v0/a.txt</code>") and rows[2][3].endswith("/v2/a.txt</code>")
    assert rows[0][2] and not rows[2][2]  # replaced when, and the current text not yet
    assert f'href="/{DATABASE}/statements/{statement}/changes?revision=1">what changed since</a>' in versions


def test_a_statement_that_never_changed_shows_no_versions(browser):
    (other, *_) = browser.rows("statements", title="Ministers and the IWF launch a joint campaign")
    assert 'id="versions"' not in browser.page(f"/{DATABASE}/statements/{other['id']}")


def test_what_changed_is_shown_word_by_word(browser):
    statement = revised_id(browser)
    latest = browser.page(f"/{DATABASE}/statements/{statement}/changes")
    assert "from revision 2" in latest and "to the current text" in latest
    assert "The Internet Watch Foundation <ins>warmly </ins>welcomes" in latest and "<del>" not in _diff(latest)
    whole = _diff(browser.page(f"/{DATABASE}/statements/{statement}/changes?revision=1"))
    assert "<del>safe.&#34;</del><ins>the safest place.”</ins>" in whole and "<ins>warmly </ins>" in whole
    assert "— today" in whole and "<del>--" not in whole  # a dash of another kind is no change


def test_a_change_of_typography_only_is_said_to_be_none(db, tmp_path):
    load_versions(db, tmp_path, FIRST, FIRST.replace(" -- today", " — today").replace('"The', "“The"))
    browser = Browser(served_file(db, tmp_path))
    try:
        page = browser.page(f"/{DATABASE}/statements/1/changes")
    finally:
        browser.close()
    assert "Nothing changed</strong> but spacing, quote marks or dashes" in page
    assert "<ins>" not in _diff(page) and "<del>" not in _diff(page) and "— today" in _diff(page)


def test_the_home_page_lists_the_statements_that_changed_lately_each_with_what_changed(browser):
    statement = revised_id(browser)
    changed = recently_changed(browser.page("/"))
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', changed)
    assert links == [(f"/{DATABASE}/statements/{statement}", "Our position on encryption"),
                     (f"/{DATABASE}/statements/{statement}/changes?revision=2", "what changed"),
                     (f"/{DATABASE}/statements/{statement}", "Our position on encryption"),
                     (f"/{DATABASE}/statements/{statement}/changes?revision=1", "what changed"),
                     (f"/{DATABASE}/-/feeds/changed.atom", "feed of changed statements")]  # fmt: skip
    assert len(re.findall(r'<span class="when">\d{4}-\d{2}-\d{2}</span>', changed)) == 2  # the day each was replaced


def test_the_home_page_passes_over_a_change_of_typography_only_and_says_when_nothing_changed(db, tmp_path):
    typography_only = THIRD.replace(" — today", " -- today").replace("“The", '"The')
    load_versions(db, tmp_path, THIRD, typography_only)
    browser = Browser(served_file(db, tmp_path))
    try:
        changed = recently_changed(browser.page("/"))
    finally:
        browser.close()
    assert "No statement has changed its words since it was archived." in changed and "what changed" not in changed


def recently_changed(page: str) -> str:
    return page.split("<h2>Recently changed</h2>", 1)[1].split("<h2", 1)[0]


def test_a_statement_that_is_not_there_or_never_changed_is_not_found(browser):
    assert browser.get(f"/{DATABASE}/statements/999/changes").status_code == 404
    (other, *_) = browser.rows("statements", title="Ministers and the IWF launch a joint campaign")
    response = browser.get(f"/{DATABASE}/statements/{other['id']}/changes")
    assert response.status_code == 404 and "has no earlier version" in response.text


def test_the_feeds_are_atom_and_link_to_this_servers_pages(browser):
    new = atom(browser, f"/{DATABASE}/-/feeds/new.atom")
    assert new.feed.title == "New statements" and len(new.entries) == 3
    statement = revised_id(browser)
    assert new.entries[0].link == f"http://localhost/{DATABASE}/statements/{statement}"
    changed = atom(browser, f"/{DATABASE}/-/feeds/changed.atom")
    assert [entry.title for entry in changed.entries] == ["Changed: Our position on encryption"] * 2
    assert "<ins>warmly </ins>" in changed.entries[0].content[0].value
    found = atom(browser, f"/{DATABASE}/-/feeds/search.atom?q=encryption")
    assert [entry.title for entry in found.entries] == ["Our position on encryption"]
    assert len(atom(browser, f"/{DATABASE}/-/feeds/new.atom?limit=1").entries) == 1
    nul = atom(browser, f"/{DATABASE}/-/feeds/search.atom?q=encryption%00")  # FTS5 read a NUL as the query's end
    assert [entry.title for entry in nul.entries] == ["Our position on encryption"]


def test_the_feed_of_a_person_holds_their_quotes(browser):
    (person,) = browser.rows("people", name="Susie Hargreaves")
    feed = atom(browser, f"/{DATABASE}/-/feeds/person/{person['id']}.atom")
    assert feed.feed.title == "What Susie Hargreaves said" and feed.entries
    assert all("Hargreaves" in entry.author for entry in feed.entries), [entry.author for entry in feed.entries]


def test_the_feed_of_an_organisation_holds_its_quotes_and_its_page_announces_it(browser):
    spoke = browser.execute("SELECT o.id, o.name FROM organisations o WHERE EXISTS (SELECT 1 FROM quote_speakers x "
                            "WHERE x.organisation_id = o.id) ORDER BY o.id LIMIT 1").rows  # fmt: skip
    assert spoke, "the speakers fixtures have an organisation that speaks"
    (id_, name), path = spoke[0], f"/{DATABASE}/-/feeds/organisation/{spoke[0][0]}.atom"
    feed = atom(browser, path)
    assert feed.feed.title == f"What {name} said" and feed.entries
    assert f'title="This organisation&#39;s quotes" href="{path}"' in browser.page(f"/{DATABASE}/organisations/{id_}")


@pytest.mark.parametrize("path, status, message", [
    ("statements/{statement}/changes?revision=9", 404, "has no revision 9; its revisions are 1, 2"),
    ("statements/{statement}/changes?revision=abc", 400, "revision=&#39;abc&#39; is not a number"),
    ("statements/{statement}/changes?to=-1", 400, "to=&#39;-1&#39; is not a number"),
    ("-/feeds/search.atom", 400, "give the words to find as q=WORDS"),
    ("-/feeds/search.atom?q=" + "x" * 201, 400, "at most 200 characters"),
    ("-/feeds/search.atom?q=%1B+-", 400, "nothing to search for in &#39;\\x1b -&#39;: give at least one word"),
    ("-/feeds/new.atom?limit=0", 400, "limit=0: give a number of entries from 1 to 1000"),
    ("-/feeds/new.atom?limit=5000", 400, "limit=5000: give a number of entries from 1 to 1000"),
    ("-/feeds/person/999.atom", 404, "no person has the id 999"),
    ("-/feeds/organisation/999.atom", 404, "no organisation has the id 999"),
    ("-/feeds/nosuch.atom", 404, "Error 404"),
    ("statements/99999999999999999999999/changes", 404, "Error 404"),  # past SQLite's integers
    ("-/feeds/person/99999999999999999999999.atom", 404, "Error 404"),
])  # fmt: skip
def test_a_wrong_address_says_what_to_give(browser, path, status, message):
    response = browser.get(f"/{DATABASE}/" + path.format(statement=revised_id(browser)))
    assert response.status_code == status and message in response.text, response.text[:500]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["statements/{statement}/changes", "-/feeds/new.atom", "-/feeds/search.atom"]),
       name=st.sampled_from(["revision", "to", "limit", "q"]), value=st.text(max_size=300))  # fmt: skip
def test_whatever_a_visitor_types_is_answered_or_refused_never_a_server_error(browser, path, name, value):
    response = browser.get(f"/{DATABASE}/" + path.format(statement=revised_id(browser)) + "?" +
                           urlencode({name: value}))  # fmt: skip
    assert response.status_code in (200, 400, 404), response.text[:500]


def test_every_page_announces_the_feeds_and_a_person_or_a_search_its_own(browser):
    announced = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')
    home = announced.findall(browser.page("/"))
    assert home == [("New statements", f"/{DATABASE}/-/feeds/new.atom"),
                    ("Changed statements", f"/{DATABASE}/-/feeds/changed.atom")]  # fmt: skip
    (person,) = browser.rows("people", name="Susie Hargreaves")
    own = announced.findall(browser.page(f"/{DATABASE}/people/{person['id']}"))[-1]
    assert own == ("This person&#39;s quotes", f"/{DATABASE}/-/feeds/person/{person['id']}.atom")
    searched = announced.findall(browser.page(f"/{DATABASE}/statements?_search=online+safety"))[-1]
    assert searched == ("Statements mentioning online safety", f"/{DATABASE}/-/feeds/search.atom?q=online+safety")
    statement = browser.page(f"/{DATABASE}/statements/{revised_id(browser)}")
    assert f'<a href="/{DATABASE}/-/feeds/changed.atom">Changed statements</a>' in statement  # in the footer


def test_hostile_text_reaches_no_page_or_feed_as_markup_or_control_bytes(db, tmp_path):
    load_versions(db, tmp_path, HOSTILE, HOSTILE.replace("today", "today <script>alert('x')</script>"))
    browser = Browser(served_file(db, tmp_path))
    try:
        pages = [browser.page(f"/{DATABASE}/statements/1/changes"), browser.page(f"/{DATABASE}/statements/1/changes"
                 "?revision=1&to=1"), browser.get(f"/{DATABASE}/-/feeds/changed.atom").text,
                 browser.get(f"/{DATABASE}/-/feeds/new.atom").text,
                 browser.page(f"/{DATABASE}/statements?_search=%3Cscript%3E%22%3E%3Cb%3E"), browser.page("/")]  # fmt: skip
    finally:
        browser.close()
    diff = _diff(pages[0])
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in diff.split("<ins>", 1)[1] and "\\x1b[2J" in diff
    assert "\\u202egone" in diff
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
        assert "\x1b" not in page and "\u202e" not in page


def _diff(page: str) -> str:
    return page[page.index('<div class="iwfdb-diff">'):page.index('<h2 id="versions">')]

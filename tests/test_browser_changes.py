"""What changed, in a real browser (Debian's headless chromium, driven by chromedriver), on both engines (a
PostgreSQL archive through the SQLite copy `iwfdb serve` keeps): a person opens a revised statement, clicks
through to what changed, sees the words taken out and put in, and follows the feed of changes to its Atom.

In CI (CI is set) a missing or broken chromium fails the test; elsewhere a missing one skips it, saying why.
"""

from __future__ import annotations

import urllib.request

import feedparser
from browse_helpers import ServeProcess, require
from helpers import FIXTURES, db_option, iwfdb
from test_browser import WAIT_SECONDS, chromium  # noqa: F401 (the fixture; test_browser requires selenium first)
from test_datasette_changes import load_versions
from test_diff import FIRST, SECOND, THIRD

from iwfdb.datasette.metadata import DATABASE

require("selenium.webdriver", 'pip install -e ".[test]"')
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def test_a_person_reads_what_changed_in_a_statement_and_follows_its_feed(chromium, db, tmp_path):  # noqa: F811
    assert iwfdb(db, "load", FIXTURES / "speakers").exit_code == 0
    load_versions(db, tmp_path, FIRST, SECOND, THIRD)
    options = () if db.is_sqlite else ("--copy", str(tmp_path / "copy.sqlite"))
    with ServeProcess(db_option(db), *options) as server:
        chromium.get(f"{server.url}{DATABASE}/statement_overview?title=Our+position+on+encryption")
        chromium.find_element(By.LINK_TEXT, "Our position on encryption").click()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.presence_of_element_located(
            (By.ID, "versions")))  # fmt: skip
        chromium.find_element(By.LINK_TEXT, "see what changed").click()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.url_contains("/changes"))
        heading = chromium.find_element(By.TAG_NAME, "h1").text
        put_in = [mark.text for mark in chromium.find_elements(By.CSS_SELECTOR, ".iwfdb-diff ins")]
        chromium.find_element(By.XPATH, "//tr[td[1]='revision 1']//a[.='what changed since']").click()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.url_contains("revision=1"))
        taken_out = [mark.text for mark in chromium.find_elements(By.CSS_SELECTOR, ".iwfdb-diff del")]
        announced = chromium.find_element(By.CSS_SELECTOR, 'link[rel="alternate"][title="Changed statements"]'
                                          ).get_attribute("href")  # fmt: skip
        feed_link = chromium.find_element(By.LINK_TEXT, "Changed statements")
        href = feed_link.get_attribute("href")
        feed_link.click()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.url_contains("changed.atom"))
        shown = chromium.page_source
        with urllib.request.urlopen(href, timeout=WAIT_SECONDS) as response:
            content_type, document = response.headers["Content-Type"], response.read().decode()
        server.interrupt()
    assert heading == "What changed" and [text.strip() for text in put_in] == ["warmly"]
    assert [text.strip() for text in taken_out] == ['safe."']
    assert announced == href == f"{server.url}{DATABASE}/-/feeds/changed.atom"
    assert "Changed: Our position on encryption" in shown
    feed = feedparser.parse(document)
    assert content_type == "application/atom+xml; charset=utf-8" and not feed.bozo and feed.version == "atom10"
    assert "<ins>warmly </ins>" in feed.entries[0].content[0].value

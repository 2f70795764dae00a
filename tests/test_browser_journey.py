"""A journalist's journey in a real browser (headless chromium, as test_browser.py drives it), on both engines (a
PostgreSQL archive through the SQLite copy `iwfdb serve` keeps): search a phrase on the home page, open a statement
found, click its speaker, read that person's quotes with their dates, open another statement of hers from there,
see what changed in it since it was first archived, and follow the feed of changes to its Atom. Nothing typed but
the phrase; every step a click on what the page shows.

In CI (CI is set) a missing chromium or PostgreSQL fails the test; elsewhere a missing one skips it, saying why.
"""

from __future__ import annotations

import urllib.request

import feedparser
from browse_helpers import ServeProcess
from helpers import FIXTURES, db_option, iwfdb
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT_SECONDS, chromium  # noqa: F401 (the fixture; test_browser requires selenium first)
from test_datasette_changes import load_versions
from test_diff import FIRST, SECOND, THIRD

from iwfdb.datasette.metadata import DATABASE

CAMPAIGN = "Minister and the IWF start a campaign on end-to-end encryption"
REVISED = "Our position on encryption"  # FIRST, SECOND and THIRD: her statement, loaded three times
HER_DATES = ["2022-03-08", "2022-03-08", "2021-05-12", "2020-06-05", "2020-01-15"]


def wait_for(driver, condition) -> None:
    WebDriverWait(driver, WAIT_SECONDS).until(condition)


def heading_says(text: str):
    return expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), text)


def search_then_read_her_quotes(driver, url: str) -> list[tuple[str, str]]:
    """From the home page to Susie Hargreaves' quotes: (date, text) of each, newest first."""
    driver.get(url)
    search = driver.find_element(By.NAME, "q")
    search.send_keys("hiding place")
    search.submit()
    wait_for(driver, expected_conditions.url_contains("q=hiding+place"))
    hits = driver.find_element(By.CSS_SELECTOR, "ol.hits")
    assert "hiding place" in hits.text
    hits.find_element(By.LINK_TEXT, CAMPAIGN).click()
    wait_for(driver, heading_says(CAMPAIGN))
    driver.find_element(By.CSS_SELECTOR, "blockquote.quote").find_element(By.LINK_TEXT, "Susie Hargreaves").click()
    wait_for(driver, heading_says("Susie Hargreaves"))
    quotes = driver.find_elements(By.CSS_SELECTOR, "blockquote.quote")
    assert "said together with Baroness Amos" in quotes[0].text
    return [(quote.find_element(By.CSS_SELECTOR, ".when").text, quote.find_element(By.TAG_NAME, "p").text)
            for quote in quotes]  # fmt: skip


def what_changed(driver) -> tuple[list[str], list[str]]:
    """From a revised statement's page: the words put in by the latest change, and those taken out since the
    first revision."""
    driver.find_element(By.LINK_TEXT, "see what changed").click()
    wait_for(driver, expected_conditions.url_contains("/changes"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "What changed"
    put_in = [mark.text.strip() for mark in driver.find_elements(By.CSS_SELECTOR, ".iwfdb-diff ins")]
    driver.find_element(By.XPATH, "//tr[td[1]='revision 1']//a[.='what changed since']").click()
    wait_for(driver, expected_conditions.url_contains("revision=1"))
    taken_out = [mark.text.strip() for mark in driver.find_elements(By.CSS_SELECTOR, ".iwfdb-diff del")]
    return put_in, taken_out


def test_a_journalist_finds_who_said_what_and_when_and_what_changed_by_clicking(chromium, db, tmp_path):  # noqa: F811
    assert iwfdb(db, "load", FIXTURES / "web_reading").exit_code == 0
    load_versions(db, tmp_path, FIRST, SECOND, THIRD)
    options = () if db.is_sqlite else ("--copy", str(tmp_path / "copy.sqlite"))
    with ServeProcess(db_option(db), *options) as server:
        said = search_then_read_her_quotes(chromium, server.url)
        chromium.find_elements(By.CSS_SELECTOR, "blockquote.quote")[2].find_element(By.LINK_TEXT, REVISED).click()
        wait_for(chromium, heading_says(REVISED))
        statement = chromium.find_element(By.TAG_NAME, "article").text
        put_in, taken_out = what_changed(chromium)
        announced = chromium.find_element(By.CSS_SELECTOR, 'link[rel="alternate"][title="Changed statements"]'
                                          ).get_attribute("href")  # fmt: skip
        feed_link = chromium.find_element(By.LINK_TEXT, "Changed statements")
        href = feed_link.get_attribute("href")
        feed_link.click()
        wait_for(chromium, expected_conditions.url_contains("changed.atom"))
        shown = chromium.page_source
        with urllib.request.urlopen(href, timeout=WAIT_SECONDS) as response:
            content_type, document = response.headers["Content-Type"], response.read().decode()
        server.interrupt()
    assert [when for when, _ in said] == HER_DATES
    assert said[0][1] == "“End-to-end encryption must not become a hiding place for abuse.”"
    assert said[2][1] == "“The Bill must make the UK the safest place.”"
    assert "Statement · 2021-05-12" in statement and "warmly welcomes" in statement
    assert put_in == ["warmly"] and taken_out == ['safe."']
    assert announced == href == f"{server.url}{DATABASE}/-/feeds/changed.atom"
    assert "Changed: Our position on encryption" in shown
    feed = feedparser.parse(document)
    assert content_type == "application/atom+xml; charset=utf-8" and not feed.bozo and feed.version == "atom10"
    assert "<ins>warmly </ins>" in feed.entries[0].content[0].value

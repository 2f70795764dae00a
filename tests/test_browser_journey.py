"""A journalist's journey in a real browser (headless chromium, as test_browser.py drives it): search a phrase on
the home page, open a statement found, click its speaker, read that person's quotes with their dates, and open
another statement from there. Nothing typed but the phrase; every step a click on what the page shows.
"""

from __future__ import annotations

import re

from browse_helpers import ServeProcess
from helpers import FIXTURES, build_archive
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT_SECONDS, chromium  # noqa: F401 (the fixture)

CAMPAIGN = "Minister and the IWF start a campaign on end-to-end encryption"
OTHER = "Government responds to record reports"


def wait_for_heading(driver, text: str) -> None:
    WebDriverWait(driver, WAIT_SECONDS).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))


def test_a_journalist_finds_who_said_what_and_when_by_clicking(chromium, tmp_path):  # noqa: F811
    archive = build_archive(FIXTURES / "web_reading", tmp_path / "archive.sqlite")
    with ServeProcess(archive) as server:
        chromium.get(server.url)
        search = chromium.find_element(By.NAME, "q")
        search.send_keys("hiding place")
        search.submit()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.url_contains("q=hiding+place"))
        found = chromium.find_element(By.CSS_SELECTOR, "ol.hits").text
        assert "hiding place" in found

        chromium.find_element(By.CSS_SELECTOR, "ol.hits").find_element(By.LINK_TEXT, CAMPAIGN).click()
        wait_for_heading(chromium, CAMPAIGN)
        joint_quote = chromium.find_element(By.CSS_SELECTOR, "blockquote.quote")
        joint_quote.find_element(By.LINK_TEXT, "Susie Hargreaves").click()

        wait_for_heading(chromium, "Susie Hargreaves")
        quotes = chromium.find_elements(By.CSS_SELECTOR, "blockquote.quote")
        said = [(quote.find_element(By.CSS_SELECTOR, ".when").text, quote.find_element(By.TAG_NAME, "p").text)
                for quote in quotes]  # fmt: skip
        assert [when for when, _ in said] == ["2022-03-08", "2022-03-08", "2020-06-05", "2020-01-15"]
        assert said[0][1] == "“End-to-end encryption must not become a hiding place for abuse.”"
        assert "said together with Baroness Amos" in quotes[0].text

        quotes[-1].find_element(By.LINK_TEXT, OTHER).click()
        wait_for_heading(chromium, OTHER)
        page = chromium.find_element(By.TAG_NAME, "article").text
        server.interrupt()
    assert re.search(r"Statement · 2020-01-15", page)
    assert "“Every report is a child who needs help.”" in page

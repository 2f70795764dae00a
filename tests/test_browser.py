"""One check in a real browser (Debian's headless chromium, driven by chromedriver): a person opens the home
page, goes to the statements, types words in the search box, and reads the statements found.

In CI (CI is set) a missing or broken chromium fails the test; elsewhere a missing one skips it, saying why.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browse_helpers import ServeProcess, in_ci, require
from helpers import READ_FIXTURES, build_archive

webdriver = require("selenium.webdriver", 'pip install -e ".[test]"')
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# As root chromium needs --no-sandbox; the other flags keep it from reaching for the network at start.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")  # fmt: skip
INSTALL = "apt-get install -y chromium chromium-driver"
WAIT_SECONDS = 30


def browser_paths() -> tuple[str, str]:
    """Debian's chromium and chromedriver; skipped when missing, except in CI, where that fails."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    if in_ci():
        pytest.fail(f"CI needs chromium and chromedriver for the browser test: {INSTALL} (.ci/run does)")
    pytest.skip(f"no chromium or chromedriver here: {INSTALL}")


@pytest.fixture
def chromium(tmp_path: Path):
    binary, driver_path = browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()


def test_a_person_searches_the_statements_and_reads_what_was_found(chromium, tmp_path):
    archive = build_archive(READ_FIXTURES, tmp_path / "archive.sqlite")
    with ServeProcess(archive) as server:
        chromium.get(server.url)
        assert "IWF press statements" in chromium.find_element(By.TAG_NAME, "h1").text
        chromium.find_element(By.LINK_TEXT, "statements").click()
        search = WebDriverWait(chromium, WAIT_SECONDS).until(
            expected_conditions.presence_of_element_located((By.NAME, "_search")))
        search.send_keys("hash")
        search.submit()
        WebDriverWait(chromium, WAIT_SECONDS).until(expected_conditions.url_contains("_search=hash"))
        heading = chromium.find_element(By.CSS_SELECTOR, "h3").text
        found = [cell.text for cell in chromium.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-title")]
        server.interrupt()
    assert heading.startswith('2 rows where search matches "hash"')
    assert sorted(found) == ["IWF's work with industry and social networks",
                             "The Image Hash List passes one million hashes"]

"""The same statement from two sources is one statement: a text and its web page, two crawls of one address,
a titled page and a body-only rendering of it. What one source does not state, the other keeps."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import FIXTURES, SEED, iwfdb, rows

SEED_HTML = FIXTURES / "html" / "seed.html"
SEED_URL = "https://www.iwf.org.uk/news-media/news/statement-iwf-s-work-with-industry-and-social-networks/"
TITLE = "IWF's work with industry and social networks"


def load(db, *paths):
    result = iwfdb(db, "load", "--json", *paths)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def full_statements(db):
    return rows(db, "SELECT title, published, url, publisher FROM statements WHERE NOT card_only")


@pytest.mark.parametrize("order", ["text first", "page first"])
def test_a_text_and_its_web_page_are_one_statement_with_the_pages_address(db, tmp_path, order):
    text, page = shutil.copy(SEED, tmp_path / "seed.txt"), shutil.copy(SEED_HTML, tmp_path / "seed.html")
    for path in ((text, page) if order == "text first" else (page, text)):
        load(db, path)
    assert full_statements(db) == [(TITLE, "2017-03-07", SEED_URL, "IWF")]
    (email,) = rows(db, "SELECT email FROM contacts c JOIN statements s ON s.id = c.statement_id "
                        "WHERE NOT s.card_only")[0]  # fmt: skip
    assert (email is None) == (order == "page first")  # the later text's contact is what stands, as printed
    assert rows(db, "SELECT count(*) FROM revisions") == [(1,)]


def test_two_crawls_of_one_address_are_one_statement_under_its_newest_title(db, tmp_path):
    first, second = tmp_path / "2023", tmp_path / "2024"
    first.mkdir(), second.mkdir()
    shutil.copy(SEED_HTML, first / "page.html")
    retitled = SEED_HTML.read_text(encoding="utf-8").replace("work with industry and social networks</h1>",
                                                             "work with industry</h1>")  # fmt: skip
    (second / "page.html").write_text(retitled, encoding="utf-8")
    load(db, first)
    summary = load(db, second)
    assert summary["merges"] and "the same address" in summary["merges"][0]
    ((title, url),) = rows(db, "SELECT title, url FROM statements WHERE NOT card_only")
    assert (title, url) == ("IWF's work with industry", SEED_URL)
    assert rows(db, "SELECT match_key FROM statements WHERE NOT card_only") == [("iwf's work with industry|2017-03-07",)]
    assert rows(db, "SELECT count(*) FROM revisions") == [(1,)]


@pytest.mark.parametrize("order", ["titled first", "body-only first"])
def test_a_body_only_rendering_is_the_statement_its_opening_paragraphs_are(db, tmp_path, order):
    titled = shutil.copy(SEED, tmp_path / "titled.txt")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body_only = tmp_path / "body_only.txt"
    body_only.write_text("\n".join(lines[4:]) + "\n", encoding="utf-8")  # no title, no `Published:` line
    summaries = [load(db, path) for path in ((titled, body_only) if order == "titled first" else (body_only, titled))]
    assert "the same opening paragraphs" in summaries[1]["merges"][0]
    assert full_statements(db) == [(TITLE, "2017-03-07", None, "IWF")]
    assert rows(db, "SELECT match_key FROM statements WHERE NOT card_only") == [("iwf's work with industry and "
                                                                                "social networks|2017-03-07",)]


def test_two_statements_that_open_alike_but_have_their_own_titles_stay_two(db, tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    other = SEED.read_text(encoding="utf-8").replace(TITLE, "Another statement that opens the same way")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    summary = load(db, tmp_path)
    assert summary["merges"] == [] and len(full_statements(db)) == 2


@pytest.mark.parametrize("later", [False, True], ids=["in one load", "in a later load"])
def test_a_body_only_rendering_whose_opening_two_titled_statements_share_is_merged_with_neither(db, tmp_path, later):
    titled = tmp_path / "titled"
    titled.mkdir()
    shutil.copy(SEED, titled / "a.txt")
    other = SEED.read_text(encoding="utf-8").replace(TITLE, "Another statement that opens the same way")
    (titled / "b.txt").write_text(other, encoding="utf-8")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body_only = tmp_path / "z_body_only.txt"
    body_only.write_text("\n".join(lines[4:]) + "\n", encoding="utf-8")
    summaries = [load(db, titled), load(db, body_only)] if later else [load(db, titled, body_only)]
    assert all(summary["merges"] == [] for summary in summaries)  # which of the two it is cannot be told
    assert len(full_statements(db)) == 3


# Merges that never lose a page


def _article(address: str | None, title: str, words: str, saved_from: str | None = None) -> str:
    canonical = f'<link rel="canonical" href="{address}">' if address else ""
    comment = f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n" if saved_from else ""
    return (f'{comment}<!DOCTYPE html>\n<html>\n<head>\n{canonical}\n<meta property="og:site_name" content="IWF">\n'
            f"</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{words} The Internet Watch Foundation said so.</p>\n"
            f"<p>Analysts at the IWF will keep watch over {words.lower()}</p>\n</main>\n</body>\n</html>\n")


@pytest.mark.parametrize("how", ["one load", "two loads"])
@pytest.mark.parametrize("title", ["Hotline figures for March", "Supported by"])
def test_two_pages_with_other_addresses_are_never_one_statement(db, tmp_path, how, title):
    first, second = tmp_path / "a" / "first.html", tmp_path / "b" / "second.html"
    for path, address, words in ((first, "https://www.iwf.org.uk/news/march-figures/", "Reports rose in March."),
                                 (second, "https://www.iwf.org.uk/news/march-grants/", "Grants were made in March.")):
        path.parent.mkdir()
        path.write_text(_article(address, title, words), encoding="utf-8")
    summaries = [load(db, tmp_path)] if how == "one load" else [load(db, first), load(db, second)]
    assert sorted(url for (_, _, url, _) in full_statements(db)) == [
        "https://www.iwf.org.uk/news/march-figures/", "https://www.iwf.org.uk/news/march-grants/"]
    assert rows(db, "SELECT count(*) FROM revisions") == [(0,)]
    declined = [note for summary in summaries for note in summary["declined_merges"]]
    if title == "Supported by":  # a label is no key: nothing to decline
        assert declined == []
    else:
        assert declined == [f"{second}: the same title and date as the page at "
                            "https://www.iwf.org.uk/news/march-figures/, but another address: kept apart"]
    again = load(db, tmp_path)  # and a re-load finds each page's own statement
    assert again["files"]["unchanged"] == 2 and again["declined_merges"] == []


def test_pages_titled_with_a_label_and_no_address_are_kept_apart(db, tmp_path):
    for name, words in (("one.html", "Reports rose in March."), ("two.html", "Grants were made in April.")):
        (tmp_path / name).write_text(_article(None, "Supported by", words), encoding="utf-8")
    load(db, tmp_path)
    assert len(full_statements(db)) == 2
    assert rows(db, "SELECT count(*) FROM revisions") == [(0,)]
    assert all(key.startswith("file:") for (key,) in rows(db, "SELECT match_key FROM statements"))


@pytest.mark.parametrize("order", ["fetched first", "crawled first"])
def test_the_same_page_fetched_and_crawled_is_one_statement_not_a_conflict(db, tmp_path, order):
    from test_gate import _write_crawl

    address = "https://www.iwf.org.uk/news/march-figures/"
    crawled = _article(address, "Hotline figures for March", "Reports rose in March.")
    fetched = tmp_path / "pages" / "march-figures.html"
    fetched.parent.mkdir()
    fetched.write_text(_article(address, "Hotline figures for March", "Reports rose in March.", saved_from=address),
                       encoding="utf-8")  # fmt: skip
    crawl = tmp_path / "crawl.warc.gz"
    _write_crawl(crawl, {address: crawled.encode()})
    first, second = (fetched, crawl) if order == "fetched first" else (crawl, fetched)
    load(db, first)
    summary = load(db, second)
    assert summary["conflicts"] == [] and summary["files"]["duplicate"] == 1
    assert "(another copy of the page), already archived" in summary["duplicates"][0]
    assert rows(db, "SELECT count(*) FROM revisions") == [(0,)]
    assert len(full_statements(db)) == 1

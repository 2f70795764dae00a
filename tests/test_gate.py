"""The gate: which pages are the IWF's statements, which are another organisation's, and which are no statement.

Each fixture in tests/fixtures/gate/ is a page or text in the style of a real site (the IWF's, a news site's, a
parliament's, a charity's, the International Weightlifting Federation's); GATE says what becomes of it, with and
without --publisher.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iwfdb.cli import app
from iwfdb.errors import ParseError
from iwfdb.keys import is_other_address
from iwfdb.parse import parse_bytes, parse_text
from iwfdb.parse.html_meta import PageFacts

from helpers import FIXTURES, iwfdb, rows

GATE_PAGES = FIXTURES / "gate"
NSPCC_PAGE = FIXTURES / "html" / "nspcc.html"
HOW = "load it with --publisher"

# fixture: (--publisher given, what becomes of it: ("publisher", name) or ("refused", words of the reason))
GATE = {
    # the IWF's own pages and texts: its site, its name as publisher, its name in full, its own voice
    "iwf_news.html": (None, ("publisher", "IWF")),
    "iwf_no_site_name.html": (None, ("publisher", "IWF")),
    "iwf_full_name.txt": (None, ("publisher", "IWF")),
    "iwf_our_voice.txt": (None, ("publisher", "IWF")),
    "ad_widget.txt": (None, ("publisher", "IWF")),
    # news coverage of the IWF: not its statement
    "news_bbc.html": (None, ("refused", "the page states its publisher, BBC News; to archive it as BBC News's, "
                             "load it with --publisher 'BBC News'")),
    "news_guardian_jsonld.html": (None, ("refused", "the page states its publisher, The Guardian")),
    "news_coverage.txt": (None, ("refused", "a report on the IWF ('according to the Internet Watch Foundation'")),
    "news_told.txt": (None, ("refused", "a report on the IWF ('told The Independent that'")),
    "news_coverage_de.txt": (None, ("refused", "a report on the IWF ('laut der Internet Watch Foundation'")),
    # another organisation that states its publisher: refused without --publisher, its own name kept with one
    "europarl.html": (None, ("refused", "the page states its publisher, European Parliament")),
    # the other IWF
    "weightlifting.html": (None, ("refused", "the page calls its publisher 'IWF', but its address is on iwf.sport")),
    "weightlifting.txt": (None, ("refused", "'IWF' here is the International Weightlifting Federation")),
    "weightlifting_saved.html": (None, ("refused", "'IWF' here is the International Weightlifting Federation")),
    # pages of a crawl that are no statement
    "iwf_listing.html": (None, ("refused", "not a statement page: a listing")),
    "iwf_about.html": (None, ("refused", "not a statement page: an about page")),
    "iwf_job.html": (None, ("refused", "not a statement page: a job offer")),
    "nspcc_donate.html": (None, ("refused", "not a statement page: a donation page")),
    "iwf_search.html": (None, ("refused", "not a statement page: search results")),
    "ad_feedback_widget.html": (None, ("refused", "not a statement page: a widget or a section's page ('Ad Feedback')")),
    # when unsure, the page is kept: an about page with a date and a quote, a section that says nothing
    "unsure_about_dated.html": (None, ("publisher", "IWF")),
    "unsure_section.html": (None, ("publisher", "IWF")),
    # with --publisher: a page that states none takes it, one that states its own keeps it
    "news_coverage.txt#sky": ("Sky News", ("publisher", "Sky News")),
    "news_bbc.html#bbc": ("BBC News", ("publisher", "BBC News")),
    "europarl.html#ep": ("EP", ("publisher", "European Parliament")),
    "weightlifting.txt#iwf-sport": ("International Weightlifting Federation",
                                    ("publisher", "International Weightlifting Federation")),
    "iwf_news.html#nspcc": ("NSPCC", ("publisher", "IWF")),
    "iwf_about.html#nspcc": ("NSPCC", ("refused", "not a statement page: an about page")),
}  # fmt: skip


def _parse(name: str, publisher: str | None = None):
    path = GATE_PAGES / name.partition("#")[0]
    return parse_bytes(path.read_bytes(), path.name, publisher=publisher).statement


@pytest.mark.parametrize("name", sorted(GATE))
def test_each_page_is_the_iwfs_another_organisations_or_no_statement(name: str) -> None:
    given, (outcome, expected) = GATE[name]
    if outcome == "publisher":
        assert _parse(name, given).publisher == expected
        return
    with pytest.raises(ParseError) as caught:
        _parse(name, given)
    assert expected in caught.value.message
    assert caught.value.message.startswith("not a statement page: ") or HOW in caught.value.message


def test_every_gate_fixture_has_its_outcome() -> None:
    assert sorted(path.name for path in GATE_PAGES.iterdir()) == sorted({name.partition("#")[0] for name in GATE})


def test_a_widget_never_becomes_a_related_card() -> None:
    assert [card.title for card in _parse("ad_widget.txt").related] == ["Hotline celebrates 25 years"]


@pytest.mark.parametrize("letters", ["The IWF welcomes the plan.", "IWF figures were published on Monday."])
def test_the_letters_alone_make_no_publisher(letters: str) -> None:
    statement = parse_bytes(f"New plan for online safety\n\n{letters}\n\nThe plan is out now.\n".encode(), "plan.txt")
    assert statement.statement.publisher is None


# `iwfdb parse`: what `load` takes, web archives included


def _write_crawl(path: Path, pages: dict[str, bytes]) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for address, body in pages.items():
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(address, "response", payload=BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"}))


def _crawl_pages(*names: str) -> dict[str, bytes]:
    return {f"https://www.iwf.org.uk/crawled/{name}": (GATE_PAGES / name).read_bytes() for name in names}


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_parse_reads_a_web_archive_one_object_per_page_with_its_address(tmp_path: Path, name: str) -> None:
    crawl = tmp_path / name
    _write_crawl(crawl, _crawl_pages("iwf_news.html", "unsure_section.html", "iwf_about.html"))
    result = CliRunner().invoke(app, ["parse", str(crawl), "--format", "json"])
    assert result.exit_code == 0, result.output  # an about page is no statement, not a failure
    pages = json.loads(result.stdout)
    assert [page["url"] for page in pages] == [
        "https://www.iwf.org.uk/news-media/news/hotline-sees-record-reports-of-sextortion/",
        "https://www.iwf.org.uk/what-we-do/hotline/",
    ]
    assert all(page["source"].startswith(f"{crawl}#") and page["publisher"] == "IWF" for page in pages)
    assert "not a statement page: an about page" in result.stderr


def test_parse_of_a_web_archive_without_pages_says_so(tmp_path: Path) -> None:
    crawl = tmp_path / "empty.warc.gz"
    _write_crawl(crawl, {})
    result = CliRunner().invoke(app, ["parse", str(crawl)])
    assert result.exit_code == 0
    assert result.stderr == f"{crawl}: no HTML page in this web archive (no record)\n"


def test_parse_takes_publisher_and_names_it_as_the_archive_does() -> None:
    refused = CliRunner().invoke(app, ["parse", str(NSPCC_PAGE), "--format", "json"])
    assert refused.exit_code == 1 and "--publisher 'NSPCC'" in refused.stderr
    given = CliRunner().invoke(app, ["parse", str(NSPCC_PAGE), "--publisher", "NSPCC", "--format", "json"])
    assert json.loads(given.stdout)["publisher"] == "NSPCC"
    iwf = CliRunner().invoke(app, ["parse", str(FIXTURES / "html" / "seed.html"), "--format", "json"])
    assert json.loads(iwf.stdout)["publisher"] == "IWF"  # the page says 'Internet Watch Foundation'
    text = CliRunner().invoke(app, ["parse", str(GATE_PAGES / "iwf_news.html")])
    assert "  publisher  IWF\n" in text.stdout


def test_parse_takes_no_db_option() -> None:
    result = CliRunner().invoke(app, ["parse", str(GATE_PAGES / "iwf_news.html"), "--db", "x.sqlite"])
    assert result.exit_code == 2
    assert "--db" not in CliRunner().invoke(app, ["parse", "--help"]).stdout


# `iwfdb load`: refusals, pages that are no statement, publishers


def test_a_crawl_counts_pages_that_are_no_statement_apart_and_reloads_quietly(db, tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for name in ("iwf_news.html", "iwf_listing.html", "iwf_about.html", "iwf_job.html", "iwf_search.html"):
        (crawl / name).write_bytes((GATE_PAGES / name).read_bytes())
    first = iwfdb(db, "load", crawl)
    assert first.exit_code == 0, first.output
    assert "1 new, 0 updated, 0 unchanged, 0 duplicate, 0 failed, 4 not statements" in first.stderr
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(1,)]
    again = iwfdb(db, "load", "--json", crawl)
    assert again.exit_code == 0
    assert json.loads(again.stdout)["files"] | {} == {"new": 0, "updated": 0, "reread": 0, "unchanged": 1,
                                                       "duplicate": 0, "failed": 0, "failed_before": 0,
                                                       "not_statement": 4}  # fmt: skip
    quiet = iwfdb(db, "load", "-q", crawl)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_another_organisations_page_is_refused_then_loaded_with_publisher(db, tmp_path: Path) -> None:
    page = tmp_path / "nspcc.html"
    page.write_bytes(NSPCC_PAGE.read_bytes())
    refused = iwfdb(db, "load", page)
    assert refused.exit_code == 1
    assert f"{page}:" in refused.stderr and "load it with --publisher 'NSPCC'" in refused.stderr
    loaded = iwfdb(db, "load", "--publisher", "NSPCC", page)
    assert loaded.exit_code == 0, loaded.output
    assert rows(db, "SELECT publisher FROM statements WHERE NOT card_only") == [("NSPCC",)]


def test_a_page_that_states_its_publisher_keeps_it_and_the_summary_says_so(db, tmp_path: Path) -> None:
    page = tmp_path / "europarl.html"
    page.write_bytes((GATE_PAGES / "europarl.html").read_bytes())
    result = iwfdb(db, "load", "--publisher", "EP", page)
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT publisher FROM statements WHERE NOT card_only") == [("European Parliament",)]
    assert ("1 page of a publisher other than --publisher's (the page's own is kept):\n"
            f"  {page}: kept the publisher the page shows, European Parliament, rather than --publisher's EP\n"
            ) in result.stderr  # fmt: skip


def test_reloading_with_publisher_sets_it_on_files_archived_already(db, tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text("New plan for online safety\n\nPublished: 7 March 2024\n\nThe plan is out now.\n", encoding="utf-8")
    crawl = tmp_path / "crawl.warc.gz"
    page = b"<!DOCTYPE html><html><body><h1>New codes for platforms</h1><p>Published: 7 March 2024</p><p>Codes were published today.</p></body></html>"
    _write_crawl(crawl, {"https://www.ofcom.org.uk/news/codes": page})
    assert iwfdb(db, "load", text, crawl).exit_code == 0
    assert rows(db, "SELECT publisher FROM statements WHERE NOT card_only") == [(None,), (None,)]
    again = iwfdb(db, "load", "--publisher", "Ofcom", text, crawl)
    assert again.exit_code == 0, again.output
    assert "set the publisher of 2 statements archived already" in again.stderr
    assert rows(db, "SELECT publisher FROM statements WHERE NOT card_only") == [("Ofcom",), ("Ofcom",)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), stated=st.none() | st.text(max_size=40),
       address=st.none() | st.text(max_size=40) | st.sampled_from(["http://[", "https://iwf.org.uk:x/", "https://a/b?s"]))
def test_the_gate_never_fails_but_with_a_reason(text: str, stated: str | None, address: str | None) -> None:
    try:
        statement = parse_text(text, page=PageFacts(url=address, publisher=stated))
    except ParseError as error:
        assert error.message
    else:
        assert statement.publisher is None or statement.publisher.strip() == statement.publisher != ""


@given(first=st.none() | st.text(max_size=30), second=st.none() | st.text(max_size=30))
def test_addresses_compare_without_failing(first: str | None, second: str | None) -> None:
    assert is_other_address(first, second) == is_other_address(second, first)

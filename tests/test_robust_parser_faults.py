"""A file the parser cannot read is that file's failure, never the load's (issue 17, item 3).

Whatever goes wrong while one file is parsed (an exception of any kind, or the death of the process parsing
it), that file fails with its reason in its `sources` row and a one-line message naming it; the files beside
it are archived, the load goes on and exits 1, and no traceback is printed. The same in the loading process
(a few files) and through the parse workers (many). Beside that, the two pages the issue named no longer
fail at all: a bogus `<meta charset>` and JSON-LD nested 100,000 deep are read, with a warning.
"""

from __future__ import annotations

from pathlib import Path

import poison
import pytest
from helpers import iwfdb, rows, statement_folder

from iwfdb.parse import parse_bytes
from iwfdb.store.load import load_paths
from iwfdb.store.parallel import WORKERS_FROM, ParsePipeline

GOOD_FILES = WORKERS_FROM + 40  # enough for the load to start parse workers
POISONS = {"kill.txt": "POISON kill", "recursion.txt": "POISON raise RecursionError",
           "unicode.txt": "POISON raise UnicodeError", "memory.txt": "POISON raise MemoryError"}  # fmt: skip
REASONS = {"kill.txt": "its parsing process ended: killed by SIGKILL", "recursion.txt": "RecursionError: poisoned on "
           "purpose", "unicode.txt": "UnicodeError: poisoned on purpose", "memory.txt": "MemoryError: poisoned on "
           "purpose"}  # fmt: skip
BODY = ("<h1>Statement - A page that declares an odd encoding</h1><p>Published: Tue 7 Mar 2017</p>"
        "<p>The IWF removes images of child sexual abuse from the internet.</p><p>Ends</p>")  # fmt: skip


def corpus(folder: Path, good: int) -> Path:
    """`good` statements, with the poison files among them (the kill in the middle of the first chunks)."""
    folder.mkdir()
    statement_folder(folder, good)
    for name, text in POISONS.items():
        (folder / f"0003{name}").write_text(text)
    return folder


def assert_poisons_failed_alone(db, report, good: int) -> None:
    assert report.files["new"] == good and report.files["failed"] == len(POISONS)
    failed = dict(rows(db, "SELECT path, error FROM sources WHERE outcome = 'failed'"))
    assert len(failed) == len(POISONS)
    for path, error in failed.items():
        name = Path(path).name.removeprefix("0003")
        assert error == f"{path}: iwfdb's parser failed on this file ({REASONS[name]}): it is left out; please " \
                        "report this with the file"  # fmt: skip
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(good,)]


def test_poison_files_fail_alone_through_the_parse_workers(db, tmp_path, monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.parse_or_die))
    report = load_paths(db, [corpus(tmp_path / "in", GOOD_FILES)], workers=2)
    assert_poisons_failed_alone(db, report, GOOD_FILES)


def test_poison_files_fail_alone_in_the_loading_process(db, tmp_path):
    poisons_without_kill = {name: text for name, text in POISONS.items() if name != "kill.txt"}
    (tmp_path / "in").mkdir()
    folder = statement_folder(tmp_path / "in", 20)
    for name, text in poisons_without_kill.items():
        (folder / f"0003{name}").write_text(text)
    report = load_paths(db, [folder], parse=poison.parse_or_die)
    assert report.files["new"] == 20 and report.files["failed"] == len(poisons_without_kill)
    errors = [error for (error,) in rows(db, "SELECT error FROM sources WHERE outcome = 'failed'")]
    assert sorted(error.split(" (")[1].split(")")[0] for error in errors) == sorted(
        REASONS[name] for name in poisons_without_kill)


def test_the_cli_names_each_poison_file_on_one_line_and_exits_1(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.parse_or_die))
    folder = corpus(tmp_path / "in", GOOD_FILES)
    result = iwfdb(sqlite_db, "load", folder)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if "iwfdb's parser failed" in line]
    assert sorted(Path(line.split(": ")[0]).name for line in failures) == sorted(f"0003{name}" for name in POISONS)
    assert f"{GOOD_FILES} new" in result.stderr


def page(head: str) -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body><main>{BODY}</main></body></html>".encode()


@pytest.mark.parametrize("charset", ["undefined", "base64", "rot13", "unicode_escape", "idna", "punycode", "utf-7",
                                     "x-no-such-charset", "zlib"])  # fmt: skip
def test_a_page_declaring_an_encoding_no_page_is_in_is_read_as_utf8_with_a_warning(charset):
    for declared in (f'<meta charset="{charset}">', f'<meta http-equiv="Content-Type" content="text/html; '
                                                     f'charset={charset}">'):  # fmt: skip
        parsed = parse_bytes(page(declared + "<title>café</title>"), "odd.html")
        assert parsed.statement.title == "A page that declares an odd encoding"
        assert [warning.message for warning in parsed.statement.warnings] == [
            f"the page declares an encoding that is not a web page's: '{charset}'; read as UTF-8"]


def test_an_encoding_an_http_header_gives_badly_is_read_as_utf8_with_a_warning():
    parsed = parse_bytes(page(""), "odd.html", charset="undefined")
    assert parsed.statement.title == "A page that declares an odd encoding"
    assert any("'undefined'; read as UTF-8" in warning.message for warning in parsed.statement.warnings)


@pytest.mark.parametrize("nesting", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                                     '{"@type": "NewsArticle", "about": ' + "[" * 5_000 + "]" * 5_000 + "}"])
def test_json_ld_nested_deep_is_left_out_with_a_warning(nesting):
    parsed = parse_bytes(page(f'<script type="application/ld+json">{nesting}</script>'), "deep.html")
    assert parsed.statement.title == "A page that declares an odd encoding"
    assert [warning.message for warning in parsed.statement.warnings] == ["JSON-LD nested too deep to be read: left out"]


def test_json_ld_too_large_to_be_an_articles_is_left_out_with_a_warning():
    huge = '{"@type": "NewsArticle", "datePublished": "2001-01-01", "x": "' + "a" * 1_000_001 + '"}'
    parsed = parse_bytes(page(f'<script type="application/ld+json">{huge}</script>'), "huge.html")
    assert parsed.statement.published.isoformat() == "2017-03-07"  # the text's date: the JSON-LD was not read
    assert any("JSON-LD of more than 1,000,000 characters" in warning.message for warning in parsed.statement.warnings)

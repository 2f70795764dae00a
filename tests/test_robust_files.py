"""`iwfdb load` on bad files and on odd but valid text.

A bad file is reported as `path: message` (or `path:line:col: message`), recorded as failed in `sources`,
and the other files of the load are still archived; the exit status is 1. A file cut off mid-way is still
a statement: what is there is archived, with warnings. Odd but valid text (a byte-order mark, CRLF or CR
line endings, no-break spaces, tabs, no final newline, very long lines) archives exactly what its plain
counterpart archives.

Tests run as root here, where `chmod 000` does not stop a read: an unreadable file is simulated by making
`Path.read_bytes` raise PermissionError for it, and a FIFO named `*.txt` stands for a file that is there
but cannot be read as one (reading it would block for ever).
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from helpers import INVALID, SEED, content, iwfdb, rows

import iwfdb.files as iwfdb_files

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_STATEMENTS = 4  # the full statement and its three related cards


@pytest.fixture
def folder(tmp_path):
    """A folder holding the seed: the file that must load whatever its neighbours are."""
    path = tmp_path / "crawl"
    path.mkdir()
    shutil.copy(SEED, path / "a_seed.txt")
    return path


def assert_failed_alone(db, result, bad, message):
    """`bad` failed with `message` (said on stderr and kept in `sources`), the seed beside it was archived."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{bad}{message}" in result.stderr
    ((outcome, error),) = rows(db, "SELECT outcome, error FROM sources WHERE path = ?", str(bad))
    assert outcome == "failed" and error.startswith(f"{bad}{message}")
    assert rows(db, "SELECT outcome FROM sources WHERE path LIKE '%a_seed.txt'") == [("loaded",)]
    assert rows(db, "SELECT count(*) FROM statements") == [(SEED_STATEMENTS,)]
    assert rows(db, "SELECT count(*) FROM statements WHERE source_id = (SELECT id FROM sources WHERE path = ?)",
                str(bad)) == [(0,)]  # fmt: skip


BAD_FILES = {
    "empty": (b"", ":1:1: empty file: expected a statement"),
    "whitespace only": (b"  \n\t\n\xc2\xa0\n\r\n", ":1:1: no text: the file holds only whitespace"),
    "binary": (bytes(range(256)) * 8, ":1:1: binary data (a NUL byte), not a text file"),
    "not utf-8": ("Statement - Café society\n\nPublished: Tue 7 Mar 2017\n".encode("cp1252"),
                  ":1:16: not UTF-8: byte 0xE9 cannot be decoded; expected a UTF-8 text. Convert the file first "
                  "(for example: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8)"),
    "utf-16": (SEED_TEXT.encode("utf-16"), ":1:1: UTF-16 text, not UTF-8: expected a UTF-8 text. Convert the file "
               "first (for example: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)"),
    "utf-16 without a byte-order mark": (SEED_TEXT.encode("utf-16-le"), ":1:1: UTF-16 text, not UTF-8"),
    "not a statement": ((INVALID / "wiki_article.txt").read_bytes(), ":1:1: not a statement: "
                        "'= Internet Watch Foundation =' is wiki markup"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_fails_with_its_reason_and_the_others_load(db, folder, case):
    data, message = BAD_FILES[case]
    bad = folder / f"{case.replace(' ', '_')}.txt"
    bad.write_bytes(data)
    result = iwfdb(db, "load", folder)
    assert_failed_alone(db, result, bad, message)
    assert "1 new, 0 updated, 0 unchanged, 0 duplicate, 1 failed" in result.stderr


def test_a_file_that_cannot_be_read_fails_and_the_others_load(db, folder, monkeypatch):
    locked = folder / "locked.txt"
    shutil.copy(SEED, locked)
    locked.chmod(0)  # enough for a user who is not root; as root the read below is refused instead
    def refusing_open(path, *args, **kwargs):
        if os.path.basename(path) == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(iwfdb_files, "open", refusing_open, raising=False)
    result = iwfdb(db, "load", folder)
    assert_failed_alone(db, result, locked, ": cannot read: Permission denied")
    assert rows(db, "SELECT size FROM sources WHERE path = ?", str(locked)) == [(SEED.stat().st_size,)]


def test_a_fifo_named_like_a_statement_is_refused_unread(db, folder):
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    result = iwfdb(db, "load", folder)
    assert_failed_alone(db, result, fifo, ": cannot read: a pipe, socket or device, not a regular file")
    result = iwfdb(db, "load", fifo)  # named explicitly: refused the same way
    assert result.exit_code == 1 and "not a regular file" in result.stderr


def test_a_file_over_the_size_limit_is_refused_unread(db, folder):
    huge = folder / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(40 * 1024 * 1024)  # 40 MB of holes: reading it would take memory, refusing it none
    started = time.monotonic()
    result = iwfdb(db, "load", folder)
    assert time.monotonic() - started < 10
    assert_failed_alone(db, result, huge, ": 41943040 bytes is more than the limit of 16777216 bytes (see --max-size)")
    assert rows(db, "SELECT size, sha256 FROM sources WHERE path = ?", str(huge)) == [(41943040, None)]


def test_max_size_chooses_the_limit(db, folder):
    seed = folder / "a_seed.txt"
    result = iwfdb(db, "load", "--max-size", "1KB", folder)
    assert result.exit_code == 1
    assert f"{seed}: {seed.stat().st_size} bytes is more than the limit of 1024 bytes (see --max-size)" in result.stderr
    assert iwfdb(db, "load", "--max-size", "4kb", folder).exit_code == 0
    assert rows(db, "SELECT count(*) FROM statements") == [(SEED_STATEMENTS,)]
    result = iwfdb(db, "load", "--max-size", "a lot", folder)
    assert result.exit_code == 2 and "not a size: 'a lot'" in result.stderr


def test_no_size_limit_reads_a_large_file(db, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(20 * 1024 * 1024)
    result = iwfdb(db, "load", "--max-size", "0", huge)
    assert result.exit_code == 1
    assert f"{huge}:1:1: binary data (a NUL byte)" in result.stderr  # read and parsed, not refused by size


def test_a_large_statement_under_the_limit_loads_in_bounded_time(db, tmp_path):
    header, rest = SEED_TEXT.split("\n\n", 2)[:2], SEED_TEXT.split("\n\n", 2)[2]
    paragraph = "The IWF works with industry partners to remove images of abuse, every day of the year. " * 3
    long_line = "An unbroken paragraph " * 50_000  # one line of about a megabyte
    body = "\n\n".join([f"{number}. {paragraph.strip()}" for number in range(16_000)] + [long_line.strip()])
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([*header, body, rest]), encoding="utf-8")
    assert 5_000_000 < big.stat().st_size < 16 * 1024 * 1024
    started = time.monotonic()
    result = iwfdb(db, "load", big)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    ((length, quotes),) = rows(db, "SELECT length(body), (SELECT count(*) FROM quotes) FROM statements WHERE NOT card_only")
    assert length > 5_000_000 and quotes == 1


CUT_OFF = {  # where the text stops, and the warning the parser attaches
    "mid-word": ("the internet industry to ha", None),  # nothing tells the parser this is cut: no warning
    "mid-date": ("Published:\u00a0\u00a0Tue 7 Ma", "'Tue 7 Ma' is not a date (cut off?)"),
    "mid-quote": ("“We are never complacent, the real", "quote is not closed: the text may be cut off"),
    "mid-card": ("UK and US Unite to Tackle Online Child Sexual Abuse and Exploitation\n\nThe UK and US lead",
                 "related card 'UK and US Unite to Tackle Online Child Sexual Abuse and Expl' is cut off"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CUT_OFF))
def test_a_cut_off_statement_loads_what_is_there_with_a_warning(db, tmp_path, case):
    end, warning = CUT_OFF[case]
    cut = tmp_path / "cut.txt"
    cut.write_text(SEED_TEXT[: SEED_TEXT.index(end) + len(end)], encoding="utf-8")
    result = iwfdb(db, "load", cut)
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT outcome FROM sources") == [("loaded",)]
    assert rows(db, "SELECT count(*) FROM statements WHERE NOT card_only") == [(1,)]
    warnings = [message for (message,) in rows(db, "SELECT message FROM parse_warnings")]
    assert warning is None or any(warning in message for message in warnings), warnings
    ((body,),) = rows(db, "SELECT body FROM statements WHERE NOT card_only")
    assert case != "mid-word" or body.endswith("the internet industry to ha")


def test_a_name_with_spaces_and_accents_loads_and_is_reported_by_that_name(db, tmp_path):
    folder = tmp_path / "dossier à moi"
    folder.mkdir()
    good, bad = folder / "Déclaration d’été 2017 — IWF.txt", folder / "Ünïcödé  spaced .txt"
    shutil.copy(SEED, good)
    bad.write_bytes(b"")
    result = iwfdb(db, "load", "--json", folder)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failures"] == [{
        "path": str(bad), "line": 1, "column": 1,
        "message": "empty file: expected a statement (a title, 'Published: <date>', then paragraphs)"}]  # fmt: skip
    assert rows(db, "SELECT path, outcome FROM sources ORDER BY outcome") == [(str(bad), "failed"),
                                                                            (str(good), "loaded")]  # fmt: skip
    assert rows(db, "SELECT count(*) FROM statements") == [(SEED_STATEMENTS,)]


def _padded(text: str) -> str:
    return "\n".join(line + " \t\u00a0" * 5_000 if line else line for line in text.split("\n"))


ODD_BUT_VALID = {
    "byte-order mark": lambda text: "\ufeff" + text,
    "CRLF": lambda text: text.replace("\n", "\r\n"),
    "CR": lambda text: text.replace("\n", "\r"),
    "no-break spaces everywhere": lambda text: text.replace(" ", "\u00a0"),
    "tabs": lambda text: "\n".join("\t" + line.replace(" ", "\t") if line else line for line in text.split("\n")),
    "final newline": lambda text: text + "\n",  # the seed has none: this is its counterpart
    "very long lines": _padded,
    "all at once": lambda text: "\ufeff" + _padded(text.replace(" ", "\u00a0\t")).replace("\n", "\r\n") + "\r\n",
}


@pytest.fixture(scope="module")
def plain_content(archives, backend, tmp_path_factory):
    db = archives.new(backend, tmp_path_factory.mktemp("plain"))
    assert iwfdb(db, "load", SEED).exit_code == 0
    return content(db)


@pytest.mark.parametrize("case", list(ODD_BUT_VALID))
def test_odd_but_valid_text_archives_what_its_plain_counterpart_does(db, tmp_path, plain_content, case):
    odd = tmp_path / "odd.txt"
    odd.write_bytes(ODD_BUT_VALID[case](SEED_TEXT).encode("utf-8"))
    result = iwfdb(db, "load", odd)
    assert result.exit_code == 0, result.output
    assert content(db) == plain_content
    assert plain_content["quotes"] and plain_content["contact_phones"]  # the comparison has something to compare


def test_a_file_name_that_is_not_utf8_loads_beside_the_others_and_keeps_its_bytes_in_its_row(db, tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    odd = os.fsdecode(bytes(folder) + b"/caf\xe9 statement.txt")
    shutil.copy(SEED, odd)
    (folder / "caf\xe9 other.txt").write_text(SEED_TEXT.replace("industry and social networks", "cafés"))
    result = iwfdb(db, "load", "--json", folder)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"]["duplicate"] == 1  # the odd name holds the seed's bytes again
    paths = [path for (path,) in rows(db, "SELECT path FROM sources ORDER BY path")]
    assert paths == sorted([str(folder / "caf\xe9 other.txt"), f"{folder}/caf\\xe9 statement.txt",
                            str(folder / "good.txt")])  # fmt: skip
    again = json.loads(iwfdb(db, "load", "--json", folder).stdout)["files"]
    assert (again["new"], again["unchanged"] + again["duplicate"]) == (0, 3)  # a second load finds all archived

"""Texts that are not statements are refused with `source:line:col: message`, never archived as one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iwfdb.cli import app
from iwfdb.errors import ParseError
from iwfdb.parse import parse_bytes, parse_text

INVALID = Path(__file__).parent / "fixtures" / "invalid"
EXPECTED = "expected an IWF statement: a title, 'Published: <date>', then paragraphs"

REFUSALS = {
    "empty.txt": "empty.txt:1:1: empty file: expected a statement (a title, 'Published: <date>', then paragraphs)",
    "whitespace_only.txt": "whitespace_only.txt:1:1: no text: the file holds only whitespace; expected a statement",
    "binary.txt": "binary.txt:1:10: binary data (a NUL byte), not a text file: expected a UTF-8 statement text",
    "latin1.txt": "latin1.txt:1:16: not UTF-8: byte 0xE9 cannot be decoded; expected a UTF-8 text. Convert the "
    "file first (for example: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8)",
    "wiki_article.txt": f"wiki_article.txt:1:1: not a statement: '= Internet Watch Foundation =' is wiki markup; "
    f"{EXPECTED}",
    "readme.txt": f"readme.txt:1:1: not a statement: '# My notes' is Markdown; {EXPECTED}",
    "plain_prose.txt": "plain_prose.txt:1:1: not a statement: no 'Published:' date, no kind of statement, no IWF "
    f"closing section, no related card and no mention of the IWF; {EXPECTED}",
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusal_names_file_line_column_and_what_was_expected(name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes((INVALID / name).read_bytes(), name)
    assert str(caught.value) == REFUSALS[name]


def test_every_invalid_fixture_has_its_message() -> None:
    assert sorted(path.name for path in INVALID.glob("*.txt")) == sorted(REFUSALS)


def test_key_value_listing_is_refused_at_its_first_key() -> None:
    text = "Charity facts\n\nThe IWF is a charity.\n- Founded: 1996\n- Staff: 70\n- Based: Cambridge\n"
    with pytest.raises(ParseError) as caught:
        parse_text(text, "facts.txt")
    assert (caught.value.line, caught.value.column) == (4, 1)
    assert "3 '- Key: Value' lines are a data listing" in caught.value.message


def test_control_characters_in_disguise_are_binary() -> None:
    with pytest.raises(ParseError, match="control characters"):
        parse_text("Statement - x\n" + "\x01\x02\x03\x04\x05" * 20)


def test_parse_command_reports_refusals_on_stderr_and_still_prints_the_rest() -> None:
    seed = str(Path(__file__).parents[1] / "seeds" / "000_ca4268db049531f8.txt")
    result = CliRunner().invoke(app, ["parse", str(INVALID / "readme.txt"), seed, "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{INVALID / 'readme.txt'}:1:1: not a statement")
    assert '"title": "IWF\'s work with industry and social networks"' in result.stdout
    assert "Traceback" not in result.output


def test_parse_command_exits_2_for_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


VALID = Path(__file__).parent / "fixtures" / "valid"


def test_a_page_of_another_organisation_is_read_with_its_publisher_named() -> None:
    data = (VALID / "other_org_date_before_headline.txt").read_bytes()
    with pytest.raises(ParseError, match="no mention of the IWF"):
        parse_bytes(data, "ncmec.txt")
    assert parse_bytes(data, "ncmec.txt", publisher="NCMEC").statement.publisher == "NCMEC"


@pytest.mark.parametrize("name", ["wiki_article.txt", "readme.txt", "empty.txt", "binary.txt"])
def test_a_publisher_named_does_not_make_a_statement_of_what_is_not_one(name: str) -> None:
    with pytest.raises(ParseError):
        parse_bytes((INVALID / name).read_bytes(), name, publisher="NCMEC")


def test_the_publisher_is_the_iwf_only_when_the_text_mentions_it() -> None:
    assert parse_text("Statement - New codes\n\nPublished:  Tue 7 Mar 2017\n\nThe IWF welcomes them.").publisher == "IWF"
    assert parse_text("Statement - New codes\n\nPublished:  Tue 7 Mar 2017\n\nOfcom publishes codes.").publisher is None

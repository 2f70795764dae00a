"""`iwfdb sources` and `iwfdb export`, on each backend."""

from __future__ import annotations

import json
import shutil

from helpers import INVALID, SEED, iwfdb

from iwfdb.parse import parse_bytes
from iwfdb.records import parsed_file_to_dict


def test_sources_failed_lists_the_files_that_failed_with_their_reasons(db, tmp_path):
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(INVALID / "wiki_article.txt", tmp_path / "wiki.txt")
    assert iwfdb(db, "load", tmp_path).exit_code == 1
    again = iwfdb(db, "load", "-q", tmp_path)
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")  # failed before, same bytes: quiet
    listed = json.loads(iwfdb(db, "sources", "--failed", "--format", "json").stdout)
    assert [(row["path"], row["outcome"]) for row in listed] == [(str(tmp_path / "wiki.txt"), "failed")]
    assert "wiki markup" in listed[0]["error"]
    every = json.loads(iwfdb(db, "sources", "--format", "json").stdout)
    assert [row["outcome"] for row in every] == ["loaded", "failed"]


def test_export_writes_each_statement_as_a_json_line_in_the_parse_shape(db, tmp_path):
    assert iwfdb(db, "load", SEED).exit_code == 0
    result = iwfdb(db, "export")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["card_only"]) for line in lines] == [(1, False), (2, True), (3, True), (4, True)]
    full, parsed = lines[0], parsed_file_to_dict(parse_bytes(SEED.read_bytes(), str(SEED)))
    assert full["source"] == str(SEED) and full["sha256"] == parsed["sha256"]
    for key in ("title", "kind", "published", "body", "quotes", "contacts", "links", "sections", "publisher"):
        assert full[key] == parsed[key], key
    assert [card["title"] for card in full["related"]] == [card["title"] for card in parsed["related"]]
    assert lines[1]["source"] is None and lines[1]["body"] == []
    target = tmp_path / "archive.jsonl"
    assert iwfdb(db, "export", "--output", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == result.stdout

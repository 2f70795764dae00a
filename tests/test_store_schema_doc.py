"""The example queries in docs/schema.md run, and answer, on an archive of the seeds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import SEED, rows

from iwfdb.db import locate
from iwfdb.store.load import load_paths

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"


def schema_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", SCHEMA_DOC.read_text(), re.S)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    database = locate(str(folder / "archive.sqlite"))
    seed = Path(shutil.copy(SEED, folder))
    load_paths(database, [seed])
    seed.write_text(seed.read_text().replace("We are never complacent", "We are never, never complacent"))
    load_paths(database, [seed])  # a changed file, so that there is a revision to query
    return database


def test_the_readme_documents_several_queries():
    assert len(schema_queries()) >= 5


@pytest.mark.parametrize("query", schema_queries())
def test_each_readme_query_answers(archive, query):
    assert rows(archive, query), query


def test_the_readme_queries_answer_what_they_say(archive):
    most_quoted, _fts, quotes, phones, per_year, revisions = (rows(archive, q) for q in schema_queries()[:6])
    assert most_quoted == [(2017, "Susie Hargreaves", 1)]
    assert quotes[0][1] == "Susie Hargreaves"
    assert [phone[-1] for phone in phones] == ["+441223203030", "+447929553679"]
    assert per_year[0] == (2017, 1, 0, 1)
    assert revisions[0][-1].startswith("We are never complacent")

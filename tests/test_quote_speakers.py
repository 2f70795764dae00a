"""Who said a quote: a quote said together counts for each speaker, and a shared name is never merged.

tests/fixtures/speakers: "Baroness Jones and Susie Hargreaves said" (a joint quote), Baroness Jones alone,
Marie Dubois and Jean Dubois (two people, one surname), and a Home Office spokesperson.
"""

from __future__ import annotations

import json

import pytest
from browse_helpers import Browser
from helpers import FIXTURES, build_archive, iwfdb, rows, write_sql

from iwfdb.db import migrate
from iwfdb.db import Purpose, open_archive
from iwfdb.errors import AmbiguousNameError, NotFoundError
from iwfdb.query import QuoteFilter, find_people, get_stats, list_people, list_quotes
from iwfdb.query.people import name_candidates
from iwfdb.keys import group_members

SPEAKERS = FIXTURES / "speakers"
ALL_SPEAKERS = "SELECT quote_id, position, person_id, organisation_id FROM quote_speakers ORDER BY 1, 2"
JOINT = "We stand together: no child should be abused online, and no image of that abuse should stay online."


@pytest.fixture
def speakers_db(db):
    result = iwfdb(db, "load", SPEAKERS)
    assert result.exit_code == 0, result.output
    return db


def quote_texts(db, *arguments) -> list[str]:
    result = iwfdb(db, "quotes", *arguments, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [row["text"] for row in json.loads(result.stdout)]


def person_id(db, name: str) -> int:
    return rows(db, "SELECT id FROM people WHERE name = ?", name)[0][0]


def test_every_speaker_of_a_joint_quote_has_a_row_in_order(speakers_db):
    found = rows(speakers_db, "SELECT p.name, x.position FROM quote_speakers x JOIN quotes q ON q.id = x.quote_id "
                              "JOIN people p ON p.id = x.person_id WHERE q.speaker_kind = 'group' ORDER BY x.position")
    assert found == [("Baroness Jones", 0), ("Susie Hargreaves", 1)]
    assert rows(speakers_db, "SELECT count(*) FROM quote_speakers") == [(6,)]  # 4 alone, 2 together
    assert rows(speakers_db, "SELECT count(*) FROM quote_speakers WHERE organisation_id IS NOT NULL") == [(1,)]


def test_a_joint_quote_counts_for_each_speaker_in_quotes_query_people_and_stats(speakers_db):
    assert quote_texts(speakers_db, "--speaker", "Baroness Jones") == [JOINT, "This campaign is the start of our work, "
                                                                               "not its end."]  # fmt: skip
    assert quote_texts(speakers_db, "--speaker", "Ms Hargreaves") == [JOINT]
    statements = json.loads(iwfdb(speakers_db, "query", "--speaker", "Susie Hargreaves", "-f", "json").stdout)
    assert [s["title"] for s in statements] == ["Ministers and the IWF launch a joint campaign"]
    with open_archive(speakers_db, Purpose.READ) as archive:
        people = {p.name: p.quotes for p in list_people(archive).items}
        top = {row.name: row.value for row in get_stats(archive) if row.group == "top_speakers"}
    assert people == {"Baroness Jones": 2, "Susie Hargreaves": 1, "Marie Dubois": 1, "Jean Dubois": 1}
    assert top == people


def test_a_shared_surname_lists_the_people_and_shows_no_quote(speakers_db):
    result = iwfdb(speakers_db, "quotes", "--speaker", "Dubois", "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == ("error: 'Dubois' names 2 people; say which with the full name, or the id "
                        "(`iwfdb quotes --person ID`):")  # fmt: skip
    for name in ("Marie Dubois", "Jean Dubois"):
        assert f"  {person_id(speakers_db, name):>6}  {name}  (1 quote, 0 as a contact)" in lines[1:]
    assert iwfdb(speakers_db, "query", "--speaker", "Dubois").exit_code == 1  # every command that takes a name


def test_the_person_option_chooses_one_of_those_a_name_shares(speakers_db):
    marie = person_id(speakers_db, "Marie Dubois")
    assert quote_texts(speakers_db, "--person", marie) == ["The evidence from France shows what a campaign like "
                                                           "this can change."]  # fmt: skip
    assert quote_texts(speakers_db, "--speaker", "Marie Dubois") == quote_texts(speakers_db, "--person", marie)
    home_office = rows(speakers_db, "SELECT id FROM organisations WHERE name = 'Home Office'")[0][0]
    assert quote_texts(speakers_db, "--organisation", home_office) == ["We will keep working with the IWF."]


@pytest.mark.parametrize("arguments, code, message", [
    (["--person", "999"], 1, "error: no person has the id 999; `iwfdb quotes --speaker NAME` lists the ids"),
    (["--organisation", "999"], 1, "error: no organisation has the id 999"),
    (["--person", "1", "--speaker", "Dubois"], 2, "error: --speaker, --person and --organisation each choose"),
])  # fmt: skip
def test_a_wrong_choice_of_speaker_is_said(speakers_db, arguments, code, message):
    result = iwfdb(speakers_db, "quotes", *arguments)
    assert result.exit_code == code and result.stderr.startswith(message), result.stderr


def test_name_candidates_are_typed_most_quoted_first_and_people_before_organisations(speakers_db):
    with open_archive(speakers_db, Purpose.READ) as archive:
        dubois = name_candidates(archive, "dubois")
        assert [(c.kind, c.name, c.quotes, c.contacts) for c in dubois] == [
            ("person", "Jean Dubois", 1, 0), ("person", "Marie Dubois", 1, 0)]  # fmt: skip
        assert [(c.kind, c.name) for c in name_candidates(archive, "the Home Office")] == [
            ("organisation", "Home Office")]  # fmt: skip
        home_office = archive.execute("SELECT id FROM organisations WHERE name_key = 'home office'").fetchone()[0]
        assert find_people(archive, "home office").organisations == (home_office,)
        with pytest.raises(AmbiguousNameError) as ambiguous:
            find_people(archive, "Dubois")
        assert ambiguous.value.total == 2 and ambiguous.value.candidates == dubois
        with pytest.raises(NotFoundError):
            list_quotes(archive, QuoteFilter(person_id=12345))


def test_a_long_list_of_namesakes_is_cut_and_counted(db, tmp_path):
    folder = tmp_path / "namesakes"
    folder.mkdir()
    for number in range(25):
        first = "Anne Beatrice Claire Diane Elise Fanny Gisele Helene Ines Julie Karine Louise Manon Nadia Odile "\
                "Pauline Quitterie Rose Sylvie Therese Ursule Valerie Wanda Xaviere Yvonne".split()[number]
        (folder / f"{number:02}.txt").write_text(
            f"Statement: Namesake number {number}\n\nPublished:  Tue 8 Mar 2022\n\nAn opening paragraph.\n\n"
            f"{first} Dubois said:\n\n“Words number {number}.”\n\nEnds\n", encoding="utf-8")  # fmt: skip
    assert iwfdb(db, "load", folder).exit_code == 0
    result = iwfdb(db, "quotes", "--speaker", "Dubois")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and "names 25 people" in lines[0]
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "  ... and 5 more"


def test_a_name_printed_with_control_bytes_is_shown_not_obeyed(db, tmp_path):
    (tmp_path / "a.txt").write_text("Statement: One\n\nPublished:  Tue 8 Mar 2022\n\nOpening.\n\nAnne Dubois said:\n\n"
                                    "“One.”\n\nEnds\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "b.txt").write_text("Statement: Two\n\nPublished:  Tue 8 Mar 2022\n\nOpening.\n\nBen Dubois said:\n\n"
                                    "“Two.”\n\nEnds\n", encoding="utf-8")  # fmt: skip
    assert iwfdb(db, "load", tmp_path).exit_code == 0
    write_sql(db, "UPDATE people SET name = :name WHERE name = 'Ben Dubois'", name="Ben \x1b[31mDubois\x07")
    result = iwfdb(db, "quotes", "--speaker", "Dubois")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "Ben " in result.stderr


def test_a_reload_that_drops_a_joint_quote_drops_its_speakers_and_the_person_it_alone_named(speakers_db, tmp_path):
    changed = tmp_path / "speakers"
    changed.mkdir()
    text = (SPEAKERS / "2022_joint_statement.txt").read_text(encoding="utf-8")
    (changed / "2022_joint_statement.txt").write_text(text.replace("Baroness Jones and Susie Hargreaves said:",
                                                                   "Baroness Jones said:"), encoding="utf-8")
    assert iwfdb(speakers_db, "load", changed).exit_code == 0
    assert rows(speakers_db, "SELECT count(*) FROM people WHERE name = 'Susie Hargreaves'") == [(0,)]
    assert rows(speakers_db, "SELECT count(*) FROM quote_speakers x JOIN people p ON p.id = x.person_id "
                             "WHERE p.name = 'Baroness Jones'") == [(2,)]  # fmt: skip
    assert rows(speakers_db, "SELECT count(*) FROM quote_speakers x LEFT JOIN quotes q ON q.id = x.quote_id "
                             "WHERE q.id IS NULL") == [(0,)]  # fmt: skip


def test_loading_again_writes_the_same_speakers(speakers_db):
    before = rows(speakers_db, ALL_SPEAKERS)
    assert iwfdb(speakers_db, "load", SPEAKERS).exit_code == 0
    assert rows(speakers_db, ALL_SPEAKERS) == before


@pytest.mark.parametrize("speaker, members", [
    ("Peter Kyle and Jess Phillips", ["Peter Kyle", "Jess Phillips"]),
    ("Baroness Jones and Ms Jones", ["Baroness Jones", "Ms Jones"]),  # a peer is not a commoner
    ("Jess Phillips and Jess Phillips OBE", ["Jess Phillips"]),  # once each
    ("A and B and C", ["A", "B", "C"]),
])  # fmt: skip
def test_group_members_are_the_names_the_parser_joined(speaker, members):
    assert group_members(speaker) == members


# The migration fills quote_speakers from what an archive of 0004 holds.

ROWS_AT_0004 = [
    "INSERT INTO people (id, name, name_key, kind) VALUES (1, 'Baroness Jones', 'baroness jones', 'person')",
    "INSERT INTO people (id, name, name_key, kind) VALUES (2, 'Peter Kyle and Ms Jones', 'peter kyle and ms jones', "
    "'group')",  # as archives kept a group before 0004
    "INSERT INTO organisations (id, name, name_key) VALUES (1, 'Home Office', 'home office')",
    "INSERT INTO statements (id, slug, match_key, card_only, first_loaded_at, last_loaded_at) "
    "VALUES (1, 's', 'k', false, 't', 't')",
    *(f"INSERT INTO quotes (id, statement_id, position, person_id, organisation_id, speaker_kind, speaker, "
      f"attribution, text, line) VALUES ({values}, 'said', 'words', 1)" for values in (
          "1, 1, 0, 1, NULL, 'person', 'Baroness Jones'",
          "2, 1, 1, NULL, NULL, 'group', 'Baroness Jones and Susie Hargreaves'",
          "3, 1, 2, NULL, 1, 'organisation', 'Home Office'",
          "4, 1, 3, NULL, NULL, 'unknown', NULL",
          "5, 1, 4, 2, NULL, 'group', 'Peter Kyle and Ms Jones'"))
]  # fmt: skip


def test_the_migration_gives_existing_quotes_their_speakers_joint_ones_too(archives, backend, tmp_path):
    location = archives.unmigrated(backend, tmp_path)
    migrate.upgrade(location, "0004")
    write_sql(location, *ROWS_AT_0004)
    migrate.upgrade(location)
    assert rows(location, ALL_SPEAKERS) == [
        (1, 0, 1, None), (2, 0, 1, None), (2, 1, 3, None), (3, 0, None, 1), (5, 0, 4, None), (5, 1, 5, None)]
    assert rows(location, "SELECT id, name, name_key, kind FROM people ORDER BY id") == [
        (1, "Baroness Jones", "baroness jones", "person"),
        (2, "Peter Kyle and Ms Jones", "peter kyle and ms jones", "group"), (3, "Susie Hargreaves", "susie hargreaves", "person"), (4, "Peter Kyle", "peter kyle", "person"),
        (5, "Ms Jones", "jones", "person")]  # a peer is not a commoner of her surname
    with open_archive(location, Purpose.READ) as archive:
        assert len(list_quotes(archive, QuoteFilter(speaker="Susie Hargreaves")).items) == 1


def test_the_ready_made_questions_count_joint_quotes(tmp_path):
    browser = Browser(build_archive(SPEAKERS, tmp_path / "speakers.sqlite"))
    try:
        said = browser.rows("what_a_person_said", person="Susie Hargreaves", from_year="", to_year="")
        assert [row["text"] for row in said] == [JOINT]
        jones = browser.rows("what_a_person_said", person="Baroness Jones", from_year="", to_year="")
        assert len(jones) == 2
        pairs = browser.rows("quoted_together", person="Susie Hargreaves")
        assert sorted((row["person"], row["quoted_with"], row["statements"]) for row in pairs) == [
            ("Susie Hargreaves", "Baroness Jones", 1), ("Susie Hargreaves", "Marie Dubois", 1)]  # fmt: skip
    finally:
        browser.close()

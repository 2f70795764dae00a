"""A speaker's page as the read API gives it (iwfdb.query.profiles), on both engines: roles over time, quotes
newest first with whoever said them together, paged, the people quoted alongside, and the contact details."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, iwfdb

from iwfdb.db import open_archive
from iwfdb.errors import NotFoundError
from iwfdb.query.profiles import CoSpeaker, RoleSpan, speaker_profile


@pytest.fixture
def reading_db(db):
    result = iwfdb(db, "load", FIXTURES / "web_reading")
    assert result.exit_code == 0, result.output
    return db


def ids(archive, table: str) -> dict[str, int]:
    return {name: id_ for id_, name in archive.execute(f"SELECT id, name FROM {table}")}


def test_a_persons_profile_has_roles_joint_quotes_partners_and_contacts(reading_db):
    with open_archive(reading_db) as archive:
        people = ids(archive, "people")
        profile = speaker_profile(archive, "person", people["Susie Hargreaves"])
    assert (profile.name, profile.person_kind) == ("Susie Hargreaves", "person")
    assert profile.roles == (RoleSpan("Chief Executive", "2020-01-15", "2022-03-08", 2),
                             RoleSpan("IWF CEO", "2020-06-05", "2022-03-08", 2))  # fmt: skip
    assert [spoken.quote.published for spoken in profile.quotes.items] == [
        "2022-03-08", "2022-03-08", "2020-06-05", "2020-01-15"]
    joint = profile.quotes.items[0]
    assert joint.quote.text == "End-to-end encryption must not become a hiding place for abuse."
    assert joint.with_others == (CoSpeaker("person", people["Baroness Amos"], "Baroness Amos"),)
    assert all(not spoken.with_others for spoken in profile.quotes.items[1:])
    assert [(partner.name, partner.statements) for partner in profile.quoted_with] == [("Baroness Amos", 1)]
    assert [(c.email, c.phones) for c in profile.contacts.items] == [("press@iwf.org.uk", ("+441223203030",))]


def test_an_organisations_profile_and_its_partners(reading_db):
    with open_archive(reading_db) as archive:
        (home_office,) = ids(archive, "organisations").values()
        profile = speaker_profile(archive, "organisation", home_office)
        with pytest.raises(NotFoundError, match="no organisation has the id 999"):
            speaker_profile(archive, "organisation", 999)
    assert (profile.name, profile.person_kind, profile.quotes.total) == ("Home Office", None, 1)
    assert profile.roles == (RoleSpan("spokesperson", "2020-01-15", "2020-01-15", 1),)
    assert [partner.name for partner in profile.quoted_with] == ["Susie Hargreaves"]
    assert profile.contacts.items == [] and profile.contacts.total == 0


def test_a_profile_pages_its_quotes(reading_db, monkeypatch):
    monkeypatch.setattr("iwfdb.query.profiles.QUOTES_PER_PAGE", 3)
    with open_archive(reading_db) as archive:
        susie = ids(archive, "people")["Susie Hargreaves"]
        first, rest = speaker_profile(archive, "person", susie), speaker_profile(archive, "person", susie, offset=3)
    assert (len(first.quotes.items), first.quotes.total, first.quotes.is_cut) == (3, 4, True)
    assert [spoken.quote.published for spoken in rest.quotes.items] == ["2020-01-15"] and rest.quotes.offset == 3

"""The write session's replay: a batch the archive refuses is rolled back and saved again as the caller's Replay
says, each file in a savepoint of its own, so that only the file at fault is lost (both engines)."""

from __future__ import annotations

from iwfdb.db import Purpose, open_archive
from iwfdb.store.session import Replay, WriteSession


def person(session: WriteSession, name: str) -> None:
    identifier = session.ids.new("people")
    session.pending.add("people", [{"id": identifier, "name_key": name.lower(), "name": name, "kind": "person"}])


def quote_of_no_statement(session: WriteSession) -> None:
    """A row the archive refuses: its statement does not exist (a foreign key)."""
    session.pending.add("quotes", [{"id": 10**9, "statement_id": 10**9, "position": 0, "person_id": None,
                                    "organisation_id": None, "speaker_kind": "unknown", "speaker": None, "role": None,
                                    "honours": None, "attribution": "", "text": "refused", "line": 1}])  # fmt: skip


def test_a_refused_batch_is_saved_again_file_by_file_and_only_the_file_at_fault_is_lost(db):
    steps: list[str] = []

    def save(name: str) -> str:
        person(session, name)
        if name == "Broken":
            quote_of_no_statement(session)
        return f"saved {name}"

    def refused(name: str, message: str) -> str:
        return f"refused {name}: {'foreign key' in message.lower()}"

    with open_archive(db, Purpose.WRITE) as archive:
        session = WriteSession(archive, "2026-01-01T00:00:00+00:00")
        session.begin()
        for name in ("Ada", "Broken", "Cy"):
            save(name)
        replay = Replay(lambda: steps.append("again"), ["Ada", "Broken", "Cy"], save, refused, steps.append)
        session.commit(replay)
        names = [name for (name,) in archive.execute("SELECT name FROM people ORDER BY id").fetchall()]
        quotes = archive.execute("SELECT count(*) FROM quotes").fetchone()
    assert steps == ["again", "saved Ada", "refused Broken: True", "saved Cy"]
    assert names == ["Ada", "Cy"] and quotes == (0,)


def test_a_batch_the_archive_takes_is_committed_without_a_replay(db):
    def never(*arguments):
        raise AssertionError("no replay was needed")

    with open_archive(db, Purpose.WRITE) as archive:
        session = WriteSession(archive, "2026-01-01T00:00:00+00:00")
        session.begin()
        person(session, "Ada")
        session.commit(Replay(never, ["Ada"], never, never, never))
        assert archive.execute("SELECT name FROM people").fetchall() == [("Ada",)]

"""The benchmark corpus's ground truth, as a quick guard: the parser names every generated speaker.

`bench/speakers.py` measures the whole pipeline on thousands of files; this reads 300 of the same files
in memory, without a store, so that a change to the parser that loses speakers fails here first.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))

import corpus  # noqa: E402

from iwfdb.keys import organisation_key, person_key  # noqa: E402
from iwfdb.parse import parse_bytes  # noqa: E402

FILES = 300


def key(speaker: str | None, kind: str) -> tuple[str, str | None]:
    if speaker is None or kind == "unknown":
        return kind, None
    return kind, organisation_key(speaker) if kind == "organisation" else person_key(speaker)


def test_the_parser_finds_the_speaker_of_every_generated_quote() -> None:
    wrong = []
    for index in range(FILES):
        data, truth = corpus.file_and_truth(corpus.DEFAULT_SEED, FILES, index)
        if truth is None:
            continue
        quotes = parse_bytes(data, truth["path"]).statement.quotes
        found = [key(quote.speaker, quote.speaker_kind) for quote in quotes]
        expected = [key(quote["speaker"], quote["kind"]) for quote in truth["quotes"]]
        if found != expected:
            wrong.append(f"{truth['path']}: expected {expected}, found {found}")
    assert not wrong, "\n".join(wrong[:10])


def test_contacts_are_people_or_offices_as_generated() -> None:
    for index in range(FILES):
        data, truth = corpus.file_and_truth(corpus.DEFAULT_SEED, FILES, index)
        if truth is None:
            continue
        contacts = parse_bytes(data, truth["path"]).statement.contacts
        assert [(c.name, c.kind) for c in contacts] == [(c["name"], c["kind"]) for c in truth["contacts"]]
        assert all(len({phone.e164 for phone in c.phones}) == len(c.phones) for c in contacts)

"""The ready-made questions that take a person's name ask it of one person or organisation, never of namesakes.

`what_a_person_said?person=Dubois` must not mix the quotes of Marie and Jean Dubois. The words are read by the
query layer's own rule (name_candidates, as `iwfdb quotes --speaker` reads them) and the question's SQL gets the
one id chosen through Datasette's magic parameters: `:_iwfdb_person` and `:_iwfdb_organisation` (the id, else
NULL), `:_iwfdb_anyone` (1 when no one was named). Words that name several choose no one: the question returns no
row and its page lists them, each with a link that asks the question of that one by id (`person_id`,
`organisation_id`). Registered by server.py beside reading.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from datasette import hookimpl
from datasette.utils import path_with_replaced_args

from iwfdb.datasette.metadata import DATABASE
from iwfdb.datasette.reading import WORDS_LIMIT, in_archive
from iwfdb.db import Archive
from iwfdb.query.people import CANDIDATES_SHOWN, candidate_by_id, name_candidates
from iwfdb.records import NameCandidate
from iwfdb.render import visible

# What chooses the speaker: words, or one id. A question's SQL that asks for the choice names MAGIC.
SPEAKER_INPUTS = ("person", "person_id", "organisation_id")
MAGIC = ":_iwfdb_"
_CHOICE = "iwfdb.speaker_choice"  # where a request keeps its choice: the SQL asks three times, the page once more
_ID_DIGITS = 18  # an id longer than this is no row's (SQLite's integers stop at 19 digits)


@dataclass(frozen=True, slots=True)
class SpeakerChoice:
    """Whom a question is asked of: `chosen`, or anyone, or no one (with the namesakes, or a problem, saying why)."""

    words: str
    chosen: NameCandidate | None = None
    anyone: bool = False
    namesakes: tuple[NameCandidate, ...] = ()  # the first CANDIDATES_SHOWN of `total`
    total: int = 0
    problem: str | None = None

    def id_of(self, kind: str) -> int | None:
        return self.chosen.id if self.chosen is not None and self.chosen.kind == kind else None


def choose_speaker(archive: Archive, inputs: dict[str, str]) -> SpeakerChoice:
    """The one person or organisation that `person` (words) or `person_id` / `organisation_id` (an id) names."""
    words = inputs["person"]
    ids = {kind: inputs[f"{kind}_id"] for kind in ("person", "organisation") if inputs[f"{kind}_id"]}
    if len(ids) + bool(words) > 1:
        given = ", ".join(name for name in SPEAKER_INPUTS if inputs[name])
        return SpeakerChoice(words, problem=f"{given}: give a name or one id, not several; leave the others empty")
    if ids:
        ((kind, text),) = ids.items()
        is_id = text.isascii() and text.isdigit() and len(text) <= _ID_DIGITS  # "²" is a digit, yet no int
        found = candidate_by_id(archive, kind, int(text)) if is_id else None
        problem = None if found else f"{kind}_id: no {kind} has the id {visible(text)[:40]!r}"
        return SpeakerChoice(words, found, problem=problem)
    if not words:
        return SpeakerChoice(words, anyone=True)
    candidates = name_candidates(archive, words)
    if len(candidates) == 1:
        return SpeakerChoice(words, candidates[0])
    if not candidates:
        return SpeakerChoice(words, problem=f"person: nobody called {visible(words)[:60]!r} is in the archive")
    return SpeakerChoice(words, namesakes=tuple(candidates[:CANDIDATES_SHOWN]), total=len(candidates))


def speaker_choice(datasette, request) -> SpeakerChoice:
    """The request's choice, worked out once (in the calling thread: Datasette's, for the SQL's parameters)."""
    if _CHOICE not in request.scope:
        inputs = {name: request.args.get(name, "").strip()[:WORDS_LIMIT] for name in SPEAKER_INPUTS}
        request.scope[_CHOICE] = in_archive(datasette, choose_speaker, inputs)
    return request.scope[_CHOICE]


@hookimpl
def register_magic_parameters(datasette):
    def chosen(suffix: str, request) -> int | None:
        choice = speaker_choice(datasette, request)
        if suffix == "anyone":
            return int(choice.anyone)
        if suffix in ("person", "organisation"):
            return choice.id_of(suffix)
        raise KeyError(suffix)  # Datasette then says the parameter has no value

    return [("iwfdb", chosen)]


@hookimpl
def extra_template_vars(view_name, database, datasette, request):
    """On a question that chooses a speaker: the choice, for _iwfdb_speaker_choice.html; a problem as a message."""
    if request is None or view_name != "table" or database != DATABASE or DATABASE not in datasette.databases:
        return {}

    async def choice_shown() -> dict:
        # A question's page is rendered as a table's, without its name: that is in the address.
        question = await datasette.get_canned_query(DATABASE, request.url_vars.get("table", ""), request.actor)
        if question is None or MAGIC not in question["sql"]:
            return {}
        choice = await asyncio.get_running_loop().run_in_executor(None, speaker_choice, datasette, request)
        if choice.problem:
            datasette.add_message(request, choice.problem, datasette.ERROR)
        return {"speaker_choice": choice, "asked_of": lambda candidate: asked_of(request, candidate)}

    return choice_shown


def asked_of(request, candidate: NameCandidate) -> str:
    """The address of the same question asked of this one person or organisation, by id."""
    ids = {f"{kind}_id": str(candidate.id) if candidate.kind == kind else "" for kind in ("person", "organisation")}
    return path_with_replaced_args(request, {"person": "", **ids})

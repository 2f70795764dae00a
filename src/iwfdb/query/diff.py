"""What changed between two texts of a statement, word by word: pure functions, no archive.

Words are compared in a form where spacing, quote marks (straight or curly) and dashes (hyphen, en, em,
minus, `--`) make no difference, so that a page re-rendered with other typography shows no change; a
changed word, a word added or taken out does. Paragraphs are matched first and words only inside the
paragraphs that differ, so that the cost follows the size of the change, not the square of the text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from iwfdb.records import DiffRun

PARAGRAPH_BREAK = "\n\n"
# Paragraphs that differ are compared word by word up to this many words a side; past it (a text rewritten
# whole) they are shown as taken out and put in, which costs a time in proportion to the text.
WORDS_COMPARED = 5_000
_PARAGRAPHS = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_DASH_CHARACTERS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d-"
# A word or a run of dashes (a word of its own: "well—known" and "well - known" are the same words), and the
# spacing after it.
_TOKENS = re.compile(rf"([{_DASH_CHARACTERS}]+|[^\s{_DASH_CHARACTERS}]+)(\s*)")
# Quote marks as compared; one character for one, so that a text and its compared form split alike.
_SINGLE_MARKS = re.compile("[\u2018\u2019\u201a\u201b\u2032\u00b4`]")
_DOUBLE_MARKS = re.compile("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]")
_DASHES = frozenset(_DASH_CHARACTERS)

Unit = tuple[str, str]  # (the word as compared, the word as printed with the spacing after it)


def version_paragraphs(record: Mapping[str, Any]) -> list[str]:
    """A statement's text as paragraphs, from its JSON shape (`iwfdb parse --format json`, a revision's
    record): title, standfirst, body, closing sections (heading, then text) and image captions."""
    parts: list[str | None] = [record.get("title"), record.get("summary"), *record.get("body", ())]
    for section in record.get("sections", ()):
        parts += [section.get("heading"), section.get("text")]
    parts += [caption.get("text") for caption in record.get("captions", ())]
    return [part for part in parts if part and part.strip()]


def word_diff(old: Iterable[str], new: Iterable[str]) -> tuple[DiffRun, ...]:
    """Runs of `equal`, `delete` and `insert` text that turn the paragraphs `old` into `new`.

    Equal runs carry the new text as printed; joining the runs that are not `delete` gives the new text with
    its paragraphs separated by blank lines, and joining those not `insert` the old one in the new's spacing.
    """
    old_units, new_units = _paragraph_units(list(old)), _paragraph_units(list(new))
    matcher = difflib.SequenceMatcher(None, [_key(p) for p in old_units], [_key(p) for p in new_units], autojunk=False)
    runs = _Runs()
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            runs.add("equal", _same(_flat(old_units[old_start:old_end]), _flat(new_units[new_start:new_end])))
        else:
            runs.add_words(_flat(old_units[old_start:old_end]), _flat(new_units[new_start:new_end]))
    return runs.done()


def has_changes(runs: Iterable[DiffRun]) -> bool:
    return any(run.op != "equal" for run in runs)


def side_text(runs: Iterable[DiffRun], side: str) -> str:
    """The old (`old`) or new (`new`) text the runs describe."""
    left_out = "insert" if side == "old" else "delete"
    return "".join(run.text for run in runs if run.op != left_out)


def comparable(word: str) -> str:
    """A word (or a run of dashes, see _TOKENS) as compared: straight quote marks, every run of dashes one hyphen."""
    return "-" if word[0] in _DASHES else _straight(word)


def _straight(text: str) -> str:
    return _DOUBLE_MARKS.sub('"', _SINGLE_MARKS.sub("'", text))


def _paragraph_units(paragraphs: list[str]) -> list[list[Unit]]:
    found: list[list[Unit]] = []
    for paragraph in (part for text in paragraphs for part in _PARAGRAPHS.split(text.strip())):
        units = _units(paragraph)
        if units:
            found.append(units)
    for paragraph in found[:-1]:  # a blank line after each paragraph but the last
        word, printed = paragraph[-1]
        paragraph[-1] = (word, printed.rstrip() + PARAGRAPH_BREAK)
    return found


def _units(text: str) -> list[Unit]:
    """The words of a paragraph (whose spacing before its first word is already gone), as compared and printed.

    The marks are made straight in the whole paragraph at once (a word at a time cost twice as much)."""
    compared = _TOKENS.findall(_straight(text))
    return [
        ("-" if word[0] in _DASHES else same, word + space)
        for (word, space), (same, _) in zip(_TOKENS.findall(text), compared, strict=False)
    ]


def _same(old: list[Unit], new: list[Unit]) -> list[Unit]:
    """Words that did not change, as the new text prints them; where the new text has no space after a word and
    the old one has (a word taken out follows it), the old space, so that no two words run together."""
    return [
        (word, printed if printed[-1].isspace() or not was[-1].isspace() else printed + was[len(word) :])
        for (word, printed), (_, was) in zip(new, old, strict=False)
    ]


def _key(paragraph: list[Unit]) -> tuple[str, ...]:
    return tuple(word for word, _ in paragraph)


def _flat(paragraphs: list[list[Unit]]) -> list[Unit]:
    return [unit for paragraph in paragraphs for unit in paragraph]


class _Runs:
    """Runs being built: a run of the same kind as the one before joins it."""

    def __init__(self) -> None:
        self.runs: list[list] = []

    def add(self, op: str, units: list[Unit]) -> None:
        if not units:
            return
        text = "".join(printed for _, printed in units)
        if self.runs and self.runs[-1][0] == op:
            self.runs[-1][1] += text
        else:
            self.runs.append([op, text])

    def add_words(self, old: list[Unit], new: list[Unit]) -> None:
        if len(old) > WORDS_COMPARED or len(new) > WORDS_COMPARED:
            self.add("delete", old)
            self.add("insert", new)
            return
        matcher = difflib.SequenceMatcher(None, [w for w, _ in old], [w for w, _ in new], autojunk=False)
        for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
            if tag == "equal":
                self.add("equal", _same(old[old_start:old_end], new[new_start:new_end]))
                continue
            self.add("delete", old[old_start:old_end])
            self.add("insert", new[new_start:new_end])

    def done(self) -> tuple[DiffRun, ...]:
        return tuple(DiffRun(op, text) for op, text in self.runs)

"""Fuzz the loader with statement-like texts: mutations of the seed and of the valid fixtures.

Whatever the text, loading it raises nothing but iwfdb's own errors (a bad file is a reported failure, not
an exception), leaves an archive that `db check` finds sound, and loading the same files again changes no
row of any table.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers import SEED, VALID, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iwfdb.db import check_archive
from iwfdb.errors import IwfdbError
from iwfdb.store.load import load_paths

ORIGINALS = [SEED.read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in sorted(VALID.glob("*.txt"))]
ODD_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["“", "”", "\u00a0", "\r", "\t", "Published: ", "said:", "Ends", "Contact:", "+44 (0) 1223 203030",
     "16 December 2024 Statement", "\ufeff", "\x00", "Statement - "])  # fmt: skip


@st.composite
def mutated(draw) -> str:
    """An original with lines dropped, duplicated or spiked with odd text, and perhaps cut off."""
    lines = draw(st.sampled_from(ORIGINALS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["drop", "duplicate", "insert", "splice"]))
        if action == "drop" and len(lines) > 1:
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "insert":
            lines.insert(where, draw(ODD_TEXT))
        else:
            column = draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:column] + draw(ODD_TEXT) + lines[where][column:]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(mutated(), min_size=1, max_size=3))
def test_loading_mutated_statements_raises_only_iwfdb_errors_and_is_idempotent(archives, backend, texts):
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "crawl"
        folder.mkdir()
        for number, text in enumerate(texts):
            (folder / f"{number}.txt").write_text(text, encoding="utf-8")
        db = archives.new(backend, Path(temporary))  # hypothesis examples cannot use function-scoped fixtures
        try:
            first = load_paths(db, [folder], workers=1)
        except IwfdbError:
            return  # the project's own error, with its message: allowed
        assert sum(first.files.values()) == len(texts)
        assert all(check.ok for check in check_archive(db)), check_archive(db)
        before = snapshot(db)
        again = load_paths(db, [folder], workers=1)
        assert again.files["new"] == again.files["updated"] == 0
        assert snapshot(db) == before

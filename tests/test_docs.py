"""Every command ships with help text, and every command that does something shows an example of it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import cli_reference
import pytest
import typer.main
from typer.testing import CliRunner

from iwfdb.cli import app


def _commands(command, path=()):
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))
LEAVES = [path for path, command in COMMANDS if not hasattr(command, "commands")]


def test_the_read_commands_are_registered():
    assert {"query", "show", "search", "quotes", "contacts", "people", "stats", "sql"} <= {p[0] for p in LEAVES if p}


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "iwfdb")
def test_every_command_and_group_has_help_text(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command = dict(COMMANDS)[path]
    assert (command.help or "").strip(), f"`iwfdb {' '.join(path)}` has no help text"


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "iwfdb")
def test_every_command_and_group_shows_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    shown = rf"Example: .*iwfdb .*{path[-1]}" if path else r"Example: iwfdb \w+"
    assert re.search(shown, result.output), f"`iwfdb {' '.join(path)}` shows no example"


DOCS = Path(__file__).resolve().parents[1] / "docs"
README = DOCS.parent / "README.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_the_command_reference_is_made_from_the_commands_help():
    expected = cli_reference.render()
    reference = DOCS / "commands.md"
    if os.environ.get("IWFDB_UPDATE_GOLDEN"):
        reference.write_text(expected)
    assert reference.read_text() == expected, (
        "docs/commands.md differs from the commands' help: run IWFDB_UPDATE_GOLDEN=1 pytest tests/test_docs.py")


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_of_the_docs_leads_to_a_file(page):
    targets = [t for t in LINK.findall(page.read_text()) if "://" not in t and not t.startswith("mailto:")]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing, f"{page.name} links to files that do not exist: {missing}"


def test_readme_is_short_and_starts_with_its_title_and_quick_start():
    lines = README.read_text().splitlines()
    assert lines[0].startswith("# ") and lines[2] == "## Quick start", lines[:3]
    assert len(lines) <= 200, f"README.md has {len(lines)} lines: the rest belongs in docs/"

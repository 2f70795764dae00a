"""Every command ships with help text, and every command that does something shows an example of it."""

from __future__ import annotations

import re

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

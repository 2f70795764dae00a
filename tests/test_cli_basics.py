"""The command line as a whole: version, help, `python -m iwfdb`, and lean start-up."""

from __future__ import annotations

import ast
import subprocess
import sys

from typer.testing import CliRunner

from iwfdb import __version__
from iwfdb.cli import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"iwfdb {__version__}\n"


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "iwfdb", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"iwfdb {__version__}\n"


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "load", "query", "show", "search", "quotes", "contacts", "people", "stats", "sql", "db"):
        assert command in result.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["frobnicate"])
    assert result.exit_code == 2


def test_start_up_imports_no_heavy_module() -> None:
    """`iwfdb --version` must stay fast: the ORM, Alembic, rich and phonenumbers load only where used."""
    code = "import sys; from iwfdb.cli import app; print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in ast.literal_eval(result.stdout)}
    assert not loaded & {"sqlalchemy", "alembic", "phonenumbers", "rich"}

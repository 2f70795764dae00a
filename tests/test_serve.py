"""`iwfdb serve` as a person runs it: which archive, the errors before anything starts, a real server that
answers and stops on Ctrl-C with exit status 130, `--open`, and a start-up that imports no web code."""

from __future__ import annotations

import ast
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browse_helpers import ServeProcess
from helpers import SEEDS, build_archive, iwfdb as run

from iwfdb.cli.serve_cmd import served_location
from iwfdb.db import migrate
from iwfdb.db import locate


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return build_archive(SEEDS, tmp_path_factory.mktemp("serve") / "archive.sqlite")


def test_serve_finds_the_archive_as_every_command_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IWFDB_DB", raising=False)

    def archive_path(db: str | None) -> Path:
        return served_location(db).path

    assert archive_path(None) == tmp_path / "iwfdb.sqlite"
    monkeypatch.setenv("IWFDB_DB", "from-env.sqlite")
    assert archive_path(None) == tmp_path / "from-env.sqlite"
    assert archive_path("given.sqlite") == tmp_path / "given.sqlite"
    assert archive_path("sqlite:///relative.sqlite") == tmp_path / "relative.sqlite"
    assert archive_path("sqlite:////abs/a.sqlite") == Path("/abs/a.sqlite")


def test_a_missing_archive_is_an_error_that_says_what_to_do(tmp_path):
    result = run(tmp_path / "none.sqlite", "serve")
    assert result.exit_code == 1
    assert f"error: no archive at {tmp_path / 'none.sqlite'}; run `iwfdb load FOLDER` first" in result.stderr


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my notes\n" * 200)
    result = run(notes, "serve")
    assert result.exit_code == 1 and "not an SQLite archive" in result.stderr


@pytest.mark.parametrize("url, message", [
    ("mysql://db/iwfdb", "SQLite (a file path) or PostgreSQL"),
    ("sqlite://", "an archive is a file; give its path"),
])  # fmt: skip
def test_a_url_of_another_database_is_a_usage_error(url, message):
    result = run(url, "serve")
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_copy_of_a_sqlite_archive_is_a_usage_error(archive, tmp_path):
    result = run(archive, "serve", "--copy", tmp_path / "copy.sqlite")
    assert result.exit_code == 2 and "error: --copy is for a PostgreSQL archive" in result.stderr
    assert not (tmp_path / "copy.sqlite").exists()


def test_an_archive_of_an_older_schema_asks_for_an_upgrade_and_is_not_changed(tmp_path):
    database = build_archive(SEEDS, tmp_path / "old.sqlite")
    migrate.downgrade(locate(str(database)), "0002")
    before = database.read_bytes()
    result = run(database, "serve")
    assert result.exit_code == 1 and "run `iwfdb db upgrade` first" in result.stderr
    assert database.read_bytes() == before


def test_a_port_in_use_is_an_error_that_names_it(archive):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(archive, "serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"error: cannot listen on 127.0.0.1 port {port}" in result.stderr and "--port" in result.stderr


def test_there_is_no_root_option_and_no_write_option():
    for option in ("--root", "--setting", "--plugins-dir"):
        assert run(Path("a.sqlite"), "serve", option).exit_code == 2


def test_without_datasette_serve_says_which_extra_to_install(archive):
    code = (
        "import sys; sys.modules['datasette'] = None; from iwfdb.cli import app;"
        f"app(['--db', {str(archive)!r}, 'serve'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == 'error: iwfdb serve needs Datasette, which is not installed: pip install "iwfdb[web]"\n'


def test_start_up_imports_no_web_code():
    code = "import sys; from iwfdb.cli import app; print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in ast.literal_eval(result.stdout)}
    assert not loaded & {"datasette", "uvicorn", "httpx", "jinja2"}


def test_a_real_server_answers_on_localhost_and_stops_on_ctrl_c(archive):
    with ServeProcess(archive) as server:
        assert server.first_line.startswith(f"Serving {archive} at http://127.0.0.1:")
        assert "read-only" in server.first_line
        assert "IWF press statements" in server.get("/")
        found = json.loads(server.get("/iwfdb/statements.json?_search=industry&_shape=array"))
        assert [row["title"] for row in found] == ["IWF's work with industry and social networks"]
        status, said = server.interrupt()
    assert status == 130
    assert said.strip().endswith("interrupted")


def test_a_real_server_answers_what_names_no_page_with_404_and_prints_nothing(archive):
    with ServeProcess(archive) as server:
        for path, method, status in [
            ("/iwfdb/statements/-/insert", "GET", 404), ("/iwfdb/-/create", "GET", 404), ("/-/nonexistent", "GET", 404),
            ("/iwfdb/statements/-/upsert", "POST", 405), ("/iwfdb/statements", "DELETE", 405),
            ("/iwfdb/statements?_facet=nosuch", "GET", 400), ("/iwfdb?sql=select+nosuch", "GET", 400),
        ]:  # fmt: skip
            request = urllib.request.Request(server.url + path.lstrip("/"), method=method)
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(request, timeout=30)
            assert answer.value.code == status, path
        status, said = server.interrupt()
    assert status == 130 and said.strip() == "interrupted"


def test_open_shows_the_home_page_in_the_browser(archive, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    with ServeProcess(archive, "--open", env={"BROWSER": browser}) as server:
        for _ in range(100):
            if opened.exists() and opened.read_text():
                break
            time.sleep(0.1)
        assert opened.read_text() == server.url
        server.interrupt()

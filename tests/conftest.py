"""Shared fixtures: every test gets its own STUFFCTL_HOME and deterministic output, and
runs once on each backend: on SQLite (the home's file) and on PostgreSQL (a fresh
database of the session's server, tests/pg_server.py, named by STUFFCTL_DB).

``--backend sqlite|postgres`` (or ``STUFFCTL_TEST_BACKEND``) runs one of them only. A
test that cannot apply to PostgreSQL (it looks into the SQLite file itself) is marked
``@pytest.mark.sqlite_only("why")`` and skips there with that reason; a test of the
server itself is marked ``postgres_only`` and runs on PostgreSQL alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stuffctl.store.handle import Db

# Typer forces terminal mode when FORCE_COLOR or CI variables are set: pin the
# environment so help and tables look the same on every machine.
os.environ.update(NO_COLOR="1", TERMINAL_WIDTH="100", COLUMNS="100",
                  _TYPER_FORCE_DISABLE_TERMINAL="1")
os.environ.pop("FORCE_COLOR", None)


BACKENDS = ("sqlite", "postgres")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=(*BACKENDS, "both"),
                     default=os.environ.get("STUFFCTL_TEST_BACKEND", "both"),
                     help="run the suite on SQLite, on PostgreSQL, or on both (default)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("backend")
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    server_only = metafunc.definition.get_closest_marker("postgres_only") is not None
    params = []
    for name in BACKENDS:
        if chosen not in (name, "both") or (server_only and name == "sqlite"):
            continue
        marks = ([pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}")]
                 if name == "postgres" and marker is not None else [])
        params.append(pytest.param(name, marks=marks, id=name))
    metafunc.parametrize("backend", params, scope="function")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: "sqlite" or "postgres"."""
    return str(request.param)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str,
         request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh, private stuffctl home for each test (reaches subprocesses too); on
    PostgreSQL, a fresh server database at the head revision, named by STUFFCTL_DB."""
    from stuffctl import paths
    from stuffctl.store import dispose_all

    home = tmp_path / "home"
    monkeypatch.setenv("STUFFCTL_HOME", str(home))
    monkeypatch.delenv("STUFFCTL_DB", raising=False)
    monkeypatch.delenv("STUFFCTL_DEBUG", raising=False)
    monkeypatch.delenv("STUFFCTL_USER", raising=False)
    paths.set_db_override(None)
    database = None
    if backend == "postgres":
        server = request.getfixturevalue("postgres_databases")
        database = server.fresh()
        monkeypatch.setenv("STUFFCTL_DB", database.url)
    yield home
    dispose_all()
    paths.set_db_override(None)
    if database is not None:
        database.drop()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


class Cli:
    """Runs stuffctl in-process through the same boundary the console script uses."""

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from typer.testing import CliRunner

        from stuffctl.cli.main import run

        runner = CliRunner()
        with runner.isolation(input=input) as (out, err, _):
            code = run(list(args))
            result = Result(code, out.getvalue().decode(), err.getvalue().decode())
        from stuffctl import paths

        paths.set_db_override(None)
        return result

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> object:
        return self.ok(*args, "--json").json()


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def db(home: Path) -> Iterator[Db]:
    """The database handle of a write transaction on the test home's database, committed
    at the end (as a command's)."""
    from stuffctl import store

    with store.transaction(write=True) as handle:
        yield handle


def sql_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (``?`` placeholders) on the test's database, whichever backend
    it is on: what a test checks was written, or was not."""
    from stuffctl import store

    with store.transaction() as handle:
        return [tuple(row) for row in handle.execute(sql, params)]


def sql_one(sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row of ``sql`` on the test's database."""
    rows = sql_rows(sql, params)
    return rows[0][0] if rows else None


def sql_write(sql: str, params: Sequence[Any] = ()) -> None:
    """Run ``sql`` on the test's database, bypassing the commands' checks (as a hand
    edit or an older stuffctl may have left a row)."""
    from stuffctl import store

    with store.transaction(write=True) as handle:
        handle.execute(sql, params)


def stuffctl_exe() -> list[str]:
    """This environment's console script (not a pyenv shim found first on PATH)."""
    beside = Path(sys.executable).parent / "stuffctl"
    found = str(beside) if beside.exists() else shutil.which("stuffctl")
    return [found] if found else [sys.executable, "-m", "stuffctl"]


def run_installed(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``stuffctl`` as cron and scripts do."""
    return subprocess.run([*stuffctl_exe(), *args], capture_output=True, text=True,
                          env=env, input=input, timeout=timeout)


from tests.pg_server import postgres_databases, postgres_server  # noqa: E402,F401

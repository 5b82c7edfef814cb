"""Shared fixtures: every test gets its own STUFFCTL_HOME and deterministic output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stuffctl.store.handle import Db

# Typer forces terminal mode when FORCE_COLOR or CI variables are set: pin the
# environment so help and tables look the same on every machine.
os.environ.update(NO_COLOR="1", TERMINAL_WIDTH="100", COLUMNS="100",
                  _TYPER_FORCE_DISABLE_TERMINAL="1")
os.environ.pop("FORCE_COLOR", None)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, private stuffctl home for each test (reaches subprocesses too)."""
    from stuffctl import paths
    from stuffctl.store import dispose_all

    home = tmp_path / "home"
    monkeypatch.setenv("STUFFCTL_HOME", str(home))
    monkeypatch.delenv("STUFFCTL_DB", raising=False)
    monkeypatch.delenv("STUFFCTL_DEBUG", raising=False)
    paths.set_db_override(None)
    yield home
    dispose_all()
    paths.set_db_override(None)


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


from tests.pg_server import postgres_server  # noqa: E402,F401 (the session's PostgreSQL)

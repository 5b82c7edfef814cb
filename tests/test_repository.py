"""The repository holds sources only: scratch files stuffctl or SQLite leave are ignored."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = [".backup-20261123T085042914617Z.db.tmp", ".backup-20261123T085042914617Z.db.tmp-shm",
           ".backup-20261123T085042914617Z.db.tmp-wal", "stuffctl.db", "stuffctl.db-wal",
           "stuffctl.db-shm", "stuffctl.db-journal"]


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=False)


@pytest.fixture(autouse=True)
def _a_git_checkout() -> None:
    if shutil.which("git") is None or git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")


@pytest.mark.parametrize("name", SCRATCH)
def test_database_scratch_files_are_ignored_by_git(name):
    assert git("check-ignore", "--no-index", "-q", name).returncode == 0


def test_no_database_or_scratch_file_is_tracked():
    tracked = git("ls-files").stdout.splitlines()
    suffixes = (".db", ".db-wal", ".db-shm", ".db-journal", ".db.tmp", ".db.tmp-wal",
                ".db.tmp-shm")
    assert [p for p in tracked if p.endswith(suffixes)] == []


def test_every_file_the_package_reads_is_installed_with_it():
    """A wheel holds the package's ``.py`` files and what ``package-data`` names: a
    file left out (the server's schema, head.pg.sql, once) works from the source tree
    and fails for everyone who installs stuffctl."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["stuffctl"]
    package = ROOT / "src" / "stuffctl"
    files = [p.relative_to(package).as_posix() for p in package.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"]
    assert files  # the schemas at least
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []

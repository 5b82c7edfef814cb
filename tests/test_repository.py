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

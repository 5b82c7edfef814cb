"""A write that runs out of space fails cleanly: one line, exit 1, earlier data intact.

The child gets a file-size limit (RLIMIT_FSIZE) just above the database's current size,
with SIGXFSZ ignored, so a write past it fails as a full disk does.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
from collections.abc import Callable

import pytest

from tests.reliability.conftest import (
    Database,
    assert_sound,
    child_env,
    rows_up_to,
    stuffctl_argv,
)

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs rlimits")


def file_size_limit(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def run_limited(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    """``stuffctl ARGS`` with room for 16 KiB more than the largest database file (a server
    database has none here: 16 KiB)."""
    files = [] if isinstance(db, str) else list(db.parent.glob(db.name + "*"))
    limit = max((p.stat().st_size for p in files), default=0) + 16_384
    return subprocess.run(stuffctl_argv(*args), capture_output=True, text=True, timeout=120,
                          env=child_env(), preexec_fn=file_size_limit(limit))


@pytest.mark.sqlite_only("limits the size of the files the command writes itself "
                         "(RLIMIT_FSIZE): a server writes its database files out of its reach")
def test_a_database_write_past_the_disk_space_exits_1_and_keeps_earlier_data(db):
    before = rows_up_to(db)
    big = ["--notes", "n" * 100_000] + [f"--field=f{i}={'v' * 100_000}" for i in range(12)]
    done = run_limited(db, "asset", "add", "Too big", *big)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("stuffctl: error: cannot write the database: ")
    assert done.stderr.endswith("; nothing was changed\n")
    assert_sound(db)
    assert rows_up_to(db) == before


def test_an_attachment_past_the_disk_space_exits_1_and_leaves_no_partial_file(db, home, tmp_path):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF" * 1_000_000)
    before = rows_up_to(db)
    done = run_limited(db, "asset", "attach", "1", str(receipt))
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"stuffctl: error: {receipt}: File too large\n"
    assert rows_up_to(db) == before
    assert [p for p in (home / "attachments").rglob("*") if p.is_file()] == []


@pytest.mark.sqlite_only("the files a SQLite reader makes beside the database file "
                         "(-wal, -shm) on a full disk; a server's are out of the command's reach")
def test_reads_of_a_closed_database_work_on_a_full_disk_and_writes_say_why_they_fail(db):
    """With the database closed (no -wal beside it), a full disk leaves no room for the
    files a reader makes: reads still answer from the file alone, and a write fails with
    one line about the disk, never a migration that is not pending."""
    assert not db.with_name(db.name + "-wal").exists()
    before = rows_up_to(db)

    def limited(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(stuffctl_argv(*args), capture_output=True, text=True,
                              timeout=120, env=child_env(), preexec_fn=file_size_limit(0))

    listed = limited("asset", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(a["name"] for a in json.loads(listed.stdout)) == ["Bike", "Drill", "Kettle"]
    assert limited("db", "check").returncode == 0
    brief = limited("status", "--brief")
    assert (brief.returncode, brief.stderr) == (0, "")
    added = limited("asset", "add", "Lamp")
    assert added.returncode == 1
    assert added.stderr.startswith("stuffctl: error: cannot write the database: ")
    assert added.stderr.count("\n") == 1 and "migrat" not in added.stderr
    assert_sound(db)
    assert rows_up_to(db) == before

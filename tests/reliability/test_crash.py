"""kill -9 at random moments: during a bulk import, and while writing files.

Each child starts, imports and opens everything, then waits for the go: the kill
moments are random (seeded: set STUFFCTL_CRASH_SEED to replay a run) across the
command's own run time, measured by one complete run first, so no trial is wasted
killing an interpreter that is still starting.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.reliability.commands import BULK_WRITERS, FILE_WRITERS, BulkWriter, FileWriter, require
from tests.reliability.conftest import (
    Database,
    assert_sound,
    child_env,
    count,
    driver_argv,
    query,
    rows_up_to,
)

IMPORT_ROWS = 10_000
IMPORT_TRIALS = 20
FILE_TRIALS = 8


def rng() -> random.Random:
    seed = int(os.environ.get("STUFFCTL_CRASH_SEED") or random.randrange(1 << 32))
    print(f"STUFFCTL_CRASH_SEED={seed}")
    return random.Random(seed)


def started(args: list[str]) -> subprocess.Popen[str]:
    """A child that will run ``stuffctl ARGS``, warmed up and waiting for the go."""
    proc = subprocess.Popen(driver_argv("go", json.dumps(args)), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env())
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline() == "ready\n"
    return proc


def timed_run(args: list[str]) -> float:
    """Run to the end; return how long the command itself took."""
    proc = started(args)
    begin = time.monotonic()
    _, err = proc.communicate("go\n", timeout=300)
    assert proc.returncode == 0, err
    return time.monotonic() - begin


def kill_after(proc: subprocess.Popen[str], after: float) -> None:
    """Give a started child the go; kill -9 it ``after`` seconds later unless it is done."""
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    proc.communicate()


def db_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def restore(pristine: Path, db: Path) -> None:
    for f in db_files(db):
        f.unlink(missing_ok=True)
    shutil.copyfile(pristine, db)


@contextmanager
def kept(db: Database, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """A copy of the database as it is now; yields what puts it back (a server database:
    made again from a copy on the server, which is dropped at the end)."""
    if not isinstance(db, str):
        pristine = tmp_path / "pristine.db"
        shutil.copyfile(db, pristine)
        yield lambda: restore(pristine, db)
        return
    import psycopg

    base, _, name = db.rpartition("/")
    copy = f"{name}_pristine"

    def admin(*statements: str) -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    admin(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    try:
        yield lambda: admin(f'DROP DATABASE "{name}" WITH (FORCE)',
                            f'CREATE DATABASE "{name}" TEMPLATE "{copy}"')
    finally:
        admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def settled(db: Database) -> None:
    """Wait until the server has ended the session of a killed child: a COMMIT it sent
    just before it was killed is then either done or never happens (SQLite commits in the
    child itself: nothing to wait for)."""
    if not isinstance(db, str):
        return
    deadline = time.monotonic() + 30
    while query(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                "current_database() AND pid <> pg_backend_pid()")[0][0]:
        assert time.monotonic() < deadline, "a killed child's session is still open"
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.parametrize("writer", BULK_WRITERS, ids=lambda w: w.id)
def test_kill_9_during_an_import_leaves_all_or_nothing_and_a_rerun_completes_it(
    db: Database, tmp_path: Path, writer: BulkWriter
):
    require(writer.args)
    src = tmp_path / "import.csv"
    writer.make_input(src, IMPORT_ROWS)
    cmd = [a.format(src=src) for a in writer.args]
    with kept(db, tmp_path) as put_back:
        seeded, base = rows_up_to(db), count(db, writer.table)
        limits = {t: rows[-1][0] if rows else 0 for t, rows in seeded.items()}
        duration = timed_run(cmd)
        assert count(db, writer.table) == base + IMPORT_ROWS
        put_back()
        r = rng()
        child = started(cmd)
        for trial in range(IMPORT_TRIALS):
            kill_after(child, r.uniform(0, 1.1) * duration)
            child = started(cmd)  # warms up while this trial's database is checked
            settled(db)
            assert_sound(db)
            found = count(db, writer.table)
            assert found in (base, base + IMPORT_ROWS), f"trial {trial}: {found - base} rows"
            assert rows_up_to(db, limits) == seeded, f"trial {trial}: earlier data changed"
            if found != base:
                put_back()
    child.kill()
    child.communicate()
    timed_run(cmd)
    timed_run(cmd)
    assert count(db, writer.table) == base + IMPORT_ROWS
    assert_sound(db)


def test_kill_9_during_write_atomic_leaves_the_old_or_the_new_file(tmp_path: Path):
    target, size = tmp_path / "big.bin", 4_000_000
    r = rng()
    for trial in range(FILE_TRIALS):
        proc = subprocess.Popen(driver_argv("atomic", str(target), str(size)), env=child_env())
        try:
            proc.wait(timeout=r.uniform(0.2, 1.0))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if target.exists():
            data = target.read_bytes()
            assert data in (b"A" * size, b"B" * size), f"trial {trial}: torn file"


def _values(home: Path, out: Path, n: int) -> dict[str, str]:
    return {"home": str(home), "out": str(out), "currency": ("USD", "EUR")[n % 2]}


@pytest.mark.parametrize("writer", FILE_WRITERS, ids=lambda w: w.id)
def test_kill_9_while_a_command_writes_a_file_leaves_the_old_or_the_new_file(
    db: Path, home: Path, tmp_path: Path, writer: FileWriter
):
    require(writer.args)
    out = tmp_path / "out.file"
    target = Path(writer.target.format(**_values(home, out, 0)))
    cmd = list(writer.args)
    duration = timed_run([w.format(**_values(home, out, 0)) for w in cmd])
    r = rng()
    for trial in range(1, FILE_TRIALS + 1):
        kill_after(started([w.format(**_values(home, out, trial)) for w in cmd]),
                   r.uniform(0, 1.1) * duration)
        text = target.read_text(encoding="utf-8")
        assert writer.complete(text), f"trial {trial}: torn file {text[:200]!r}"

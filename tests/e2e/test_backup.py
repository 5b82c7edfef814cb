"""A backup taken while another process writes is sound and restores."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from stuffctl import paths
from tests.conftest import run_installed

WRITER = textwrap.dedent("""
    from stuffctl import store
    from stuffctl.store import sql
    for batch in range(50):
        with store.transaction(write=True) as db:
            sql.insert_many(db, "txn", ["occurred_on", "amount_minor", "currency"],
                            [("2026-01-01", -i, "EUR") for i in range(100)])
        print(batch, flush=True)
""")


@pytest.mark.e2e
def test_backup_while_another_process_inserts_5000_rows_is_sound_and_restores(tmp_path):
    env = dict(os.environ)
    assert run_installed("asset", "add", "Seed", env=env).returncode == 0
    writer = subprocess.Popen([sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout is not None
    writer.stdout.readline()  # it has started writing
    target = tmp_path / "during.db"
    done = run_installed("backup", "--out", str(target), env=env)
    assert done.returncode == 0, done.stderr
    writer.communicate(timeout=120)
    assert writer.returncode == 0
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = conn.execute("SELECT count(*) FROM txn").fetchone()[0]
    conn.close()
    assert copied % 100 == 0 and 100 <= copied <= 5000
    live = sqlite3.connect(paths.db_path())
    assert live.execute("SELECT count(*) FROM txn").fetchone()[0] == 5000
    live.close()
    restored = run_installed("restore", str(target), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    live = sqlite3.connect(paths.db_path())
    assert live.execute("SELECT count(*) FROM txn").fetchone()[0] == copied
    assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    live.close()

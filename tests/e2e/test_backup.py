"""A backup taken while another process writes is sound and restores."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from stuffctl import paths
from tests.conftest import run_installed
from tests.reliability.conftest import count

WRITER = textwrap.dedent("""
    from stuffctl import store
    from stuffctl.store import sql
    for batch in range(50):
        with store.transaction(write=True) as db:
            sql.insert_many(db, "txn", ["occurred_on", "amount_minor", "currency"],
                            [("2026-01-01", -i, "EUR") for i in range(100)])
        print(batch, flush=True)
""")


def started_writer(env: dict[str, str]) -> subprocess.Popen[str]:
    """WRITER, once it has committed its first batch."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout is not None
    writer.stdout.readline()  # it has started writing
    return writer


@pytest.mark.e2e
@pytest.mark.sqlite_only("the backup is a SQLite file, checked by SQLite and put back by "
                         "`restore`; a server's is pg_dump's: the test below")
def test_backup_while_another_process_inserts_5000_rows_is_sound_and_restores(tmp_path):
    env = dict(os.environ)
    assert run_installed("asset", "add", "Seed", env=env).returncode == 0
    writer = started_writer(env)
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


@pytest.mark.e2e
@pytest.mark.postgres_only
@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_restore is missing")
def test_backup_of_a_server_while_another_process_inserts_5000_rows_is_one_snapshot(tmp_path):
    """pg_dump copies one snapshot: whole batches only, however the writer goes on, and
    pg_restore brings it back as a database stuffctl reads."""
    import psycopg

    url = os.environ["STUFFCTL_DB"]
    env = dict(os.environ)
    assert run_installed("asset", "add", "Seed", env=env).returncode == 0
    writer = started_writer(env)
    target = tmp_path / "during.dump"
    done = run_installed("backup", "--out", str(target), env=env)
    assert done.returncode == 0, done.stderr
    writer.communicate(timeout=120)
    assert writer.returncode == 0
    base, _, name = url.rpartition("/")
    copy = f"{name}_restored"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{copy}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", "--dbname", f"{base}/{copy}", str(target)],
                       check=True, capture_output=True)
        copied = count(f"{base}/{copy}", "txn")
        assert copied % 100 == 0 and 100 <= copied <= 5000
        assert count(url, "txn") == 5000
        restored = run_installed("--db", f"{base}/{copy}", "tx", "list", "--totals", "--json",
                                 env=env)
        assert json.loads(restored.stdout)[0]["count"] == copied
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

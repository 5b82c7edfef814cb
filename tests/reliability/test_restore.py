"""`restore` against a live home: writes racing it are never lost, and a damaged live
database can be replaced (issue #19, items 1 and 2).

`restore` replaces a database *file*: a server database is brought back by
``pg_restore``, which `restore` names instead (tests/services/test_postgres_backend.py).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.reliability.conftest import assert_sound, run_stuffctl
from tests.reliability.test_concurrency import finish, go, start


def payees(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {payee for (payee,) in conn.execute("SELECT payee FROM txn")}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.sqlite_only("`restore` replaces the SQLite file; a server database is brought "
                         "back by pg_restore")
def test_writes_racing_a_restore_are_in_the_kept_copy_or_after_it(home: Path) -> None:
    """Every `tx add` that exited 0 while restores ran is in the live database or in a
    copy a restore kept: a restore shuts writers out before it copies what it replaces."""
    assert run_stuffctl("config", "set", "backups.keep", "1000").returncode == 0
    assert run_stuffctl("tx", "add", "1", "seed", "--in").returncode == 0
    backup = home.parent / "b.db"
    assert run_stuffctl("backup", "--out", str(backup)).returncode == 0

    writer = start("write", "400", json.dumps(["tx", "add", "1", "racer-{i}", "--in"]))
    restores: list[int] = []
    done = threading.Event()

    def restore_until_done() -> None:
        while not done.is_set() or len(restores) < 5:
            restores.append(run_stuffctl("restore", "--yes", str(backup)).returncode)

    restorer = threading.Thread(target=restore_until_done)
    go(writer)
    restorer.start()
    code, out, err = finish(writer)
    done.set()
    restorer.join(timeout=300)

    acknowledged = {f"racer-{i}" for i in json.loads(out)["acknowledged"]}
    assert len(acknowledged) >= 20, (code, out, err)
    assert restores.count(0) >= 5, restores
    kept = sorted((home / "backups").glob("pre-restore-*.db"))
    assert len(kept) == restores.count(0)
    found = payees(home / "stuffctl.db").union(*(payees(k) for k in kept))
    assert acknowledged - found == set()
    assert_sound(home / "stuffctl.db")


@pytest.mark.sqlite_only("damages the bytes of the SQLite file, which `restore` replaces")
@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_restore_replaces_a_damaged_live_database_and_keeps_its_bytes(
        home: Path, damage: str) -> None:
    """Recovery is possible exactly when it is needed: over a file SQLite cannot read."""
    from tests.conftest import Cli

    cli = Cli()
    cli.ok("tx", "add", "1", "good", "--in")
    backup = home.parent / "b.db"
    cli.ok("backup", "--out", str(backup))
    live = home / "stuffctl.db"
    whole = live.read_bytes()
    broken = {"garbage": b"this is not a database\n", "truncated": whole[:3000],
              "empty": b""}[damage]
    live.write_bytes(broken)

    result = cli("restore", "--yes", str(backup), "--json")

    assert result.exit_code == 0, result.stderr
    assert payees(live) == {"good"}
    assert_sound(live)
    kept = result.json()["replaced_kept_as"]  # type: ignore[index]
    if damage == "empty":
        assert kept is None
    else:
        assert Path(kept).read_bytes() == broken
    assert {p.name for p in home.iterdir()} - {"backups"} == {"stuffctl.db"}


@pytest.mark.sqlite_only("damages the bytes of the SQLite file; a server reports its own "
                         "damage (data checksums)")
@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_db_check_on_a_damaged_database_names_its_checks_and_the_fix(
        home: Path, damage: str) -> None:
    from tests.conftest import Cli

    cli = Cli()
    cli.ok("tx", "add", "1", "good", "--in")
    cli.ok("backup")
    live = home / "stuffctl.db"
    live.write_bytes(b"this is not a database\n" if damage == "garbage"
                     else live.read_bytes()[:3000])

    result = cli("db", "check", "--json")

    assert result.exit_code == 1, result.stderr
    findings = result.json()["findings"]  # type: ignore[index]
    checks = {f["check"] for f in findings}
    assert checks == {"integrity", "foreign_keys", "schema", "journal_mode", "attachments",
                      "values", "permissions", "leftovers"}
    integrity = [f for f in findings if f["check"] == "integrity"]
    assert not integrity[0]["ok"]
    newest = max((home / "backups").glob("backup-*.db"))
    assert integrity[0]["fix"] == f"stuffctl restore {newest}"
    text = cli("db", "check")
    assert text.exit_code == 1
    assert "FAIL integrity" in text.stdout and f"stuffctl restore {newest}" in text.stdout


@pytest.mark.sqlite_only("SQLite's -wal/-shm files and the backup's file format; a server's "
                         "backup is pg_dump's")
def test_backups_leave_nothing_beside_them_and_stay_single_files(home: Path) -> None:
    """No -wal/-shm or temporary file after backups taken while another connection has
    the database open in WAL mode, and a backup is a rollback-journal file: reading it
    (read-only, as restore checks it) makes nothing beside it either."""
    from tests.conftest import Cli

    cli = Cli()
    cli.ok("tx", "add", "1", "good", "--in")
    holder = sqlite3.connect(home / "stuffctl.db")
    holder.execute("SELECT count(*) FROM txn").fetchall()
    try:
        for _ in range(3):
            cli.ok("backup")
    finally:
        holder.close()
    cli.ok("restore", "--yes", str(max((home / "backups").glob("backup-*.db"))))
    made = sorted((home / "backups").iterdir())
    assert [p.name.split("-2")[0] for p in made] == ["backup"] * 3 + ["pre-restore"]
    for path in made:
        assert path.read_bytes()[18:20] == b"\x01\x01"  # not WAL
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM txn").fetchall()
        conn.close()
    assert sorted((home / "backups").iterdir()) == made


def test_a_killed_backups_temporary_file_is_reported_and_then_removed(home: Path) -> None:
    import subprocess

    from tests.conftest import Cli

    cli = Cli()
    cli.ok("tx", "add", "1", "good", "--in")
    dead = subprocess.Popen(["true"])  # a process id no process has now
    dead.wait()
    backups = home / "backups"
    home.mkdir(mode=0o700, exist_ok=True)  # a server database's home has no file yet
    backups.mkdir(mode=0o700)
    left = backups / f".backup-20260101T000000000000Z.db.{dead.pid}.tmp"
    left.write_bytes(b"x" * 4096)
    (backups / (left.name + "-wal")).write_bytes(b"")
    older = home / ".stuffctl.db.tmp-shm"  # named by an earlier version, without a process
    older.write_bytes(b"")

    result = cli("db", "check", "--json")

    assert result.exit_code == 1
    failed = [f for f in result.json()["findings"] if not f["ok"]]  # type: ignore[index]
    assert {(f["check"], f["fix"]) for f in failed} == {
        ("leftovers", f"delete it: rm {p}") for p in (left, Path(f"{left}-wal"), older)}
    cli.ok("backup")
    assert not left.exists() and not Path(f"{left}-wal").exists()

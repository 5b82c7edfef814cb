"""A home whose path holds %, # or ? (meaningful in URIs and URLs) is still that home:
every command uses it, backups and migrations work, and no file appears elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_installed

ODD = ["100% mine", "#1 home", "what?now", "a%20b#c?d"]


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ODD)
def test_every_command_uses_a_home_with_uri_characters(tmp_path: Path, name: str,
                                                       backend: str):
    home = tmp_path / name
    env = {**os.environ, "STUFFCTL_HOME": str(home)}

    def ok(*args: str) -> str:
        done = run_installed(*args, env=env)
        assert done.returncode in (0, 10), (args, done.stderr)
        return done.stdout

    ok("asset", "add", "Drill")
    ok("remind", "add", "Bins out", "--on", "2030-01-01")
    ok("remind", "run")
    ok("status", "--brief")
    ok("task", "next")
    out = tmp_path / "out.db"
    ok("backup", "--out", str(out))
    assert "ok" in ok("db", "check")
    if backend == "sqlite":  # a server database is restored by pg_restore, not `restore`
        ok("restore", "--yes", str(out))
    else:
        ok("backup")  # pg_dump's copy, into the home's backups/
        assert list((home / "backups").glob("backup-*.dump"))
    assert "Drill" in ok("asset", "list")
    outside = {p for p in files_under(tmp_path) if home not in p.parents and p != out}
    assert outside == set()


@pytest.mark.sqlite_only("a pending migration of the home's SQLite file, with its "
                         "pre-migration copy in the home")
def test_a_pending_migration_runs_in_a_home_with_a_percent_sign(tmp_path: Path):
    from stuffctl.store import migrate, schema

    home = tmp_path / "50%41 off"  # %41 is "A" to a URL parser
    home.mkdir()
    migrate.run_migrations(home / "stuffctl.db", revision=schema.known_revisions()[-2])
    env = {**os.environ, "STUFFCTL_HOME": str(home)}
    done = run_installed("asset", "add", "Drill", env=env)
    assert done.returncode == 0, done.stderr
    assert list((home / "backups").glob("pre-migration-*.db"))
    info = run_installed("db", "info", "--json", env=env)
    assert f'"schema_version": "{schema.head_revision()}"' in info.stdout

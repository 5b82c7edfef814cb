"""A migration that fails half-way, backups that are pruned, a database from the future."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import stuffctl
from stuffctl.store import schema
from tests.reliability.conftest import (
    Database,
    assert_sound,
    child_env,
    count,
    query,
    rows_up_to,
    run_stuffctl,
    stuffctl_argv,
    write,
)

HALF_WAY = '''
"""creates a table, fills it, then fails"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    with op.batch_alter_table("asset") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))
    raise RuntimeError("simulated failure half-way")


def downgrade() -> None:
    pass
'''


def code_with_failing_migration(tmp_path: Path) -> Path:
    """A copy of the installed stuffctl with one more migration, which fails half-way."""
    copy = tmp_path / "code"
    shutil.copytree(Path(stuffctl.__file__).parent, copy / "stuffctl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = schema.head_revision()
    new = f"{int(head) + 1:04d}"
    versions = copy / "stuffctl" / "store" / "migrations" / "versions"
    (versions / f"{new}_half_way.py").write_text(HALF_WAY.format(rev=new, down=head))
    return copy


def run_with(code: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(stuffctl_argv(*args), capture_output=True, text=True, timeout=120,
                          env=child_env(PYTHONPATH=str(code)))


NO_SERVER_MIGRATIONS = ("runs an Alembic migration on the SQLite file, with its pre-migration "
                        "copy; a server database has no migration yet (store.postgres.connect)")


def tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    return names


def version(db: Database) -> str:
    ((value,),) = query(db, "SELECT version_num FROM alembic_version")
    return str(value)


@pytest.mark.sqlite_only(NO_SERVER_MIGRATIONS)
def test_a_migration_failing_half_way_leaves_the_old_version_usable_with_a_backup(
    db, home, tmp_path
):
    before, head = rows_up_to(db), schema.head_revision()
    done = run_with(code_with_failing_migration(tmp_path), "asset", "add", "New")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "failed, left unchanged: simulated failure half-way" in done.stderr
    assert version(db) == head
    assert "half_done" not in tables(db)
    assert rows_up_to(db) == before
    assert_sound(db)
    (backup,) = (home / "backups").glob(f"pre-migration-{head}-*.db")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert_sound(backup)
    assert rows_up_to(backup) == before
    again = run_stuffctl("asset", "add", "Still works")
    assert again.returncode == 0, again.stderr
    assert count(db, "asset") == 4


@pytest.mark.sqlite_only(NO_SERVER_MIGRATIONS)
def test_old_backups_are_pruned_to_the_configured_number_after_repeated_failures(
    db, home, tmp_path
):
    assert run_stuffctl("config", "set", "backups.keep", "2").returncode == 0
    code = code_with_failing_migration(tmp_path)
    for _ in range(4):
        assert run_with(code, "asset", "list").returncode == 1
    assert len(list((home / "backups").glob("pre-migration-*.db"))) == 2
    assert list((home / "backups").glob(".*.tmp")) == []
    assert version(db) == schema.head_revision()


def test_a_database_from_a_newer_stuffctl_is_refused_for_writing_and_still_readable(db):
    write(db, "UPDATE alembic_version SET version_num = '9999'")
    before = rows_up_to(db)
    done = run_stuffctl("asset", "add", "From the past")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "upgrade stuffctl" in done.stderr
    assert rows_up_to(db) == before
    listed = run_stuffctl("asset", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"name"') == 3

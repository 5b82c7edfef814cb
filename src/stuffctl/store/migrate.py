"""Bring a database file to the head revision, safely.

A cheap plain-sqlite3 revision check runs on every open; only when a migration
is pending is Alembic imported. An existing database is first copied with
SQLite's backup API and the copy verified; the migration runs in one
transaction, so a failure leaves the file at its old revision.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from stuffctl import paths
from stuffctl.errors import OperationFailed
from stuffctl.store import schema


class NewerDatabase(OperationFailed):
    """The database was written by a newer stuffctl."""


def check_and_migrate(path: Path, *, write: bool) -> str:
    """Ensure ``path`` exists at the head revision; return its revision."""
    paths.touch_private(path)
    conn = sqlite3.connect(path)
    try:
        current = schema.stored_revision(conn)
    finally:
        conn.close()
    known = schema.known_revisions()
    head = known[-1]
    if current == head:
        return head
    if current is not None and current not in known:
        if write:
            raise NewerDatabase(
                f"{path} has schema {current}, newer than this stuffctl knows ({head}); "
                "upgrade stuffctl to change it"
            )
        return current
    if current is not None:
        backup_before_migration(path, current)
    run_migrations(path)
    return head


def backup_before_migration(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups_dir() / f"pre-migration-{revision}-{stamp}.db"
    from stuffctl.store.backup import backup_to, prune

    backup_to(path, target)
    prune(prefix="pre-migration-")
    return target


def run_migrations(path: Path, *, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    from stuffctl.store.engine import make_engine

    engine = make_engine(path, write=True, foreign_keys=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(schema.VERSIONS_DIR.parent))
    try:
        with engine.connect() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
            from stuffctl.store import search

            search.install(connection, rebuild=True)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise OperationFailed(f"migration left {len(problems)} broken references")
    except OperationFailed:
        raise
    except Exception as exc:
        raise OperationFailed(f"migrating {path} failed, left unchanged: {exc}") from exc
    finally:
        engine.dispose()


def make_revision(message: str) -> None:
    """Developer tool: autogenerate the next migration from the models.

    ``python -m stuffctl.store.migrate "add budgets"`` compares the models with
    a scratch database migrated to the current head and writes
    ``migrations/versions/NNNN_<slug>.py``. With ``0001_initial.py`` deleted it
    regenerates 0001 from a blank database, leaving the later (hand-written)
    revisions such as ``0002_search.py`` in place.
    """
    import shutil
    import tempfile

    known = schema.known_revisions() if schema.VERSIONS_DIR.is_dir() else []
    if "0001" not in known:
        with tempfile.TemporaryDirectory() as tmp:
            scripts = Path(tmp) / "migrations"
            shutil.copytree(schema.VERSIONS_DIR.parent, scripts,
                            ignore=shutil.ignore_patterns("versions", "__pycache__"))
            (scripts / "versions").mkdir()
            _autogenerate(scripts, Path(tmp) / "scratch.db", message, "0001", migrate=False)
            for made in (scripts / "versions").glob("0001_*.py"):
                shutil.copy(made, schema.VERSIONS_DIR / made.name)
        return
    rev_id = f"{int(known[-1]) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        _autogenerate(schema.VERSIONS_DIR.parent, Path(tmp) / "scratch.db", message, rev_id,
                      migrate=True)


def _autogenerate(scripts: Path, scratch: Path, message: str, rev_id: str, *,
                  migrate: bool) -> None:
    from alembic import command
    from alembic.config import Config

    from stuffctl.store.engine import make_engine

    if migrate:
        run_migrations(scratch)
    engine = make_engine(scratch, write=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.revision(cfg, message, autogenerate=True, rev_id=rev_id)
    engine.dispose()


if __name__ == "__main__":
    import sys

    make_revision(" ".join(sys.argv[1:]) or "change")

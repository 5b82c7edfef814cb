"""Bring a database file to the head revision, safely.

A cheap plain-sqlite3 revision check runs on every open; only when a migration
is pending is Alembic imported. An existing database is first copied with
SQLite's backup API and the copy verified; the migration runs in one
transaction, so a failure leaves the file at its old revision.

A blank database (a new home) is created from ``migrations/head.sql``, the
schema a blank database has after every migration, in one ``BEGIN IMMEDIATE``
transaction with plain sqlite3: 30 ms instead of the ~700 ms of importing
Alembic and SQLAlchemy and running each revision. The snapshot names its
revision; when it is not the head (or this SQLite lacks FTS5) the migrations
run as before. ``tests/services/test_store.py`` fails when the snapshot differs
from what the migrations build; ``python -m stuffctl.store.generate`` rewrites it
(with every other file derived from the models).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from stuffctl import paths
from stuffctl.errors import NewerDatabase, OperationFailed
from stuffctl.store import schema


def check_and_migrate(path: Path, *, write: bool, backup_first: bool = True) -> str:
    """Ensure ``path`` exists at the head revision; return its revision.

    ``backup_first``: copy an existing database to the backups before migrating it
    (not for a restore's staged copy, whose original stays where it is).
    """
    if not path.exists():
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
    if current is not None and backup_first:
        backup_before_migration(path, current)
    elif create_from_snapshot(path, head):
        return head
    run_migrations(path)
    return head


def blank_database() -> sqlite3.Connection:
    """An empty database at the head revision, in memory: what a read of a home that has
    no database yet sees, without making one there. Built as a new home's database is,
    in a temporary folder that is removed at once."""
    import tempfile

    blank = sqlite3.connect(":memory:")
    with tempfile.TemporaryDirectory(prefix="stuffctl-blank-") as tmp:
        path = Path(tmp) / paths.DB_NAME
        check_and_migrate(path, write=True)
        made = sqlite3.connect(path)
        try:
            made.backup(blank)
        finally:
            made.close()
    return blank


SNAPSHOT = schema.VERSIONS_DIR.parent / "head.sql"
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def snapshot_sql(conn: sqlite3.Connection) -> str:
    """The script that makes a blank database equal to ``conn`` (a blank database at some
    revision): its tables, indexes, triggers and FTS tables, in creation order (SQLite
    makes the FTS5 shadow tables and internal indexes itself), and its revision."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                        "ORDER BY rowid").fetchall()
    virtual = [name for name, sql in rows if sql.startswith("CREATE VIRTUAL TABLE")]
    made_by_sqlite = {f"{v}_{suffix}" for v in virtual for suffix in FTS5_SHADOWS}
    revision = schema.stored_revision(conn)
    statements = [f"{sql};" for name, sql in rows
                  if name not in made_by_sqlite and not name.startswith("sqlite_")]
    # as search.install(rebuild=True) after the migrations: an empty index's averages record
    rebuilt = [f"INSERT INTO {v}({v}) VALUES ('rebuild');" for v in virtual]
    return "\n".join([
        f"-- revision {revision}",
        "-- The schema of a blank stuffctl database after every migration (see store/migrate.py).",
        "-- Written by `python -m stuffctl.store.generate`; do not edit.",
        *statements, *rebuilt,
        f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');",
        "",
    ])


def create_from_snapshot(path: Path, head: str) -> bool:
    """Make the blank database ``path`` from the snapshot; False when it cannot (a stale
    snapshot, no FTS5), leaving the file blank for the migrations."""
    try:
        script = SNAPSHOT.read_text(encoding="utf-8")
    except OSError:
        return False
    if script.partition("\n")[0] != f"-- revision {head}":
        return False
    from stuffctl.store.pragmas import apply_pragmas

    conn = sqlite3.connect(path)
    try:
        apply_pragmas(conn, foreign_keys=False)
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}COMMIT;")
        return True
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        # Another process made it meanwhile ("already exists"): then it is at head now.
        return schema.stored_revision(conn) == head
    finally:
        conn.close()


def backup_before_migration(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups_dir() / f"pre-migration-{revision}-{stamp}.db"
    from stuffctl.store import keep_before_migration
    from stuffctl.store.backup import backup_to, prune

    backup_to(path, target)
    prune(prefix="pre-migration-", keep=keep_before_migration())
    return target


def run_migrations(path: Path, *, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    from stuffctl.store.engine import make_engine

    engine = make_engine(path, foreign_keys=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(schema.VERSIONS_DIR.parent))
    try:
        with engine.connect() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
            from stuffctl.store import search, undo

            search.install(connection, rebuild=True)
            undo.install(connection)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise OperationFailed(f"migration left {len(problems)} broken references")
            # Alembic committed the migrations; the search index's repair after them is a
            # transaction of its own, rolled back on close unless committed.
            connection.commit()
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
    engine = make_engine(scratch)
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
    print("now run: python -m stuffctl.store.generate (rewrites head.sql and tables.py)")

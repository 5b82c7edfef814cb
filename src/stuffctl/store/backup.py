"""Copies of the database made with SQLite's online backup API, verified."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from stuffctl import config, paths
from stuffctl.errors import OperationFailed


def backup_to(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` (0600) safely while others write; verify it."""
    paths.ensure_dir(target.parent)
    paths.output_file(target)
    tmp = target.with_name(f".{target.name}.tmp")
    paths.touch_private(tmp)
    try:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(tmp)
        try:
            src.execute(f"PRAGMA busy_timeout = {10_000}")
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        verify(tmp)
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise OperationFailed(f"backup of {source} to {target} failed: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def verify(path: Path) -> None:
    """Raise unless ``path`` is a sound SQLite database."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise OperationFailed(f"{path} is not a usable database: {exc}") from None
    finally:
        conn.close()
    if not result or result[0] != "ok":
        raise OperationFailed(f"{path} failed its integrity check: {result}")


def prune(*, prefix: str) -> list[Path]:
    """Keep the newest ``backups.keep`` files starting with ``prefix``; return removed."""
    keep = int(config.get("backups.keep"))
    directory = paths.backups_dir()
    if not directory.is_dir():
        return []
    found = sorted(p for p in directory.iterdir() if p.name.startswith(prefix))
    removed = found[:-keep] if len(found) > keep else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def stamp() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def backup_now(out: Path | None = None) -> dict[str, object]:
    """``stuffctl backup``: a verified copy; in the home's backups/ unless ``out`` is given.

    Copies made in the home are named ``backup-<UTC stamp>.db`` and only the
    newest ``backups.keep`` of them are kept.
    """
    source = paths.db_path()
    if not source.exists():
        raise OperationFailed(f"there is no database at {source} to back up")
    target = out if out is not None else paths.backups_dir() / f"backup-{stamp()}.db"
    if target.is_dir():
        target = target / f"backup-{stamp()}.db"
    backup_to(source, target)
    removed = prune(prefix="backup-") if out is None else []
    return {"path": str(target), "size_bytes": target.stat().st_size,
            "removed": [str(p) for p in removed]}


def check_candidate(path: Path) -> str:
    """The schema revision of a file fit to restore; InvalidInput naming what is wrong."""
    from stuffctl.errors import InvalidInput
    from stuffctl.store import schema

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        verify(path)
    except OperationFailed as exc:
        raise InvalidInput(exc.message) from None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        revision = schema.stored_revision(conn)
    finally:
        conn.close()
    if revision is None:
        raise InvalidInput(f"{path} is not a stuffctl database (no schema version)")
    if revision not in schema.known_revisions():
        raise InvalidInput(f"{path} has schema {revision}, newer than this stuffctl knows "
                           f"({schema.head_revision()}); upgrade stuffctl to restore it")
    return revision


def restore_from(candidate: Path) -> dict[str, object]:
    """Replace the database with ``candidate`` after checking it; keep the replaced file.

    The candidate is copied beside the database with the backup API (so its WAL,
    if any, is included), the live database is checkpointed (refused while
    another process holds it), the copy moved into place with ``os.replace`` and
    the old ``-wal``/``-shm`` removed, so no stale log is applied to the new file.
    The restored file is then migrated to this stuffctl's schema if it is older.
    """
    from stuffctl import store
    from stuffctl.store.migrate import check_and_migrate

    revision = check_candidate(candidate)
    live = paths.db_path()
    store.dispose_all()
    kept = None
    if live.exists() and live.stat().st_size:
        kept = backup_to(live, paths.backups_dir() / f"pre-restore-{stamp()}.db")
        prune(prefix="pre-restore-")
    staged = backup_to(candidate, live.with_name(f".{live.name}.restore.tmp"))
    try:
        _quiesce(live)
        os.replace(staged, live)
    finally:
        staged.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    head = check_and_migrate(live, write=True)
    return {"path": str(live), "restored_from": str(candidate),
            "replaced_kept_as": str(kept) if kept else None,
            "schema_version_restored": revision, "schema_version": head}


def _quiesce(live: Path) -> None:
    """Fold the WAL into the file; refuse while another connection is using it."""
    from stuffctl.errors import Busy

    if not live.exists():
        return
    conn = sqlite3.connect(live)
    try:
        conn.execute("PRAGMA busy_timeout = 2000")
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise Busy(f"{live} is in use by another process; stop it and restore again")

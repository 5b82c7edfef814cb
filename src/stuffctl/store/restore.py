"""``stuffctl restore``: a checked backup replaces the database, its attached files
stored in the home, and the result migrated to this stuffctl's schema.

Apart from :mod:`stuffctl.store.backup` because it migrates what it restores
(:mod:`stuffctl.store.migrate`), and migrating makes a backup first: backup, then
migrate, then restore, each importing only those before it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from stuffctl import paths
from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.store import blobs
from stuffctl.store.backup import FILES, backup_to, has_files, held_files, prune, stamp, verify
from stuffctl.store.pragmas import read_only_uri


def check_candidate(path: Path) -> str:
    """The schema revision of a file fit to restore; InvalidInput naming what is wrong."""
    from stuffctl.store import schema

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        verify(path)
    except OperationFailed as exc:
        raise InvalidInput(exc.message) from None
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        revision = schema.stored_revision(conn)
    finally:
        conn.close()
    if revision is None:
        raise InvalidInput(f"{path} is not a stuffctl database (no schema version)")
    if revision not in schema.known_revisions():
        raise InvalidInput(f"{path} has schema {revision}, newer than this stuffctl knows "
                           f"({schema.head_revision()}); upgrade stuffctl to restore it")
    _check_files(path)
    return revision


def _check_files(path: Path) -> None:
    """Every attached file the backup holds matches its hash."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        for sha in sorted(held_files(conn)):
            if _digest(conn, sha) != sha:
                raise InvalidInput(f"{path}: the attached file {sha} does not match its hash")
    finally:
        conn.close()


def _digest(conn: sqlite3.Connection, sha: str) -> str:
    (row,) = conn.execute(f"SELECT rowid FROM {FILES} WHERE sha256 = ?", (sha,)).fetchone()
    digest = hashlib.sha256()
    with conn.blobopen(FILES, "data", row, readonly=True) as blob:
        while block := blob.read(blobs.CHUNK):
            digest.update(block)
    return digest.hexdigest()


def restore_target() -> Path:
    """The database a restore replaces; a path named by ``--db`` or ``STUFFCTL_DB`` must
    be in a folder that exists."""
    from stuffctl import store

    live = paths.db_path()
    store.require_database(live, write=True)
    return live


def restore_from(candidate: Path, *, keep: int) -> dict[str, Any]:
    """Replace the database with ``candidate`` after checking it; keep the replaced file.

    The candidate is copied beside the database with the backup API (so its WAL,
    if any, is included), the live database is checkpointed (refused while
    another process holds it), the copy moved into place with ``os.replace`` and
    the old ``-wal``/``-shm`` removed, so no stale log is applied to the new file.
    The restored file is then migrated to this stuffctl's schema if it is older.
    ``keep``: how many ``pre-restore-`` copies to keep (``backups.keep``).
    """
    from stuffctl import store
    from stuffctl.store.migrate import check_and_migrate

    revision = check_candidate(candidate)
    live = restore_target()
    store.dispose_all()
    kept = None
    if live.exists() and live.stat().st_size:
        kept = backup_to(live, paths.backups_dir() / f"pre-restore-{stamp()}.db")
        prune(prefix="pre-restore-", keep=keep)
    staged = backup_to(candidate, live.with_name(f".{live.name}.restore.tmp"))
    added: list[str] = []
    try:
        _quiesce(live)
        added = unpack_files(staged)
        os.replace(staged, live)
    except BaseException:
        _forget(added)
        raise
    finally:
        staged.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    head = check_and_migrate(live, write=True)
    return {"path": str(live), "restored_from": str(candidate),
            "replaced_kept_as": str(kept) if kept else None,
            "schema_version_restored": revision, "schema_version": head,
            "files_restored": len(added), "missing_files": _missing_here(live)}


def unpack_files(staged: Path) -> list[str]:
    """Store the attached files the (checked) copy ``staged`` holds in this home and drop
    them from it, so the restored database has exactly the models' tables; return the
    hashes of the files that were new here. Files already here are kept: same hash,
    same content."""
    conn = sqlite3.connect(staged)
    added: list[str] = []
    try:
        for sha in sorted(held_files(conn)):
            if _unpack(conn, sha):
                added.append(sha)
        if has_files(conn):
            conn.execute(f"DROP TABLE {FILES}")
            conn.commit()
            conn.execute("VACUUM")  # give the files' pages back
    except BaseException:
        _forget(added)
        raise
    finally:
        conn.close()
    return added


def _forget(added: list[str]) -> None:
    """Remove the files a failed restore stored: nothing of it stays."""
    for sha in added:
        blobs.remove_blob(sha)


def _unpack(conn: sqlite3.Connection, sha: str) -> bool:
    (row,) = conn.execute(f"SELECT rowid FROM {FILES} WHERE sha256 = ?", (sha,)).fetchone()
    with conn.blobopen(FILES, "data", row, readonly=True) as blob:
        return blobs.store_stream(sha, blob)


def _missing_here(live: Path) -> list[str]:
    """Hashes the restored attachment rows name whose file is not in this home."""
    conn = sqlite3.connect(read_only_uri(live), uri=True)
    try:
        named = [sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachment")]
    finally:
        conn.close()
    return blobs.missing(named)


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

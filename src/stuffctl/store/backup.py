"""Copies of the database made with SQLite's online backup API, verified.

A copy made by ``stuffctl backup`` also holds the attached files it refers to, in a
table of its own (``backup_file``: content hash → bytes), so that one file restores
a whole home, attachments included; ``restore`` checks them against their hashes,
stores them in the home and drops the table (docs/data.md#backup-and-restore).
The copies made before a migration or a restore stay in their home, beside its
files, and hold the database only.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from stuffctl import config, paths
from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.store import blobs

FILES = "backup_file"  # in backups only, never a table of the models


def backup_to(source: Path, target: Path, *, with_files: bool = False) -> Path:
    """Copy ``source`` to ``target`` (0600) safely while others write; verify it.

    ``with_files``: the copy also holds the attached files (:func:`pack_files`).
    """
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
            # One self-contained file: no -wal/-shm beside it, now or when it is read.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            src.close()
            dst.close()
        if with_files:
            pack_files(tmp)
        verify(tmp)
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise OperationFailed(f"backup of {source} to {target} failed: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def pack_files(path: Path) -> None:
    """Store in the copy ``path`` every attached file its attachment rows name.

    A file that is missing here, or no longer matches its hash, is left out (the
    backup then reports it as missing, as ``db check`` does).
    """
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE TABLE {FILES} (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")
        for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachment").fetchall():
            _pack(conn, sha)
        conn.commit()
    finally:
        conn.close()


def _pack(conn: sqlite3.Connection, sha: str) -> None:
    """Copy one stored file into a row, in chunks (a large file never sits in memory)."""
    try:
        source = blobs.blob_path(sha)
        size = source.stat().st_size
    except (InvalidInput, OSError):
        return
    row = conn.execute(f"INSERT INTO {FILES} (sha256, data) VALUES (?, zeroblob(?))",
                       (sha, size)).lastrowid
    assert row is not None
    digest = hashlib.sha256()
    try:
        with source.open("rb") as fh, conn.blobopen(FILES, "data", row) as blob:
            while block := fh.read(min(blobs.CHUNK, size - blob.tell())):
                digest.update(block)
                blob.write(block)
    except OSError:
        pass  # removed meanwhile: the digest cannot match
    if digest.hexdigest() != sha:
        conn.execute(f"DELETE FROM {FILES} WHERE rowid = ?", (row,))


def packed(path: Path) -> tuple[int, list[str]]:
    """How many attached files the backup ``path`` holds, and the hashes of those its
    attachment rows name that it does not hold."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        held = _held(conn)
        named = {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachment")}
    finally:
        conn.close()
    return len(held), sorted(named - held)


def _held(conn: sqlite3.Connection) -> set[str]:
    """The hashes of the files a backup holds (none in a backup made before they were)."""
    if not _has_files(conn):
        return set()
    return {sha for (sha,) in conn.execute(f"SELECT sha256 FROM {FILES}")}


def _has_files(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (FILES,)).fetchone() is not None


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


def backup_now(out: Path | None = None) -> dict[str, Any]:
    """``stuffctl backup``: a verified copy holding the attached files too; in the
    home's backups/ unless ``out`` (a file, or a folder that exists) is given.

    Copies made in the home are named ``backup-<UTC stamp>.db`` and only the
    newest ``backups.keep`` of them are kept.
    """
    source = paths.db_path()
    if not source.exists():
        raise OperationFailed(f"there is no database at {source} to back up")
    target = out if out is not None else paths.backups_dir() / f"backup-{stamp()}.db"
    if target.is_dir():
        target = target / f"backup-{stamp()}.db"
    elif out is not None:
        paths.output_file(out)
    backup_to(source, target, with_files=True)
    removed = prune(prefix="backup-") if out is None else []
    files, missing = packed(target)
    return {"path": str(target), "size_bytes": target.stat().st_size,
            "removed": [str(p) for p in removed], "files": files, "missing_files": missing}


def check_candidate(path: Path) -> str:
    """The schema revision of a file fit to restore; InvalidInput naming what is wrong."""
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
    _check_files(path)
    return revision


def _check_files(path: Path) -> None:
    """Every attached file the backup holds matches its hash."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for sha in sorted(_held(conn)):
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


def restore_from(candidate: Path) -> dict[str, Any]:
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
    live = restore_target()
    store.dispose_all()
    kept = None
    if live.exists() and live.stat().st_size:
        kept = backup_to(live, paths.backups_dir() / f"pre-restore-{stamp()}.db")
        prune(prefix="pre-restore-")
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
        for sha in sorted(_held(conn)):
            if _unpack(conn, sha):
                added.append(sha)
        if _has_files(conn):
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
    conn = sqlite3.connect(f"file:{live}?mode=ro", uri=True)
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

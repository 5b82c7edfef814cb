"""Copies of the database made with SQLite's online backup API, verified.

A copy made by ``stuffctl backup`` also holds the attached files it refers to, in a
table of its own (``backup_file``: content hash → bytes), so that one file restores
a whole home, attachments included; ``restore`` checks them against their hashes,
stores them in the home and drops the table (docs/data.md#backup-and-restore;
:mod:`stuffctl.store.restore`).
The copies made before a migration or a restore stay in their home, beside its
files, and hold the database only.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stuffctl import paths
from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.store import blobs
from stuffctl.store.pragmas import busy_timeout_ms, read_only_uri

FILES = "backup_file"  # in backups only, never a table of the models


def backup_to(source: Path, target: Path, *, with_files: bool = False) -> Path:
    """Copy ``source`` to ``target`` (0600) safely while others write; verify it.

    ``with_files``: the copy also holds the attached files (:func:`pack_files`).
    """
    src = sqlite3.connect(source)
    try:
        src.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        return copy_database(src, target, with_files=with_files, name=str(source))
    finally:
        src.close()


def copy_database(src: sqlite3.Connection, target: Path, *, with_files: bool = False,
                  name: str) -> Path:
    """Copy the database open as ``src`` to ``target`` with the backup API, verified: one
    self-contained file in rollback-journal mode (nothing beside it, now or when it is
    read), made as a private ``.TARGET.PID.tmp`` and renamed into place. Temporary
    files left by a copy that was killed are removed first (``paths.stale_temps``)."""
    paths.ensure_dir(target.parent)
    paths.output_file(target)
    paths.remove_stale_temps(target.parent)
    tmp = paths.temp_for(target)
    tmp.unlink(missing_ok=True)
    paths.touch_private(tmp)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        _force_rollback_journal(tmp)
        if with_files:
            pack_files(tmp)
        verify(tmp)
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise OperationFailed(f"backup of {name} to {target} failed: {exc}") from None
    finally:
        remove_with_journals(tmp)
    return target


def _force_rollback_journal(path: Path) -> None:
    """Mark ``path`` as a rollback-journal database in its header (bytes 18 and 19).

    A copy of a database in WAL mode carries that mode in its header; a connection
    that did not open the copy in WAL mode may not rewrite it, and every later reader
    (a read-only one included) would then make ``-wal`` and ``-shm`` files beside it.
    """
    with path.open("r+b") as fh:
        fh.seek(18)
        if fh.read(2) == b"\x02\x02":
            fh.seek(18)
            fh.write(b"\x01\x01")
            fh.flush()
            os.fsync(fh.fileno())


def remove_with_journals(path: Path) -> None:
    """Remove the database file ``path`` and any journal SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


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
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        held = held_files(conn)
        named = {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachment")}
    finally:
        conn.close()
    return len(held), sorted(named - held)


def held_files(conn: sqlite3.Connection) -> set[str]:
    """The hashes of the files a backup holds (none in a backup made before they were)."""
    if not has_files(conn):
        return set()
    return {sha for (sha,) in conn.execute(f"SELECT sha256 FROM {FILES}")}


def has_files(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (FILES,)).fetchone() is not None


def verify(path: Path) -> None:
    """Raise unless ``path`` is a sound SQLite database."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise OperationFailed(f"{path} is not a usable database: {exc}") from None
    finally:
        conn.close()
    if not result or result[0] != "ok":
        raise OperationFailed(f"{path} failed its integrity check: {result}")


def prune(*, prefix: str, keep: int, suffix: str = ".db") -> list[Path]:
    """Keep the newest ``keep`` copies starting with ``prefix`` (a copy's ``-wal``, kept
    beside a database SQLite could not read, goes with it); return those removed."""
    directory = paths.backups_dir()
    if not directory.is_dir():
        return []
    found = sorted(p for p in directory.iterdir()
                   if p.name.startswith(prefix) and p.name.endswith(suffix))
    removed = found[:-keep] if len(found) > keep else []
    for path in removed:
        path.unlink(missing_ok=True)
        path.with_name(path.name + "-wal").unlink(missing_ok=True)
    return removed


def newest_backup() -> Path | None:
    """The newest copy to restore from in the home: ``backup-`` ones first (they hold
    the attached files), then those made before a migration."""
    directory = paths.backups_dir()
    if not directory.is_dir():
        return None
    for prefix in ("backup-", "pre-migration-"):
        found = sorted(p for p in directory.iterdir()
                       if p.name.startswith(prefix) and p.name.endswith(".db"))
        if found:
            return found[-1]
    return None


def stamp() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def backup_now(out: Path | None = None, *, keep: int,
               export: Callable[[Path], None] | None = None) -> dict[str, Any]:
    """``stuffctl backup``: a verified copy holding the attached files too; in the
    home's backups/ unless ``out`` (a file, or a folder that exists) is given.

    Copies made in the home are named ``backup-<UTC stamp>.db`` and only the
    newest ``keep`` (``backups.keep``) of them are kept. A server database's copy is
    ``pg_dump``'s, or where it is not installed the document ``export`` writes.
    """
    if (url := paths.db_url()) is not None:
        return _dump_now(url, out, keep=keep, export=export)
    source = paths.db_path()
    if not source.exists():
        raise OperationFailed(f"there is no database at {source} to back up")
    target = out if out is not None else paths.backups_dir() / f"backup-{stamp()}.db"
    if target.is_dir():
        target = target / f"backup-{stamp()}.db"
    elif out is not None:
        paths.output_file(out)
    backup_to(source, target, with_files=True)
    removed = prune(prefix="backup-", keep=keep) if out is None else []
    files, missing = packed(target)
    return {"path": str(target), "size_bytes": target.stat().st_size,
            "removed": [str(p) for p in removed], "files": files, "missing_files": missing}


def _dump_now(url: str, out: Path | None, *, keep: int,
              export: Callable[[Path], None] | None) -> dict[str, Any]:
    """``stuffctl backup`` of a server database: ``pg_dump``'s copy (``pg_restore`` brings
    it back), named ``backup-<UTC stamp>.dump`` in the home's backups/ (the newest
    ``keep`` kept) unless ``out`` is given; where ``pg_dump`` is not installed, the
    export document (``backup-<stamp>.json``, for ``stuffctl import``) that ``export``
    writes. The attached files stay in the shared ``attachments_dir``."""
    import shutil

    from stuffctl.store.postgres import dump

    exported = export if shutil.which("pg_dump") is None else None
    suffix = ".json" if exported is not None else ".dump"
    name = f"backup-{stamp()}{suffix}"
    target = out if out is not None else paths.backups_dir() / name
    if target.is_dir():
        target = target / name
    elif out is not None:
        paths.output_file(out)
    if exported is not None:
        paths.ensure_dir(target.parent)
        exported(target)
    else:
        dump(url, target)
    removed = prune(prefix="backup-", keep=keep, suffix=suffix) if out is None else []
    return {"path": str(target), "size_bytes": target.stat().st_size,
            "removed": [str(p) for p in removed], "files": 0, "missing_files": []}

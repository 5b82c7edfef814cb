"""``stuffctl restore``: a checked backup replaces the database, its attached files
stored in the home, and the result migrated to this stuffctl's schema.

Apart from :mod:`stuffctl.store.backup` because it migrates what it restores
(:mod:`stuffctl.store.migrate`), and migrating makes a backup first: backup, then
migrate, then restore, each importing only those before it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from stuffctl import paths
from stuffctl.errors import Busy, InvalidInput, OperationFailed
from stuffctl.store import blobs
from stuffctl.store.backup import (
    FILES,
    backup_to,
    copy_database,
    has_files,
    held_files,
    prune,
    remove_with_journals,
    stamp,
    verify,
)
from stuffctl.store.pragmas import busy_timeout_ms, read_only_uri


def check_candidate(path: Path) -> str:
    """The schema revision of a file fit to restore; InvalidInput naming what is wrong."""
    if paths.db_url() is not None:
        raise OperationFailed("restore replaces a database file; a server database is "
                              "restored with pg_restore from its backup (docs/shared.md)")
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
    """Replace the database with ``candidate`` after checking it; keep the replaced one.

    The candidate is copied beside the database, its attached files stored in the home
    and the copy migrated to this stuffctl's schema, all before the live database is
    touched. Then :func:`_swap` takes the live database for itself, keeps what it holds
    and writes the copy into it: no write acknowledged before the restore is lost, and
    every write after it lands in the restored database.
    ``keep``: how many ``pre-restore-`` copies to keep (``backups.keep``).
    """
    from stuffctl.store.migrate import check_and_migrate

    revision = check_candidate(candidate)
    live = restore_target()
    staged = live.with_name(f".{live.name}.restore.{os.getpid()}.tmp")
    added: list[str] = []
    try:
        backup_to(candidate, staged)
        added = unpack_files(staged)
        head = check_and_migrate(staged, write=True, backup_first=False)
        kept = _swap(live, staged)
    except BaseException:
        _forget(added)
        raise
    finally:
        remove_with_journals(staged)
    if kept is not None:
        prune(prefix="pre-restore-", keep=keep)
    return {"path": str(live), "restored_from": str(candidate),
            "replaced_kept_as": str(kept) if kept else None,
            "schema_version_restored": revision, "schema_version": head,
            "files_restored": len(added), "missing_files": _missing_here(live)}


def _swap(live: Path, staged: Path) -> Path | None:
    """Write the database ``staged`` into ``live``; return the copy kept of what it held.

    The live database is opened in exclusive locking mode and written once: from then
    until this connection closes no other process reads or writes it (they wait, up to
    their busy timeout), so the copy kept of it holds every write acknowledged before,
    and SQLite's backup API then replaces its content in one transaction on the same
    file, which processes already waiting then see. A live file SQLite cannot read (a
    garbage or truncated file, which no other command can write either) is kept byte
    for byte and replaced by the staged file.
    """
    if not live.exists() or not live.stat().st_size:
        _replace_file(staged, live)
        return None
    conn = sqlite3.connect(live, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise Busy(f"{live} is in use by another process ({exc}); stop it and "
                       "restore again") from None
        except sqlite3.DatabaseError:
            conn.close()
            kept = _keep_raw(live)
            _replace_file(staged, live)
            return kept
        try:
            kept = copy_database(conn, _kept_path(), name=str(live))
        except OperationFailed:  # readable header, damaged pages: keep the bytes
            kept = _keep_raw(live)
        _match_page_size(staged, conn.execute("PRAGMA page_size").fetchone()[0])
        source = sqlite3.connect(staged)
        try:
            source.backup(conn)
        finally:
            source.close()
        return kept
    finally:
        conn.close()


def _replace_file(staged: Path, live: Path) -> None:
    """Move ``staged`` over ``live`` and drop the old file's journals (never applied to
    the new file)."""
    os.replace(staged, live)
    for suffix in ("-wal", "-shm", "-journal"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)


def _kept_path() -> Path:
    return paths.backups_dir() / f"pre-restore-{stamp()}.db"


def _keep_raw(live: Path) -> Path:
    """Copy the bytes of a database SQLite cannot read (and of its log) to the backups."""
    target = _kept_path()
    paths.ensure_dir(target.parent)
    for suffix in ("", "-wal"):
        source = live.with_name(live.name + suffix)
        if source.exists() and (suffix == "" or source.stat().st_size):
            with source.open("rb") as src, paths.atomic_file(
                    target.with_name(target.name + suffix)) as dst:
                shutil.copyfileobj(src, dst, blobs.CHUNK)
    return target


def _match_page_size(staged: Path, page_size: int) -> None:
    """SQLite's backup API cannot write into a WAL database of another page size."""
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        if conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    finally:
        conn.close()


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

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

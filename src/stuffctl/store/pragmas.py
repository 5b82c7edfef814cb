"""The settings every SQLite connection gets: the run-time ones (``store.sqlite``) and
the migrations' (``store.engine``, ``store.migrate``); and how a file is opened
read-only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

DEFAULT_BUSY_TIMEOUT_MS = 10_000


def busy_timeout_ms() -> int:
    try:
        return int(os.environ.get("STUFFCTL_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_MS))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_MS


def apply_pragmas(conn: sqlite3.Connection, *, foreign_keys: bool = True) -> None:
    """Pragmas every connection gets (the migrations' own connections too)."""
    conn.isolation_level = None
    cur = conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The URI that opens ``path`` read-only, whatever its name holds (``%``, ``#`` and
    ``?`` mean something in a URI: unquoted, they name another file).

    ``immutable``: no locks and no ``-shm``; only for a file nobody can be writing."""
    return f"file:{quote(str(path.absolute()))}?mode=ro{'&immutable=1' if immutable else ''}"

"""The one engine factory: SQLite with WAL, foreign keys, busy timeout, real transactions.

Python's sqlite3 driver delays ``BEGIN`` until the first write and commits
before DDL. Following SQLAlchemy's SQLite dialect docs we turn that off
(``isolation_level = None``) and emit ``BEGIN`` ourselves: ``BEGIN IMMEDIATE``
for a command that writes, so it takes the write lock up front and waits for
a concurrent writer (busy timeout) instead of failing half-way on upgrade.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.engine import Engine

DEFAULT_BUSY_TIMEOUT_MS = 10_000


def busy_timeout_ms() -> int:
    try:
        return int(os.environ.get("STUFFCTL_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_MS))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_MS


def apply_pragmas(dbapi_conn: Any, *, foreign_keys: bool = True) -> None:
    """Pragmas every connection gets (also used by the plain-sqlite3 paths)."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def make_engine(path: Path, *, write: bool, foreign_keys: bool = True) -> Engine:
    from sqlmodel import create_engine

    return _configured(create_engine(f"sqlite:///{path}"), write=write,
                       foreign_keys=foreign_keys)


def blank_engine(conn: sqlite3.Connection) -> Engine:
    """A reader on ``conn``, a blank database in memory (``store.migrate.blank_database``):
    what a read of a home that has no database yet sees, without making one."""
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    return _configured(create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool),
                       write=False)


def _configured(engine: Engine, *, write: bool, foreign_keys: bool = True) -> Engine:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        apply_pragmas(dbapi_conn, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine

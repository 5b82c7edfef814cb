"""Helpers for the reliability suite: real child processes on a real database (the home's
file, or the test's server database)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import stuffctl
from stuffctl.errors import ExitCode, RemindStatus

DRIVER = Path(__file__).with_name("driver.py")

# Error codes, plus what `remind run --exit-status` answers (docs/exit-codes.md).
DOCUMENTED_EXIT_CODES = {int(c) for c in ExitCode} | {int(c) for c in RemindStatus}


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child: this test's home, and the stuffctl under test."""
    code = str(Path(stuffctl.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (code, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def stuffctl_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "stuffctl", *args]


def driver_argv(*args: str) -> list[str]:
    return [sys.executable, str(DRIVER), *args]


def run_stuffctl(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(stuffctl_argv(*args), capture_output=True, text=True,
                          env=child_env(**env), timeout=timeout, stdin=subprocess.DEVNULL)


# The database a reliability test drives: the home's SQLite file, or the URL of the
# test's server database (STUFFCTL_DB), read below straight through its driver.
Database = Path | str


def query(db: Database, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
    """The rows of ``sql`` (``?`` placeholders) read straight from the database, outside
    stuffctl: the SQLite file ``db``, or the server database its URL names."""
    if isinstance(db, str):
        import psycopg

        from stuffctl.store.postgres import translate

        with psycopg.connect(db, cursor_factory=psycopg.ClientCursor) as server:
            return [tuple(row) for row in server.execute(translate(sql), params)]
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def write(db: Database, sql: str, params: tuple[object, ...] = ()) -> None:
    """Run and commit ``sql`` straight on the database, outside stuffctl (as an older or
    newer stuffctl, or a hand edit, may have left it)."""
    if isinstance(db, str):
        import psycopg

        from stuffctl.store.postgres import translate

        with psycopg.connect(db, cursor_factory=psycopg.ClientCursor) as server:
            server.execute(translate(sql), params)
        return
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def in_use() -> Database:
    """The test's database: its server database's URL (STUFFCTL_DB), or the home's file."""
    from stuffctl import paths

    return os.environ.get("STUFFCTL_DB") or paths.db_path()


def count(db: Database, table: str, where: str | None = None) -> int:
    return int(query(db, f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where
                                                             else ""))[0][0])


def assert_sound(db: Database) -> None:
    """The file opens, passes SQLite's integrity check and has no broken references (a
    server database: it opens at this code's revision and the server reports no damage;
    the server checks every reference at each commit)."""
    if isinstance(db, str):
        from stuffctl import store

        with store.transaction(where=db) as handle:
            assert handle.backend.integrity_problems(handle) == []
            assert handle.backend.broken_references(handle) == []
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def rows_up_to(db: Database, limits: dict[str, int] | None = None) -> dict[str, list[tuple]]:
    """Every table's rows (up to the given rowids): what a later write must not change.

    A server's rows have no rowid: a table's rows up to the given ``id`` there, and all the
    rows of a table without one (tags, fields, meta), in key order."""
    if isinstance(db, str):
        return _server_rows_up_to(db, limits)
    conn = sqlite3.connect(db)
    try:
        # The search index (fts_*) is derived from these tables and has no rowid of its own.
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'fts\\_%' ESCAPE '\\'")]
        if limits is None:
            limits = {t: conn.execute(f'SELECT max(rowid) FROM "{t}"').fetchone()[0] or 0
                      for t in tables}
        return {t: conn.execute(f'SELECT rowid, * FROM "{t}" WHERE rowid <= ? ORDER BY rowid',
                                (limits.get(t, 0),)).fetchall() for t in tables}
    finally:
        conn.close()


def _server_rows_up_to(url: str, limits: dict[str, int] | None) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        columns: dict[str, list[str]] = {}
        for table, column in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_schema = current_schema() ORDER BY table_name, ordinal_position"):
            columns.setdefault(table, []).append(column)
        found = {}
        for table, names in columns.items():
            if "id" not in names:
                order = ", ".join(f'"{n}"' for n in names)
                found[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}'
                                            ).fetchall()
                continue
            limit = (limits or {}).get(table, 0)
            if limits is None:
                limit = conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0
            found[table] = conn.execute(f'SELECT id, * FROM "{table}" WHERE id <= %s '
                                        "ORDER BY id", (limit,)).fetchall()
        return found


@pytest.fixture
def db(home: Path) -> Database:
    """A database with three assets (one with a tag, one with a log entry), then closed:
    the home's file, or the test's server database (its URL)."""
    from stuffctl import store
    from tests.conftest import Cli

    cli = Cli()
    cli.ok("asset", "add", "Drill", "--price", "89", "--tag", "tools")
    cli.ok("asset", "add", "Kettle", "--notes", "kitchen")
    cli.ok("asset", "add", "Bike", "--bought", "2024-05-01")
    cli.ok("asset", "log", "3", "--kind", "service", "--cost", "40")
    store.dispose_all()
    return in_use()

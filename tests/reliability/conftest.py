"""Helpers for the reliability suite: real child processes on a real database file."""

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


def count(db: Path, table: str, where: str = "1") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
    finally:
        conn.close()


def assert_sound(db: Path) -> None:
    """The file opens, passes SQLite's integrity check and has no broken references."""
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


def rows_up_to(db: Path, limits: dict[str, int] | None = None) -> dict[str, list[tuple]]:
    """Every table's rows (up to the given rowids): what a later write must not change."""
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


@pytest.fixture
def db(home: Path) -> Path:
    """A database with three assets (one with a tag, one with a log entry), then closed."""
    from stuffctl import store
    from tests.conftest import Cli

    cli = Cli()
    cli.ok("asset", "add", "Drill", "--price", "89", "--tag", "tools")
    cli.ok("asset", "add", "Kettle", "--notes", "kitchen")
    cli.ok("asset", "add", "Bike", "--bought", "2024-05-01")
    cli.ok("asset", "log", "3", "--kind", "service", "--cost", "40")
    store.dispose_all()
    return home / "stuffctl.db"

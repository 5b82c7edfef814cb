"""Which schema revisions this code knows, read from the shipped migration files.

Revision ids are the four-digit prefixes of the files in ``migrations/versions``
(``0001_initial.py`` is revision ``0001``), so listing a directory tells the
head without importing Alembic. ``Table`` is what the generated ``store/tables.py``
says of each table.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def known_revisions() -> list[str]:
    names = os.listdir(VERSIONS_DIR)
    return sorted(n[:4] for n in names if n[:4].isdigit() and n.endswith(".py"))


def head_revision() -> str:
    return known_revisions()[-1]


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """The revision recorded in a database, or None for a blank one."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


@dataclass(frozen=True)
class Table:
    """One table as the models declare it (``store/tables.py`` holds them all)."""

    name: str
    columns: tuple[str, ...]  # every column, in table order
    kinds: tuple[str, ...]  # each column's Python kind: int, str, float, bool, date, time,
    # datetime (UTC), local (a naive wall-clock datetime), any
    primary_key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...]  # unique constraints and unique indexes
    foreign_keys: dict[str, str]  # column → the table it refers to
    cascades: tuple[str, ...]  # foreign keys with ON DELETE CASCADE
    required: tuple[str, ...]  # the columns that cannot be NULL
    defaults: dict[str, Any]  # what a new row holds where it gives no value, as stored
    searched: tuple[str, ...]  # the text columns `find` and ``--search`` look in

    def kind(self, column: str) -> str:
        return self.kinds[self.columns.index(column)]

"""Which schema revisions this code knows, read from the shipped migration files.

Revision ids are the four-digit prefixes of the files in ``migrations/versions``
(``0001_initial.py`` is revision ``0001``), so listing a directory tells the
head without importing Alembic. The fast paths read it before anything else loads:
it imports nothing heavy (``store/table.py`` holds what ``store/tables.py`` says of
each table).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def known_revisions() -> list[str]:
    names = os.listdir(VERSIONS_DIR)
    return sorted(n[:4] for n in names if n[:4].isdigit() and n.endswith(".py"))


def head_revision() -> str:
    return known_revisions()[-1]


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """The revision recorded in a database, or None for a blank one (no revision table).

    Any other error (a full disk, an unreadable file) is raised: it says nothing about
    the revision, and taking it for a blank database would start migrations."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None

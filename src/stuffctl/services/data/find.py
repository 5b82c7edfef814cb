"""``stuffctl find``: ranked full-text search over everything (store/search.py does the SQL)."""

from __future__ import annotations

from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store import search as index
from stuffctl.store.sql import dbapi


def find(*, db: Any, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Hits ``{kind, id, title, snippet, score}``, best first (docs/json.md#find-hit);
    ``db``: a plain sqlite3 connection or a session (``store.sql``)."""
    if not text.split():
        raise InvalidInput("give some words to look for")
    return index.search(dbapi(db), text, limit=limit)

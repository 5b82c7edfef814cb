"""``stuffctl find``: ranked full-text search over everything (store/search.py does the SQL)."""

from __future__ import annotations

from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store.handle import Db


def find(*, db: Db, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Hits ``{kind, id, title, snippet, score}``, best first (docs/json.md#find-hit);
    ``db``: the database handle (``store.handle.Db``)."""
    if not text.split():
        raise InvalidInput("give some words to look for")
    return db.backend.search(db, text, limit=limit)

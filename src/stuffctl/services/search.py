"""``stuffctl find``: ranked full-text search over everything (store/search.py does the SQL)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from stuffctl.errors import InvalidInput
from stuffctl.store import search as index


def find(*, session: Session, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Hits ``{kind, id, title, snippet, score}``, best first (docs/json.md#find-hit)."""
    if not text.split():
        raise InvalidInput("give some words to look for")
    return index.search(session.connection(), text, limit=limit)

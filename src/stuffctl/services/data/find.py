"""``stuffctl find``: ranked full-text search over everything (store/search.py does the SQL)."""

from __future__ import annotations

from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store.handle import Db

# Every word must match, so more words only narrow a search; but FTS5 ranks each hit
# (bm25, snippet) in time that grows with the square of the number of words: 2,000
# words took minutes. A word given twice is looked for once (docs/search.md).
MAX_WORDS = 32


def find(*, db: Db, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Hits ``{kind, id, title, snippet, score}``, best first (docs/json.md#find-hit);
    ``db``: the database handle (``store.handle.Db``)."""
    words = list(dict.fromkeys(text.split()))
    if not words:
        raise InvalidInput("give some words to look for")
    if len(words) > MAX_WORDS:
        raise InvalidInput(f"at most {MAX_WORDS} different words to look for "
                           f"(got {len(words)})")
    return db.backend.search(db, " ".join(words), limit=limit)

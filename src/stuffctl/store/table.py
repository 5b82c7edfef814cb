"""``Table``: what the generated ``store/tables.py`` says of each table, as the models
declare it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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

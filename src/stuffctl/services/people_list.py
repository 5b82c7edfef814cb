"""Listing people in plain SQL (``services.sql``), and the one JSON shape of a person."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from stuffctl.services.sql import dbapi, stamp

COLUMNS = ("id", "uid", "name", "email", "phone", "notes", "created_at", "updated_at")


def person_public(row: Sequence[Any]) -> dict[str, Any]:
    """The one JSON shape of a person (docs/json.md#person), from its ``COLUMNS`` (as
    stored, or as a model's attributes)."""
    ident, uid, name, email, phone, notes, created_at, updated_at = row
    return {"id": ident, "uid": uid, "name": name, "email": email, "phone": phone,
            "notes": notes, "created_at": stamp(created_at), "updated_at": stamp(updated_at)}


def list_people(*, db: Any, search: str | None = None) -> Iterator[dict[str, Any]]:
    """People by name (case-insensitive); ``search``: text in the name, any case."""
    where, params = ("", ()) if not search else (
        " WHERE lower(name) LIKE '%' || lower(?) || '%'", (search,))
    rows = dbapi(db).execute(f"SELECT {', '.join(COLUMNS)} FROM person{where}"
                             " ORDER BY lower(name), id", params)
    yield from map(person_public, rows)

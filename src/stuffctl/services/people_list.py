"""Listing people in plain SQL (``services.sql``), and the one JSON shapes of a person
and of a loan."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from stuffctl.services.sql import day, dbapi, iso, stamp

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


# A loan with its asset and person, as ``loan_public`` reads it.
LOANS = ("SELECT l.id, l.uid, a.id, a.name, p.id, p.name, l.direction, l.since, l.due_on,"
         " l.returned_on, l.notes, l.created_at, l.updated_at FROM loan l"
         " JOIN asset a ON a.id = l.asset_id JOIN person p ON p.id = l.person_id")


def loan_public(row: Sequence[Any], today: date) -> dict[str, Any]:
    """The one JSON shape of a loan (docs/json.md#loan), from a row of ``LOANS`` (as
    stored, or as the models' attributes)."""
    (ident, uid, asset_id, asset_name, person_id, person_name, direction, since, due_on,
     returned_on, notes, created_at, updated_at) = row
    open_, due = returned_on is None, day(due_on)
    return {
        "id": ident, "uid": uid, "asset_id": asset_id, "asset_name": asset_name,
        "person_id": person_id, "person_name": person_name, "direction": direction,
        "since": iso(day(since)), "due_on": iso(due), "returned_on": iso(day(returned_on)),
        "open": open_, "overdue": bool(open_ and due is not None and due < today),
        "notes": notes, "created_at": stamp(created_at), "updated_at": stamp(updated_at),
    }

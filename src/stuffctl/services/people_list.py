"""People and loans read in plain SQL (``services.sql``): the person list, a person
with what they own and their loans, the loan list, and the one JSON shapes of a
person and of a loan."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from stuffctl.services.sql import Where, day, dbapi, iso, row_or_404, stamp

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


def person_id(db: Any, ref: str, option: str) -> int:
    """The id of a person given by id (``3``) or by name (exact, any case)."""
    from stuffctl.errors import InvalidInput, NotFound

    ref = ref.strip()
    conn = dbapi(db)
    if ref.isdigit():
        if conn.execute("SELECT 1 FROM person WHERE id = ?", (int(ref),)).fetchone() is None:
            raise NotFound(f"{option}: no person with id {ref}")
        return int(ref)
    ids = [i for (i,) in conn.execute("SELECT id FROM person WHERE lower(name) = ? ORDER BY id",
                                      (ref.lower(),))]
    if not ids:
        raise NotFound(f"{option}: no person called {ref!r} (add them with "
                       f"'stuffctl person add {ref}')")
    if len(ids) > 1:
        raise InvalidInput(f"{option}: {len(ids)} people are called {ref!r} "
                           f"(ids {', '.join(map(str, ids))}); give the id")
    return int(ids[0])


def list_loans(
    *, db: Any, today: date | None = None, overdue: bool = False, person_id: int | None = None,
    include_returned: bool = False, direction: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Loans, open ones by due date first; returned ones too with ``include_returned``."""
    from stuffctl.errors import InvalidInput

    today = today or date.today()
    where = Where()
    if not include_returned or overdue:
        where.add("l.returned_on IS NULL")
    if overdue:
        where.add("l.due_on < ?", today.isoformat())
    if person_id is not None:
        where.add("l.person_id = ?", person_id)
    if direction is not None:
        if direction not in ("out", "in"):
            raise InvalidInput(f"--direction: expected out or in (got {direction!r})")
        where.add("l.direction = ?", direction)
    rows = dbapi(db).execute(
        f"{LOANS} WHERE {where.sql} ORDER BY l.returned_on IS NOT NULL, l.due_on IS NULL, "
        "l.due_on, l.since DESC, l.id", where.params)
    for row in rows:
        yield loan_public(row, today)


def show_person(*, db: Any, person_id: int) -> dict[str, Any]:
    """A person with what they own and every loan with them (open first, newest first)."""
    conn = dbapi(db)
    data = person_public(row_or_404(conn, "person", COLUMNS, person_id, "person"))
    owns = conn.execute("SELECT id, name FROM asset WHERE owner_id = ? ORDER BY name",
                        (person_id,))
    data["owns"] = [{"id": i, "name": n} for i, n in owns]
    data["loans"] = list(list_loans(db=conn, person_id=person_id, include_returned=True))
    return data

"""People: household members, friends and colleagues who own, lend and borrow things.

Add, edit, remove; the person list, a person with what they own and their loans,
in plain SQL (``store.sql``); the one JSON shape of a person; and finding a person
by id or name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.store import sql
from stuffctl.store.sql import dbapi, row_or_404, stamp

EDITABLE = ("name", "email", "phone", "notes")
COLUMNS = ("id", "uid", "name", "email", "phone", "notes", "created_at", "updated_at")


def person_public(row: Sequence[Any]) -> dict[str, Any]:
    """The one JSON shape of a person (docs/json.md#person), from its ``COLUMNS`` (as
    stored, or as a model's attributes)."""
    ident, uid, name, email, phone, notes, created_at, updated_at = row
    return {"id": ident, "uid": uid, "name": name, "email": email, "phone": phone,
            "notes": notes, "created_at": stamp(created_at), "updated_at": stamp(updated_at)}


def public(db: Any, person_id: int) -> dict[str, Any]:
    """The JSON shape of person ``person_id`` (``person_public``, as listed)."""
    return person_public(sql.row_or_404(db, "person", COLUMNS, person_id, "person"))


def find_person(db: Any, ref: str, option: str) -> int:
    """The id of a person given by id (``3``) or by name (exact, any case)."""
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


def _clean(values: Mapping[str, str | None]) -> dict[str, str | None]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown person field(s): {', '.join(sorted(unknown))}")
    if "name" in values and not (values["name"] or "").strip():
        raise InvalidInput("a person needs a name")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}


def add_person(*, db: Any, values: Mapping[str, str | None]) -> dict[str, Any]:
    values = _clean(values)
    if "name" not in values:
        raise InvalidInput("a person needs a name")
    return public(db, sql.insert(db, "person", values))


def edit_person(*, db: Any, person_id: int, values: Mapping[str, str | None],
                unset: list[str] | None = None) -> dict[str, Any]:
    sql.row_or_404(db, "person", ("id",), person_id, "person")
    columns: dict[str, Any] = {}
    for name in unset or []:
        if name not in EDITABLE or name == "name":
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        columns[name] = None
    columns.update(_clean(values))
    sql.update(db, "person", person_id, columns)
    return public(db, person_id)


def remove_person(*, db: Any, person_id: int) -> dict[str, Any]:
    data = public(db, person_id)
    conn = sql.dbapi(db)
    (loans,) = conn.execute("SELECT count(*) FROM loan WHERE person_id = ?",
                            (person_id,)).fetchone()
    if loans:
        raise Conflict(f"person {person_id} has {loans} loan(s) on record; "
                       "they cannot be removed while the history refers to them")
    conn.execute("DELETE FROM person WHERE id = ?", (person_id,))
    return data


def list_people(*, db: Any, search: str | None = None) -> Iterator[dict[str, Any]]:
    """People by name (case-insensitive); ``search``: text in the name, any case."""
    where, params = ("", ()) if not search else (
        " WHERE lower(name) LIKE '%' || lower(?) || '%'", (search,))
    rows = dbapi(db).execute(f"SELECT {', '.join(COLUMNS)} FROM person{where}"
                             " ORDER BY lower(name), id", params)
    yield from map(person_public, rows)


def show_person(*, db: Any, person_id: int) -> dict[str, Any]:
    """A person with what they own and every loan with them (open first, newest first)."""
    from stuffctl.services.loan import list_loans  # loan needs find_person: import here

    conn = dbapi(db)
    data = person_public(row_or_404(conn, "person", COLUMNS, person_id, "person"))
    owns = conn.execute("SELECT id, name FROM asset WHERE owner_id = ? ORDER BY name",
                        (person_id,))
    data["owns"] = [{"id": i, "name": n} for i, n in owns]
    data["loans"] = list(list_loans(db=conn, person_id=person_id, include_returned=True))
    return data

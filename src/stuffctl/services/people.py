"""People: household members, friends and colleagues who own, lend and borrow things."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.services import people_list, sql

EDITABLE = ("name", "email", "phone", "notes")


def public(db: Any, person_id: int) -> dict[str, Any]:
    """The JSON shape of person ``person_id`` (``people_list.person_public``, as listed)."""
    return people_list.person_public(sql.row_or_404(db, "person", people_list.COLUMNS,
                                                    person_id, "person"))


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


def set_owner(*, db: Any, asset_id: int, person: str | None) -> dict[str, Any]:
    """Make ``person`` (id or name) the asset's owner, or clear it with None."""
    from stuffctl.services import assets

    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    owner = people_list.person_id(db, person, "PERSON") if person else None
    sql.update(db, "asset", asset_id, {"owner_id": owner})
    return assets.public(db, asset_id)

"""People: household members, friends and colleagues who own, lend and borrow things."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.models import Loan, Person
from stuffctl.services import people_list
from stuffctl.services.common import get_or_404, touch

EDITABLE = ("name", "email", "phone", "notes")


def person_public(person: Person) -> dict[str, Any]:
    """The JSON shape of ``person`` (``people_list.person_public``, shared with the listing)."""
    return people_list.person_public([getattr(person, c) for c in people_list.COLUMNS])


def _clean(values: dict[str, str | None]) -> dict[str, str | None]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown person field(s): {', '.join(sorted(unknown))}")
    if "name" in values and not (values["name"] or "").strip():
        raise InvalidInput("a person needs a name")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}


def add_person(*, session: Session, values: dict[str, str | None]) -> Person:
    values = _clean(values)
    if "name" not in values:
        raise InvalidInput("a person needs a name")
    person = Person(**values)  # type: ignore[arg-type]
    session.add(person)
    session.flush()
    return person


def edit_person(*, session: Session, person_id: int, values: dict[str, str | None],
                unset: list[str] | None = None) -> Person:
    person = get_or_404(session, Person, person_id, "person")
    for name in unset or []:
        if name not in EDITABLE or name == "name":
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        setattr(person, name, None)
    for name, value in _clean(values).items():
        setattr(person, name, value)
    touch(person)
    session.flush()
    return person


def remove_person(*, session: Session, person_id: int) -> dict[str, Any]:
    person = get_or_404(session, Person, person_id, "person")
    loans = session.exec(select(func.count()).select_from(Loan)
                         .where(col(Loan.person_id) == person_id)).one()
    if loans:
        raise Conflict(f"person {person_id} has {loans} loan(s) on record; "
                       "they cannot be removed while the history refers to them")
    data = person_public(person)
    session.delete(person)
    session.flush()
    return data


def resolve_person(session: Session, ref: str, option: str) -> Person:
    """A person by id (``3``) or by name (case-insensitive, exact):
    ``people_list.person_id``, as the model."""
    found = session.get(Person, people_list.person_id(session, ref, option))
    assert found is not None
    return found

def set_owner(*, session: Session, asset_id: int, person: str | None) -> dict[str, Any]:
    """Make ``person`` (id or name) the asset's owner, or clear it with None."""
    from stuffctl.models import Asset
    from stuffctl.services import assets

    asset = get_or_404(session, Asset, asset_id, "asset")
    asset.owner_id = resolve_person(session, person, "PERSON").id if person else None
    touch(asset)
    session.flush()
    return assets.public(session, asset_id)

"""Loans: things we lent out, things we borrowed, and when they are due back.

Lending sets the asset's status to ``lent``; a borrowed thing is added as an
asset with status ``borrowed`` whose owner is the lender. Returning closes the
loan (the history is kept): a lent asset becomes ``active`` again, a borrowed
one ``returned``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.models import Asset, Loan, Person
from stuffctl.services import people_list
from stuffctl.services.common import get_or_404, touch
from stuffctl.services.people import resolve_person

NOT_LENDABLE = ("retired", "sold", "lost", "borrowed", "returned")


def loan_public(loan: Loan, asset: Asset, person: Person, today: date) -> dict[str, Any]:
    """The JSON shape of a loan (``people_list.loan_public``, shared with `asset show`)."""
    return people_list.loan_public(
        [loan.id, loan.uid, asset.id, asset.name, person.id, person.name, loan.direction,
         loan.since, loan.due_on, loan.returned_on, loan.notes, loan.created_at,
         loan.updated_at], today)


def open_loan(session: Session, asset_id: int) -> Loan | None:
    return session.exec(select(Loan).where(col(Loan.asset_id) == asset_id,
                                           col(Loan.returned_on).is_(None))).first()


def _check_dates(since: date, due: date | None) -> None:
    if due is not None and due < since:
        raise InvalidInput(f"--due: {due} is before the loan starts ({since})")


def lend(*, session: Session, asset_id: int, person: str, since: date, due: date | None = None,
         notes: str | None = None) -> dict[str, Any]:
    asset = get_or_404(session, Asset, asset_id, "asset")
    who = resolve_person(session, person, "--to")
    _check_dates(since, due)
    if open_loan(session, asset_id) is not None or asset.status == "lent":
        raise Conflict(f"asset {asset_id} is already on loan; return it first")
    if asset.status in NOT_LENDABLE:
        raise Conflict(f"asset {asset_id} is {asset.status}; it cannot be lent")
    loan = Loan(asset_id=asset_id, person_id=who.id, direction="out", since=since, due_on=due,
                notes=notes)
    asset.status = "lent"
    touch(asset)
    session.add(loan)
    session.flush()
    return loan_public(loan, asset, who, since)


def borrow(*, session: Session, name: str, person: str, since: date, due: date,
           notes: str | None = None) -> dict[str, Any]:
    """Record a thing we hold that is not ours: a new asset owned by the lender."""
    if not name.strip():
        raise InvalidInput("a borrowed thing needs a name")
    who = resolve_person(session, person, "--from")
    _check_dates(since, due)
    asset = Asset(name=name.strip(), status="borrowed", owner_id=who.id)
    session.add(asset)
    session.flush()
    loan = Loan(asset_id=asset.id, person_id=who.id, direction="in", since=since, due_on=due,
                notes=notes)
    session.add(loan)
    session.flush()
    return loan_public(loan, asset, who, since)


def give_back(*, session: Session, asset_id: int, on: date) -> dict[str, Any]:
    """Close the asset's open loan: lent → active again, borrowed → returned."""
    asset = get_or_404(session, Asset, asset_id, "asset")
    loan = open_loan(session, asset_id)
    if loan is None:
        raise Conflict(f"asset {asset_id} is not on loan")
    if on < loan.since:
        raise InvalidInput(f"--on: {on} is before the loan started ({loan.since})")
    loan.returned_on = on
    asset.status = "active" if loan.direction == "out" else "returned"
    touch(loan)
    touch(asset)
    session.flush()
    who = session.get(Person, loan.person_id)
    assert who is not None
    return loan_public(loan, asset, who, on)


def mark_seen(*, session: Session, asset_id: int, on: date, at: str | None) -> Asset:
    """Stocktake: the asset was seen on ``on`` (at a place, if given)."""
    asset = get_or_404(session, Asset, asset_id, "asset")
    asset.last_seen_on = on
    if at is not None:
        asset.last_seen_at = at.strip() or None
    touch(asset)
    session.flush()
    return asset



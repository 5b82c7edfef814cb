"""Loans: things we lent out, things we borrowed, and when they are due back.

Lending sets the asset's status to ``lent``; a borrowed thing is added as an
asset with status ``borrowed`` whose owner is the lender. Returning closes the
loan (the history is kept): a lent asset becomes ``active`` again, a borrowed
one ``returned``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.services import people_list, sql

NOT_LENDABLE = ("retired", "sold", "lost", "borrowed", "returned")


def loan_public(db: Any, loan_id: int, today: date) -> dict[str, Any]:
    """The JSON shape of loan ``loan_id`` (``people_list.loan_public``, as listed)."""
    row = sql.dbapi(db).execute(f"{people_list.LOANS} WHERE l.id = ?", (loan_id,)).fetchone()
    return people_list.loan_public(row, today)


def open_loan(db: Any, asset_id: int) -> tuple[int, str, str] | None:
    """(id, direction, since) of the asset's open loan, if it has one."""
    row: tuple[int, str, str] | None = sql.dbapi(db).execute(
        "SELECT id, direction, since FROM loan WHERE asset_id = ? AND returned_on IS NULL"
        " ORDER BY id LIMIT 1", (asset_id,)).fetchone()
    return row


def _check_dates(since: date, due: date | None) -> None:
    if due is not None and due < since:
        raise InvalidInput(f"--due: {due} is before the loan starts ({since})")


def lend(*, db: Any, asset_id: int, person: str, since: date, due: date | None = None,
         notes: str | None = None) -> dict[str, Any]:
    (status,) = sql.row_or_404(db, "asset", ("status",), asset_id, "asset")
    who = people_list.person_id(db, person, "--to")
    _check_dates(since, due)
    if open_loan(db, asset_id) is not None or status == "lent":
        raise Conflict(f"asset {asset_id} is already on loan; return it first")
    if status in NOT_LENDABLE:
        raise Conflict(f"asset {asset_id} is {status}; it cannot be lent")
    loan_id = sql.insert(db, "loan", {"asset_id": asset_id, "person_id": who,
                                      "direction": "out", "since": since, "due_on": due,
                                      "returned_on": None, "notes": notes})
    sql.update(db, "asset", asset_id, {"status": "lent"})
    return loan_public(db, loan_id, since)


def borrow(*, db: Any, name: str, person: str, since: date, due: date,
           notes: str | None = None) -> dict[str, Any]:
    """Record a thing we hold that is not ours: a new asset owned by the lender."""
    if not name.strip():
        raise InvalidInput("a borrowed thing needs a name")
    who = people_list.person_id(db, person, "--from")
    _check_dates(since, due)
    asset_id = sql.insert(db, "asset", {"name": name.strip(), "status": "borrowed",
                                        "owner_id": who})
    loan_id = sql.insert(db, "loan", {"asset_id": asset_id, "person_id": who,
                                      "direction": "in", "since": since, "due_on": due,
                                      "returned_on": None, "notes": notes})
    return loan_public(db, loan_id, since)


def give_back(*, db: Any, asset_id: int, on: date) -> dict[str, Any]:
    """Close the asset's open loan: lent → active again, borrowed → returned."""
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    loan = open_loan(db, asset_id)
    if loan is None:
        raise Conflict(f"asset {asset_id} is not on loan")
    loan_id, direction, since = loan
    started = sql.day(since)
    assert started is not None
    if on < started:
        raise InvalidInput(f"--on: {on} is before the loan started ({since})")
    sql.update(db, "loan", loan_id, {"returned_on": on})
    sql.update(db, "asset", asset_id, {"status": "active" if direction == "out" else "returned"})
    return loan_public(db, loan_id, on)


def mark_seen(*, db: Any, asset_id: int, on: date, at: str | None) -> dict[str, Any]:
    """Stocktake: the asset was seen on ``on`` (at a place, if given); the asset's JSON
    shape."""
    from stuffctl.services import assets

    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    columns: dict[str, Any] = {"last_seen_on": on}
    if at is not None:
        columns["last_seen_at"] = at.strip() or None
    sql.update(db, "asset", asset_id, columns)
    return assets.public(db, asset_id)

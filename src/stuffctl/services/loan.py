"""Loans: things we lent out, things we borrowed, and when they are due back.

Lending sets the asset's status to ``lent``; a borrowed thing is added as an
asset with status ``borrowed`` whose owner is the lender. Returning closes the
loan (the history is kept): a lent asset becomes ``active`` again, a borrowed
one ``returned``. The loan list and the one JSON shape of a loan are plain SQL
(``store.sql``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.services.lookup import resolve
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import Where, day, iso, stamp

NOT_LENDABLE = ("retired", "sold", "lost", "borrowed", "returned")


def public(db: Db, loan_id: int, today: date) -> dict[str, Any]:
    """The JSON shape of loan ``loan_id`` (``loan_public``, as listed)."""
    row = db.rows(f"{LOANS} WHERE l.id = ?", (loan_id,)).fetchone()
    return loan_public(row, today)


def open_loan(db: Db, asset_id: int) -> tuple[int, str, str] | None:
    """(id, direction, since) of the asset's open loan, if it has one."""
    row: tuple[int, str, str] | None = db.execute(
        "SELECT id, direction, since FROM loan WHERE asset_id = ? AND returned_on IS NULL"
        " ORDER BY id LIMIT 1", (asset_id,)).fetchone()
    return row


def _check_dates(since: date, due: date | None) -> None:
    if due is not None and due < since:
        raise InvalidInput(f"--due: {due} is before the loan starts ({since})")


def lend(*, db: Db, asset_id: int, person: str, since: date, due: date | None = None,
         notes: str | None = None) -> dict[str, Any]:
    (status,) = sql.row_or_404(db, "asset", ("status",), asset_id, "asset")
    who = resolve(db, "person", person, "--to")
    _check_dates(since, due)
    if open_loan(db, asset_id) is not None or status == "lent":
        raise Conflict(f"asset {asset_id} is already on loan; return it first")
    if status in NOT_LENDABLE:
        raise Conflict(f"asset {asset_id} is {status}; it cannot be lent")
    loan_id = sql.insert(db, "loan", {"asset_id": asset_id, "person_id": who,
                                      "direction": "out", "since": since, "due_on": due,
                                      "returned_on": None, "notes": notes})
    sql.update(db, "asset", asset_id, {"status": "lent"})
    return public(db, loan_id, since)


def borrow(*, db: Db, name: str, person: str, since: date, due: date,
           notes: str | None = None) -> dict[str, Any]:
    """Record a thing we hold that is not ours: a new asset owned by the lender."""
    if not name.strip():
        raise InvalidInput("a borrowed thing needs a name")
    who = resolve(db, "person", person, "--from")
    _check_dates(since, due)
    asset_id = sql.insert(db, "asset", {"name": name.strip(), "status": "borrowed",
                                        "owner_id": who})
    loan_id = sql.insert(db, "loan", {"asset_id": asset_id, "person_id": who,
                                      "direction": "in", "since": since, "due_on": due,
                                      "returned_on": None, "notes": notes})
    return public(db, loan_id, since)


def give_back(*, db: Db, asset_id: int, on: date) -> dict[str, Any]:
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
    return public(db, loan_id, on)


# A loan with its asset and person, as ``loan_public`` reads it.
# A loan's row as the JSON shape reads it: its columns and the names it refers to.
LOANS = ("SELECT l.*, a.name AS asset_name, p.name AS person_name FROM loan l"
         " JOIN asset a ON a.id = l.asset_id JOIN person p ON p.id = l.person_id")


def loan_public(row: Row, today: date) -> dict[str, Any]:
    """The one JSON shape of a loan (docs/json.md#loan), from a row of ``LOANS``."""
    open_, due = row["returned_on"] is None, day(row["due_on"])
    return {
        "id": row["id"], "uid": row["uid"], "asset_id": row["asset_id"],
        "asset_name": row["asset_name"], "person_id": row["person_id"],
        "person_name": row["person_name"], "direction": row["direction"],
        "since": iso(day(row["since"])), "due_on": iso(due),
        "returned_on": iso(day(row["returned_on"])),
        "open": open_, "overdue": bool(open_ and due is not None and due < today),
        "notes": row["notes"], "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
    }


def list_loans(
    *, db: Db, today: date | None = None, overdue: bool = False, person_id: int | None = None,
    include_returned: bool = False, direction: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Loans, open ones by due date first; returned ones too with ``include_returned``."""
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
    rows = db.rows(
        f"{LOANS} WHERE {where.sql} ORDER BY l.returned_on IS NOT NULL, l.due_on IS NULL, "
        "l.due_on, l.since DESC, l.id", where.params)
    for row in rows:
        yield loan_public(row, today)

"""Subscriptions and renewals: recurring charges, posting them, and what they cost.

``next_on`` is the next charge not yet posted. ``post_due`` records every
charge that has fallen due as a transaction and moves ``next_on`` on, so
running it twice posts nothing new (a unique (subscription, due date) charge
guards it too). Monthly and yearly rules count from the first charge with the
day clamped to the month's end (31 Jan → 28 Feb → 31 Mar); other rules follow
RFC 5545 through dateutil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.dates import Recurrence
from stuffctl.errors import Conflict, InvalidInput
from stuffctl.money import Money
from stuffctl.services import sql, sub_list
from stuffctl.services.due import MAX_POSTS, Sub, occurrences


@dataclass
class SubData:
    name: str
    amount: Money
    recurrence: Recurrence
    next_on: date
    category: str | None = None
    account: str | None = None
    asset_id: int | None = None
    cancel_by: date | None = None
    notes: str | None = None


def _sub(db: Any, sub_id: int) -> Sub:
    return Sub.of(sql.row_or_404(db, "subscription", Sub.COLUMNS, sub_id, "subscription"))


def _following(sub: Sub, day: date) -> date:
    return next(occurrences(sub, after=day))


def add_subscription(*, db: Any, data: SubData) -> dict[str, Any]:
    """Add a subscription; its JSON shape (docs/json.md#sub)."""
    if not data.name.strip():
        raise InvalidInput("NAME: cannot be empty")
    if data.amount.minor <= 0:
        raise InvalidInput(f"AMOUNT: a charge must be more than zero (got {data.amount})")
    if data.asset_id is not None:
        sql.row_or_404(db, "asset", ("id",), data.asset_id, "asset")
    sub_id = sql.insert(db, "subscription", {
        "name": data.name.strip(), "amount_minor": data.amount.minor,
        "currency": data.amount.currency, "rule": data.recurrence.rule,
        "anchor_on": data.next_on, "next_on": data.next_on, "category": data.category,
        "account": data.account, "asset_id": data.asset_id, "cancel_by": data.cancel_by,
        "status": "active", "cancelled_on": None, "notes": data.notes})
    return sub_public(db, sub_id)


def sub_public(db: Any, sub_id: int) -> dict[str, Any]:
    """The JSON shape of subscription ``sub_id`` (``sub_list.sub_public``, as listed)."""
    return sub_list.sub_public(sql.row_or_404(db, "subscription", sub_list.COLUMNS, sub_id,
                                              "subscription"))


def _post(db: Any, sub: Sub, due: date, amount: int, *, paid_on: date | None = None) -> int:
    """Record one charge with its transaction; the charge's id."""
    txn_id = sql.insert(db, "txn", {
        "occurred_on": paid_on or due, "amount_minor": -amount, "currency": sub.currency,
        "payee": sub.name, "category": sub.category, "account": sub.account,
        "asset_id": sub.asset_id, "subscription_id": sub.id,
        "memo": f"subscription: {sub.name}"})
    return sql.insert(db, "subscription_charge", {
        "subscription_id": sub.id, "due_on": due, "paid_on": paid_on, "amount_minor": amount,
        "currency": sub.currency, "estimated": paid_on is None, "txn_id": txn_id},
        record=False)


def _advance(sub: Sub) -> None:
    """Move to the next charge; a cancel-by date this charge passed moves along with it."""
    due, sub.next_on = sub.next_on, _following(sub, sub.next_on)
    if sub.cancel_by is not None and sub.cancel_by <= due:
        sub.cancel_by += sub.next_on - due


def _moved(db: Any, sub: Sub, **values: Any) -> None:
    sql.update(db, "subscription", sub.id,
               {"next_on": sub.next_on, "cancel_by": sub.cancel_by, **values})


def post_due(*, db: Any, today: date) -> list[dict[str, Any]]:
    """Record every charge due on or before ``today`` as a transaction, once."""
    conn = sql.dbapi(db)
    subs = [Sub.of(row) for row in conn.execute(
        f"SELECT {', '.join(Sub.COLUMNS)} FROM subscription"
        " WHERE status = 'active' AND next_on <= ? ORDER BY id", (today.isoformat(),))]
    posted: list[tuple[int, int]] = []
    for sub in subs:
        for _ in range(MAX_POSTS):
            if sub.next_on > today:
                break
            posted.append((_post(conn, sub, sub.next_on, sub.amount_minor), sub.id))
            _advance(sub)
        _moved(conn, sub)
    return [_charge(conn, charge_id) | {"subscription_id": sub_id}
            for charge_id, sub_id in posted]


def _charge(db: Any, charge_id: int) -> dict[str, Any]:
    return sub_list.charge_public(sql.row_or_404(db, "subscription_charge",
                                                 sub_list.CHARGE_COLUMNS, charge_id, "charge"))


def mark_paid(*, db: Any, sub_id: int, amount: Money | None, on: date) -> dict[str, Any]:
    """Record what was actually charged: the oldest estimated charge, or the next one."""
    sub = _sub(db, sub_id)
    if amount is not None and amount.currency != sub.currency:
        raise InvalidInput(f"--amount: in {amount.currency}, the subscription is in "
                           f"{sub.currency}")
    actual = abs(amount.minor) if amount else sub.amount_minor
    conn = sql.dbapi(db)
    found = conn.execute("SELECT id, txn_id FROM subscription_charge WHERE subscription_id = ?"
                         " AND estimated ORDER BY due_on LIMIT 1", (sub_id,)).fetchone()
    if found is None:
        if sub.status != "active":
            raise Conflict(f"subscription {sub_id} is cancelled and has no charge to mark paid")
        charge_id = _post(conn, sub, sub.next_on, actual, paid_on=on)
        _advance(sub)
    else:
        charge_id, txn_id = found
        conn.execute("UPDATE subscription_charge SET amount_minor = ?, paid_on = ?,"
                     " estimated = 0 WHERE id = ?", (actual, on.isoformat(), charge_id))
        if txn_id is not None and conn.execute("SELECT 1 FROM txn WHERE id = ?",
                                               (txn_id,)).fetchone():
            sql.update(conn, "txn", txn_id, {"amount_minor": -actual, "occurred_on": on})
    _moved(conn, sub, amount_minor=actual)  # the next estimate is the last real charge
    return _charge(conn, charge_id) | {"subscription_id": sub_id}


def cancel_subscription(*, db: Any, sub_id: int, on: date) -> dict[str, Any]:
    sub = _sub(db, sub_id)
    if sub.status == "cancelled":
        raise Conflict(f"subscription {sub_id} is already cancelled")
    sql.update(db, "subscription", sub_id, {"status": "cancelled", "cancelled_on": on})
    return sub_public(db, sub_id)


def remove_subscription(*, db: Any, sub_id: int) -> dict[str, Any]:
    """Delete a subscription and its charge history; its transactions stay, unlinked."""
    data = sub_public(db, sub_id)
    sql.dbapi(db).execute("DELETE FROM subscription WHERE id = ?", (sub_id,))
    return data

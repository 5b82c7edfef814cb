"""Subscriptions and renewals: recurring charges, posting them, and what they cost.

``next_on`` is the next charge not yet posted. ``post_due`` records every
charge that has fallen due as a transaction and moves ``next_on`` on, so
running it twice posts nothing new (a unique (subscription, due date) charge
guards it too). Monthly and yearly rules count from the first charge with the
day clamped to the month's end (31 Jan → 28 Feb → 31 Mar); other rules follow
RFC 5545 through dateutil.

`sub list` in every format, what they cost per month and year, and the one JSON
shape of a subscription are plain SQL (``store.sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from stuffctl.dates import Recurrence
from stuffctl.errors import Conflict, InvalidInput
from stuffctl.money import Money, money_json, parse_amount
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import day, iso, row_or_404, stamp

if TYPE_CHECKING:  # the charge schedule is only needed by the writes: imported there
    from stuffctl.services.remind.due import Sub


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
    payer: str | None = None  # a person (id, name, me): who pays, and hears of it


def _payer(db: Db, ref: str | None) -> int | None:
    from stuffctl.services.lookup import resolve

    return None if ref is None or ref.strip().lower() == "nobody" else \
        resolve(db, "person", ref, "--payer")


def _sub(db: Db, sub_id: int) -> Sub:
    from stuffctl.services.remind.due import Sub

    return Sub.of(sql.row_or_404(db, "subscription", None, sub_id, "subscription"))


def _following(sub: Sub, day: date) -> date:
    from stuffctl.services.remind.due import occurrences

    return next(occurrences(sub, after=day))


def add_subscription(*, db: Db, data: SubData) -> dict[str, Any]:
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
        "status": "active", "cancelled_on": None, "notes": data.notes,
        "payer_id": _payer(db, data.payer)})
    return public(db, sub_id)


EDITABLE = ("category", "account", "notes", "payer")


def edit_subscription(*, db: Db, sub_id: int, values: dict[str, str | None],
                      since: int | None = None) -> dict[str, Any]:
    """Change a subscription's category, account, notes or payer (``nobody``: none); an
    empty text clears category, account or notes."""
    sql.row_or_404(db, "subscription", ("id",), sub_id, "subscription")
    columns: dict[str, Any] = {k: (v.strip() or None) if isinstance(v, str) else v
                               for k, v in values.items() if k != "payer"}
    if "payer" in values:
        columns["payer_id"] = _payer(db, values["payer"])
    if columns:
        sql.update(db, "subscription", sub_id, columns, since=since)
    return public(db, sub_id)


def public(db: Db, sub_id: int) -> dict[str, Any]:
    """The JSON shape of subscription ``sub_id`` (``sub_public``, as listed)."""
    row = sql.row_or_404(db, "subscription", None, sub_id, "subscription")
    return {**sub_public(row), "payer": None if row["payer_id"] is None else db.one(
        "SELECT name FROM person WHERE id = ?", (row["payer_id"],)),
        "revision": sql.revisions(db, "subscription", [sub_id])[sub_id]}


def _post(db: Db, sub: Sub, due: date, amount: int, *, paid_on: date | None = None) -> int:
    """Record one charge with its transaction; the charge's id."""
    txn_id = sql.insert(db, "txn", {
        "occurred_on": paid_on or due, "amount_minor": -amount, "currency": sub.currency,
        "payee": sub.name, "category": sub.category, "account": sub.account,
        "asset_id": sub.asset_id, "subscription_id": sub.id,
        "memo": f"subscription: {sub.name}"})
    return sql.insert(db, "subscription_charge", {
        "subscription_id": sub.id, "due_on": due, "paid_on": paid_on, "amount_minor": amount,
        "currency": sub.currency, "estimated": paid_on is None, "txn_id": txn_id})


def _advance(sub: Sub) -> None:
    """Move to the next charge; a cancel-by date this charge passed moves along with it."""
    due, sub.next_on = sub.next_on, _following(sub, sub.next_on)
    if sub.cancel_by is not None and sub.cancel_by <= due:
        sub.cancel_by += sub.next_on - due


def _moved(db: Db, sub: Sub, **values: Any) -> None:
    sql.update(db, "subscription", sub.id,
               {"next_on": sub.next_on, "cancel_by": sub.cancel_by, **values})


def post_due(*, db: Db, today: date) -> list[dict[str, Any]]:
    """Record every charge due on or before ``today`` as a transaction, once."""
    from stuffctl.services.remind.due import MAX_POSTS, Sub

    subs = [Sub.of(row) for row in db.rows(
        f"{sql.select_all('subscription')} WHERE status = 'active' AND next_on <= ?"
        " ORDER BY id", (today.isoformat(),))]
    posted: list[tuple[int, int]] = []
    for sub in subs:
        for _ in range(MAX_POSTS):
            if sub.next_on > today:
                break
            posted.append((_post(db, sub, sub.next_on, sub.amount_minor), sub.id))
            _advance(sub)
        _moved(db, sub)
    return [_charge(db, charge_id) | {"subscription_id": sub_id}
            for charge_id, sub_id in posted]


def _charge(db: Db, charge_id: int) -> dict[str, Any]:
    return charge_public(sql.row_or_404(db, "subscription_charge", None, charge_id, "charge"))


def mark_paid(*, db: Db, sub_id: int, amount: Money | None, on: date) -> dict[str, Any]:
    """Record what was actually charged: the oldest estimated charge, or the next one."""
    sub = _sub(db, sub_id)
    if amount is not None and amount.currency != sub.currency:
        raise InvalidInput(f"--amount: in {amount.currency}, the subscription is in "
                           f"{sub.currency}")
    actual = abs(amount.minor) if amount else sub.amount_minor
    found = db.execute("SELECT id, txn_id FROM subscription_charge WHERE subscription_id = ?"
                         " AND estimated = 1 ORDER BY due_on LIMIT 1", (sub_id,)).fetchone()
    if found is None:
        if sub.status != "active":
            raise Conflict(f"subscription {sub_id} is cancelled and has no charge to mark paid")
        charge_id = _post(db, sub, sub.next_on, actual, paid_on=on)
        _advance(sub)
    else:
        charge_id, txn_id = found
        db.execute("UPDATE subscription_charge SET amount_minor = ?, paid_on = ?,"
                     " estimated = 0 WHERE id = ?", (actual, on.isoformat(), charge_id))
        if txn_id is not None and db.execute("SELECT 1 FROM txn WHERE id = ?",
                                               (txn_id,)).fetchone():
            sql.update(db, "txn", txn_id, {"amount_minor": -actual, "occurred_on": on})
    _moved(db, sub, amount_minor=actual)  # the next estimate is the last real charge
    return _charge(db, charge_id) | {"subscription_id": sub_id}


def cancel_subscription(*, db: Db, sub_id: int, on: date) -> dict[str, Any]:
    sub = _sub(db, sub_id)
    if sub.status == "cancelled":
        raise Conflict(f"subscription {sub_id} is already cancelled")
    sql.update(db, "subscription", sub_id, {"status": "cancelled", "cancelled_on": on})
    return public(db, sub_id)


def remove_subscription(*, db: Db, sub_id: int) -> dict[str, Any]:
    """Delete a subscription and its charge history; its transactions stay, unlinked."""
    data = public(db, sub_id)
    db.execute("DELETE FROM subscription WHERE id = ?", (sub_id,))
    return data


def yearly(amount_minor: int, rule: str) -> int:
    """What a charge of ``amount_minor`` every ``rule`` costs in an average year."""
    per_year = Decimal("365.2425") / Decimal(repr(Recurrence(rule).approx_days()))
    return int((amount_minor * per_year).quantize(Decimal(1), ROUND_HALF_EVEN))


def sub_public(row: Row) -> dict[str, Any]:
    """The JSON shape of a subscription (docs/json.md#sub), from its stored row."""
    currency, rule, status = row["currency"], row["rule"], row["status"]
    per_year = yearly(row["amount_minor"], rule)
    monthly = int((Decimal(per_year) / 12).quantize(Decimal(1), ROUND_HALF_EVEN))
    return {
        "id": row["id"], "uid": row["uid"], "name": row["name"],
        "amount": money_json(row["amount_minor"], currency),
        "every": Recurrence(rule).describe(), "rule": rule,
        "next_on": iso(day(row["next_on"])) if status == "active" else None,
        "started_on": iso(day(row["anchor_on"])), "status": status,
        "cancelled_on": iso(day(row["cancelled_on"])), "cancel_by": iso(day(row["cancel_by"])),
        "category": row["category"], "account": row["account"], "asset_id": row["asset_id"],
        "payer_id": row["payer_id"], "yearly": money_json(per_year, currency),
        "monthly": money_json(monthly, currency),
        "notes": row["notes"], "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
    }


def charge_public(row: Row) -> dict[str, Any]:
    """The JSON shape of a charge, from its stored row."""
    return {"id": row["id"], "due_on": iso(day(row["due_on"])),
            "paid_on": iso(day(row["paid_on"])),
            "amount": money_json(row["amount_minor"], row["currency"]),
            "estimated": bool(row["estimated"]), "txn_id": row["txn_id"]}


def show_subscription(*, db: Db, sub_id: int) -> dict[str, Any]:
    """A subscription with its charges (price history), total paid and a price change."""
    row = row_or_404(db, "subscription", None, sub_id, "subscription")
    charges = db.rows(f"{sql.select_all('subscription_charge')}"
                        " WHERE subscription_id = ? ORDER BY due_on", (sub_id,)).fetchall()
    data = sub_public(row)
    currency = data["amount"]["currency"]
    data["charges"] = [charge_public(c) for c in charges]
    data["paid_total"] = money_json(sum(c["amount_minor"] for c in charges), currency)
    amounts = [(day(c["due_on"]), c["amount_minor"]) for c in charges]
    amounts.append((day(row["next_on"]), row["amount_minor"]))
    data["price_change"] = _price_change(amounts, currency)
    return data


def _price_change(amounts: list[tuple[Any, int]], currency: str) -> dict[str, Any] | None:
    """The latest change of the charged amount (the current estimate counts last)."""
    for (_, before), (on, after) in reversed(list(pairwise(amounts))):
        if before != after:
            return {"from": money_json(before, currency), "to": money_json(after, currency),
                    "on": iso(on), "percent": round((after - before) * 100 / before, 1)}
    return None


def list_subscriptions(*, db: Db, include_cancelled: bool = False) -> list[dict[str, Any]]:
    """Active subscriptions (``include_cancelled``: all), next charge first."""
    where = "" if include_cancelled else " WHERE status = 'active'"
    rows = db.rows(f"{sql.select_all('subscription')}{where} ORDER BY next_on, name")
    return [sub_public(row) for row in rows]


def monthly_totals(subs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per currency: what the active subscriptions cost per month and per year."""
    sums: dict[str, list[int]] = {}
    for s in subs:
        if s["status"] == "active":
            cur = s["amount"]["currency"]
            total = sums.setdefault(cur, [0, 0])
            total[0] += _minor(s["monthly"])
            total[1] += _minor(s["yearly"])
    return [{"currency": c, "monthly": money_json(m, c), "yearly": money_json(y, c)}
            for c, (m, y) in sorted(sums.items())]


def _minor(money: dict[str, str]) -> int:
    return parse_amount(money["amount"], currency=money["currency"])

"""Listing subscriptions in plain SQL (``services.sql``): `sub list` in every format,
what they cost per month and year, and the one JSON shape of a subscription."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import pairwise
from typing import Any

from stuffctl.dates import Recurrence
from stuffctl.money import money_json, parse_amount
from stuffctl.services.sql import day, dbapi, iso, row_or_404, stamp

COLUMNS = ("id", "uid", "name", "amount_minor", "currency", "rule", "anchor_on", "next_on",
           "category", "account", "asset_id", "cancel_by", "status", "cancelled_on", "notes",
           "created_at", "updated_at")


def yearly(amount_minor: int, rule: str) -> int:
    """What a charge of ``amount_minor`` every ``rule`` costs in an average year."""
    per_year = Decimal("365.2425") / Decimal(repr(Recurrence(rule).approx_days()))
    return int((amount_minor * per_year).quantize(Decimal(1), ROUND_HALF_EVEN))


def sub_public(row: Sequence[Any]) -> dict[str, Any]:
    """The JSON shape of a subscription (docs/json.md#sub), from its ``COLUMNS`` (as
    stored, or as a model's attributes)."""
    (ident, uid, name, minor, currency, rule, anchor_on, next_on, category, account,
     asset_id, cancel_by, status, cancelled_on, notes, created_at, updated_at) = row
    per_year = yearly(minor, rule)
    monthly = int((Decimal(per_year) / 12).quantize(Decimal(1), ROUND_HALF_EVEN))
    return {
        "id": ident, "uid": uid, "name": name,
        "amount": money_json(minor, currency),
        "every": Recurrence(rule).describe(), "rule": rule,
        "next_on": iso(day(next_on)) if status == "active" else None,
        "started_on": iso(day(anchor_on)), "status": status,
        "cancelled_on": iso(day(cancelled_on)), "cancel_by": iso(day(cancel_by)),
        "category": category, "account": account, "asset_id": asset_id,
        "yearly": money_json(per_year, currency), "monthly": money_json(monthly, currency),
        "notes": notes, "created_at": stamp(created_at), "updated_at": stamp(updated_at),
    }


CHARGE_COLUMNS = ("id", "due_on", "paid_on", "amount_minor", "currency", "estimated", "txn_id")


def charge_public(row: Sequence[Any]) -> dict[str, Any]:
    """The JSON shape of a charge, from its ``CHARGE_COLUMNS`` (stored, or a model's)."""
    ident, due_on, paid_on, minor, currency, estimated, txn_id = row
    return {"id": ident, "due_on": iso(day(due_on)), "paid_on": iso(day(paid_on)),
            "amount": money_json(minor, currency), "estimated": bool(estimated),
            "txn_id": txn_id}


def show_subscription(*, db: Any, sub_id: int) -> dict[str, Any]:
    """A subscription with its charges (price history), total paid and a price change."""
    conn = dbapi(db)
    row = row_or_404(conn, "subscription", COLUMNS, sub_id, "subscription")
    charges = conn.execute(f"SELECT {', '.join(CHARGE_COLUMNS)} FROM subscription_charge"
                           " WHERE subscription_id = ? ORDER BY due_on", (sub_id,)).fetchall()
    data = sub_public(row)
    currency = data["amount"]["currency"]
    data["charges"] = [charge_public(c) for c in charges]
    data["paid_total"] = money_json(sum(c[3] for c in charges), currency)
    amounts = [(day(c[1]), c[3]) for c in charges]
    amounts.append((day(row[COLUMNS.index("next_on")]), row[COLUMNS.index("amount_minor")]))
    data["price_change"] = _price_change(amounts, currency)
    return data


def _price_change(amounts: list[tuple[Any, int]], currency: str) -> dict[str, Any] | None:
    """The latest change of the charged amount (the current estimate counts last)."""
    for (_, before), (on, after) in reversed(list(pairwise(amounts))):
        if before != after:
            return {"from": money_json(before, currency), "to": money_json(after, currency),
                    "on": iso(on), "percent": round((after - before) * 100 / before, 1)}
    return None


def list_subscriptions(*, db: Any, include_cancelled: bool = False) -> list[dict[str, Any]]:
    """Active subscriptions (``include_cancelled``: all), next charge first."""
    where = "" if include_cancelled else " WHERE status = 'active'"
    rows = dbapi(db).execute(f"SELECT {', '.join(COLUMNS)} FROM subscription{where}"
                             " ORDER BY next_on, name")
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

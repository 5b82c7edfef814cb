"""What to buy now (`stuffctl shopping`), and what the ``stock`` reminder source yields."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from stuffctl.money import money_json
from stuffctl.services.stock.items import items_of
from stuffctl.services.stock.quantity import MILLI, amount, format_quantity
from stuffctl.services.stock.usage import Usage, low_on, runs_out, status, to_buy
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import Where, iso

# The latest purchase of each item that has a transaction: what one unit cost.
PRICES = ("SELECT m.item_id, m.occurred_on, m.delta_milli, t.amount_minor, t.currency"
          " FROM stock_move m JOIN txn t ON t.id = m.txn_id"
          " WHERE m.kind = 'buy' AND m.delta_milli > 0 AND {where}"
          " ORDER BY m.item_id, m.occurred_on DESC, m.id DESC")


def _prices(db: Db, item_ids: list[int]) -> dict[int, tuple[str, int, str]]:
    """(day, price of one unit in minor units, currency) of each item's latest purchase
    with a transaction."""
    found: dict[int, tuple[str, int, str]] = {}
    if item_ids:
        for item_id, on, milli, minor, currency in db.execute(
                PRICES.format(where=db.backend.in_list("m.item_id")), (json.dumps(item_ids),)):
            if item_id not in found:
                found[item_id] = (on, round(Fraction(abs(minor) * MILLI, milli)), currency)
    return found


def shopping(*, db: Db, today: date, within: int = 0) -> list[dict[str, Any]]:
    """What to buy now: every item low or out, and with ``within`` days those that will
    be by then; how much (``to_buy``), and what one unit cost the last time. By vendor
    (none last), then name."""
    found = []
    for row, usage in items_of(db, Where(), today):
        quantity, reorder = row["quantity_milli"], row["reorder_milli"]
        low = low_on(quantity, reorder, row["lead_days"], usage, today)
        if low is not None and low <= today + timedelta(days=within):
            found.append((row, usage, low))
    prices = _prices(db, [int(row["id"]) for row, _, _ in found])
    rows = [_wanted(row, usage, low, prices.get(row["id"]), today)
            for row, usage, low in found]
    return sorted(rows, key=lambda r: (r["vendor"] is None, (r["vendor"] or "").lower(),
                                       r["name"].lower(), r["item_id"]))


def _wanted(row: Row, usage: Usage | None, low: date, price: tuple[str, int, str] | None,
            today: date) -> dict[str, Any]:
    """The JSON shape of a line of the shopping list (docs/json.md#shopping)."""
    quantity = row["quantity_milli"]
    milli = to_buy(quantity, row["reorder_milli"], row["buy_milli"])
    on, each, currency = price or (None, None, None)
    return {
        "item_id": row["id"], "name": row["name"], "unit": row["unit"],
        "quantity": format_quantity(quantity), "status": status(quantity, low, today),
        "low_on": iso(low), "runs_out_on": iso(runs_out(quantity, usage, today)),
        "to_buy": format_quantity(milli), "vendor": row["vendor"],
        "category": row["category"], "asset_id": row["asset_id"],
        "last_price": money_json(each, currency), "last_bought_on": on,
        "estimate": money_json(round(Fraction(each * milli, MILLI)) if each is not None
                               else None, currency),
    }


# -- reminders -------------------------------------------------------------------------

# Per item, its latest purchase: a reminder is one occurrence from one purchase to the next.
BOUGHT = "SELECT item_id, max(id) FROM stock_move WHERE kind = 'buy' GROUP BY item_id"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_remind(*, db: Db, today: date, ahead: int, end: date) -> list[dict[str, Any]]:
    """What the ``stock`` reminder source yields: each item low now (due today) or low
    within ``ahead`` days of a day before ``end`` (due that day, ``ahead`` before it is
    low), as ``{id, title, due, occurrence, asset_id}``. The occurrence names the item's
    latest purchase, so that it is notified once until the next purchase."""
    bought = dict(db.execute(BOUGHT).fetchall())
    found = []
    for row, usage in items_of(db, Where(), today):
        quantity = row["quantity_milli"]
        low = low_on(quantity, row["reorder_milli"], row["lead_days"], usage, today)
        if low is None:
            continue
        due = max(today, low - timedelta(days=ahead))
        if due < end:
            found.append({"id": row["id"], "title": _title(row, usage, today), "due": due,
                          "occurrence": f"bought:{bought.get(row['id'], 'never')}",
                          "asset_id": row["asset_id"]})
    return found


def _title(row: Row, usage: Usage | None, today: date) -> str:
    """``Buy wiper blades (1 left, runs out ~Dec 12)``."""
    quantity = row["quantity_milli"]
    if quantity <= 0:
        return f"Buy {row['name']} (none left)"
    left, end = amount(quantity, row["unit"]), runs_out(quantity, usage, today)
    if end is None:
        return f"Buy {row['name']} ({left} left)"
    year = f" {end.year}" if end.year != today.year else ""
    return f"Buy {row['name']} ({left} left, runs out ~{MONTHS[end.month - 1]} {end.day}{year})"

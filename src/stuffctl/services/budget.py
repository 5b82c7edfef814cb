"""Budgets: a spending limit per category and period, and how much of each is used
(`budget status`, the status section and the over-budget alert), in plain SQL
(``store.sql``).

A budget for ``home`` counts spending in ``home`` and every ``home:…`` below
it. Spending is money out minus refunds (money in) in that category, in the
budget's currency only: other currencies never mix in.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from stuffctl.dates import period_bounds
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.money import Money, money_json
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import iso, stamp
from stuffctl.vocabulary import BUDGET_PERIODS


def _budget(db: Db, category: str) -> dict[str, Any] | None:
    row = db.rows(f"{sql.select_all('budget')} WHERE category = ?",
                    (category,)).fetchone()
    return budget_public(row) if row else None


def set_budget(*, db: Db, category: str, amount: Money, period: str) -> dict[str, Any]:
    """Create or replace the budget of ``category``; its JSON shape."""
    category = category.strip()
    if not category:
        raise InvalidInput("CATEGORY: cannot be empty")
    if period not in BUDGET_PERIODS:
        raise InvalidInput(f"--period: expected one of {', '.join(BUDGET_PERIODS)}")
    if amount.minor <= 0:
        raise InvalidInput(f"AMOUNT: a budget must be more than zero (got {amount})")
    values = {"period": period, "amount_minor": amount.minor, "currency": amount.currency}
    found = _budget(db, category)
    if found is None:
        sql.insert(db, "budget", {"category": category, **values})
    else:
        sql.update(db, "budget", found["id"], values)
    data = _budget(db, category)
    assert data is not None
    return data


def remove_budget(*, db: Db, category: str) -> dict[str, Any]:
    data = _budget(db, category)
    if data is None:
        raise NotFound(f"no budget for category {category!r}")
    db.execute("DELETE FROM budget WHERE id = ?", (data["id"],))
    return data


UNITS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

BUDGETS = "SELECT category, period, amount_minor, currency FROM budget ORDER BY category"
# Answered from the covering index ix_txn_spend alone (tests/test_query_plans.py).
SUMS = ("SELECT category, currency, sum(amount_minor) FROM txn"
        " WHERE occurred_on >= ? AND occurred_on < ? AND category IS NOT NULL"
        " GROUP BY category, currency")


def budget_public(row: Row) -> dict[str, Any]:
    """The one JSON shape of a budget (docs/json.md#budget), from its stored row."""
    return {"id": row["id"], "uid": row["uid"], "category": row["category"],
            "period": row["period"], "amount": money_json(row["amount_minor"], row["currency"]),
            "created_at": stamp(row["created_at"]), "updated_at": stamp(row["updated_at"])}


def list_budgets(*, db: Db) -> list[dict[str, Any]]:
    """Every budget, by category."""
    rows = db.rows(f"{sql.select_all('budget')} ORDER BY category")
    return [budget_public(row) for row in rows]


def _months(start: date, end: date) -> Decimal:
    """Length of [start, end) in months: whole months exactly, else days / (365.2425/12)."""
    if start.day == 1 and end.day == 1:
        return Decimal((end.year - start.year) * 12 + end.month - start.month)
    return Decimal((end - start).days) / (Decimal("365.2425") / 12)


def _sums(conn: Db, start: date, end: date) -> dict[tuple[str, str], int]:
    """Net amount per (category, currency) in [start, end): one aggregate over the span."""
    rows = conn.execute(SUMS, (start.isoformat(), end.isoformat()))
    return {(cat, cur): int(total) for cat, cur, total in rows}


def _spent(sums: dict[tuple[str, str], int], category: str, currency: str) -> int:
    """Money out minus refunds in ``category`` and below it (a roll-up of the groups)."""
    return -sum(total for (cat, cur), total in sums.items()
                if cur == currency and (cat == category or cat.startswith(category + ":")))


def budget_status(*, db: Db, today: date,
                  period: tuple[date, date] | None = None) -> dict[str, Any]:
    """Per budget: its amount for the period, spent, left and percentage used.

    Without ``period`` each budget is measured over its own current period
    (this month, quarter or year); with one, every budget is prorated to it.
    """
    rows, sums = [], {}  # one aggregate per distinct span: at most month, quarter, year
    for category, per, minor, currency in db.execute(BUDGETS).fetchall():
        start, end = period or period_bounds(today, UNITS[per])  # type: ignore[arg-type]
        if (start, end) not in sums:
            sums[start, end] = _sums(db, start, end)
        scale = _months(start, end) / MONTHS[per]
        amount = int((minor * scale).quantize(Decimal(1), ROUND_HALF_EVEN))
        spent = _spent(sums[start, end], category, currency)
        rows.append({
            "category": category, "depth": 0, "period": per,
            "start": iso(start), "end": iso(end),
            "budget": money_json(amount, currency), "spent": money_json(spent, currency),
            "left": money_json(amount - spent, currency),
            "percent": round(spent * 100 / amount, 1) if amount else None,
            "over": spent > amount,
        })
    for row in rows:
        row["depth"] = sum(1 for other in rows
                           if row["category"].startswith(other["category"] + ":"))
    overall = (period or (min((date.fromisoformat(r["start"]) for r in rows), default=today),
                          max((date.fromisoformat(r["end"]) for r in rows), default=today)))
    return {"start": iso(overall[0]), "end": iso(overall[1]), "budgets": rows}

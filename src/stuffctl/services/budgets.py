"""Budgets: a spending limit per category and period, and how much of it is used.

A budget for ``home`` counts spending in ``home`` and every ``home:…`` below
it. Spending is money out minus refunds (money in) in that category, in the
budget's currency only: other currencies never mix in.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from stuffctl.dates import period_bounds
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.models import Budget, Txn
from stuffctl.models.ledger import BUDGET_PERIODS
from stuffctl.money import Money
from stuffctl.services.common import iso, money_json, touch

UNITS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def budget_public(b: Budget) -> dict[str, Any]:
    """The JSON shape of a budget (docs/json.md#budget)."""
    return {"id": b.id, "uid": b.uid, "category": b.category, "period": b.period,
            "amount": money_json(b.amount_minor, b.currency),
            "created_at": iso(b.created_at), "updated_at": iso(b.updated_at)}


def set_budget(*, session: Session, category: str, amount: Money, period: str) -> Budget:
    """Create or replace the budget of ``category``."""
    category = category.strip()
    if not category:
        raise InvalidInput("CATEGORY: cannot be empty")
    if period not in BUDGET_PERIODS:
        raise InvalidInput(f"--period: expected one of {', '.join(BUDGET_PERIODS)}")
    if amount.minor <= 0:
        raise InvalidInput(f"AMOUNT: a budget must be more than zero (got {amount})")
    budget = session.execute(select(Budget).where(col(Budget.category) == category)).scalar()
    if budget is None:
        budget = Budget(category=category, period=period, amount_minor=0, currency="XXX")
        session.add(budget)
    budget.period, budget.amount_minor, budget.currency = period, amount.minor, amount.currency
    touch(budget)
    session.flush()
    return budget


def list_budgets(*, session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(Budget).order_by(col(Budget.category))).scalars()
    return [budget_public(b) for b in rows]


def remove_budget(*, session: Session, category: str) -> dict[str, Any]:
    budget = session.execute(select(Budget).where(col(Budget.category) == category)).scalar()
    if budget is None:
        raise NotFound(f"no budget for category {category!r}")
    data = budget_public(budget)
    session.delete(budget)
    session.flush()
    return data


def _months(start: date, end: date) -> Decimal:
    """Length of [start, end) in months: whole months exactly, else days / (365.2425/12)."""
    if start.day == 1 and end.day == 1:
        return Decimal((end.year - start.year) * 12 + end.month - start.month)
    return Decimal((end - start).days) / (Decimal("365.2425") / 12)


def _sums(session: Session, start: date, end: date) -> dict[tuple[str, str], int]:
    """Net amount per (category, currency) in [start, end): one aggregate over the span."""
    rows = session.execute(sums_query(start, end))
    return {(cat, cur): int(total) for cat, cur, total in rows}


def sums_query(start: date, end: date) -> Any:
    """The budget aggregate: answered from the covering index ix_txn_spend alone."""
    return (select(col(Txn.category), col(Txn.currency), func.sum(Txn.amount_minor))
            .where(col(Txn.occurred_on) >= start, col(Txn.occurred_on) < end,
                   col(Txn.category).is_not(None))
            .group_by(col(Txn.category), col(Txn.currency)))


def _spent(sums: dict[tuple[str, str], int], category: str, currency: str) -> int:
    """Money out minus refunds in ``category`` and below it (a roll-up of the groups)."""
    return -sum(total for (cat, cur), total in sums.items()
                if cur == currency and (cat == category or cat.startswith(category + ":")))


def budget_status(*, session: Session, today: date,
                  period: tuple[date, date] | None = None) -> dict[str, Any]:
    """Per budget: its amount for the period, spent, left and percentage used.

    Without ``period`` each budget is measured over its own current period
    (this month, quarter or year); with one, every budget is prorated to it.
    """
    rows, sums = [], {}  # one aggregate per distinct span: at most month, quarter, year
    for b in session.execute(select(Budget).order_by(col(Budget.category))).scalars():
        start, end = period or period_bounds(today, UNITS[b.period])  # type: ignore[arg-type]
        if (start, end) not in sums:
            sums[start, end] = _sums(session, start, end)
        scale = _months(start, end) / MONTHS[b.period]
        amount = int((b.amount_minor * scale).quantize(Decimal(1), ROUND_HALF_EVEN))
        spent = _spent(sums[start, end], b.category, b.currency)
        rows.append({
            "category": b.category, "depth": 0, "period": b.period,
            "start": iso(start), "end": iso(end),
            "budget": money_json(amount, b.currency), "spent": money_json(spent, b.currency),
            "left": money_json(amount - spent, b.currency),
            "percent": round(spent * 100 / amount, 1) if amount else None,
            "over": spent > amount,
        })
    for row in rows:
        row["depth"] = sum(1 for other in rows
                           if row["category"].startswith(other["category"] + ":"))
    overall = (period or (min((date.fromisoformat(r["start"]) for r in rows), default=today),
                          max((date.fromisoformat(r["end"]) for r in rows), default=today)))
    return {"start": iso(overall[0]), "end": iso(overall[1]), "budgets": rows}

"""Budgets: a spending limit per category and period.

How much of each is used is ``services.budget_usage`` (plain SQL, shared with
`status` and the over-budget alert).
"""

from __future__ import annotations

from typing import Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services import budget_usage, sql
from stuffctl.vocabulary import BUDGET_PERIODS


def _budget(db: Any, category: str) -> dict[str, Any] | None:
    row = sql.dbapi(db).execute(f"SELECT {', '.join(budget_usage.COLUMNS)} FROM budget"
                                " WHERE category = ?", (category,)).fetchone()
    return budget_usage.budget_public(row) if row else None


def set_budget(*, db: Any, category: str, amount: Money, period: str) -> dict[str, Any]:
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


def remove_budget(*, db: Any, category: str) -> dict[str, Any]:
    data = _budget(db, category)
    if data is None:
        raise NotFound(f"no budget for category {category!r}")
    sql.dbapi(db).execute("DELETE FROM budget WHERE id = ?", (data["id"],))
    return data

"""Budgets: a spending limit per category and period.

How much of each is used is ``services.budget_usage`` (plain SQL, shared with
`status` and the over-budget alert).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.models import Budget
from stuffctl.models.plans import BUDGET_PERIODS
from stuffctl.money import Money
from stuffctl.services import budget_usage
from stuffctl.services.common import touch


def budget_public(b: Budget) -> dict[str, Any]:
    """The JSON shape of a budget (``budget_usage.budget_public``, shared with the list)."""
    return budget_usage.budget_public([getattr(b, c) for c in budget_usage.COLUMNS])


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


def remove_budget(*, session: Session, category: str) -> dict[str, Any]:
    budget = session.execute(select(Budget).where(col(Budget.category) == category)).scalar()
    if budget is None:
        raise NotFound(f"no budget for category {category!r}")
    data = budget_public(budget)
    session.delete(budget)
    session.flush()
    return data

"""The demo household's money: three years, two accounts, subscriptions and budgets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from stuffctl.models import Budget, Subscription, Txn
from stuffctl.services import budget, demo


def test_demo_has_three_years_from_two_accounts_with_subscriptions_and_budgets(session):
    today = date(2026, 11, 23)
    demo.build(session=session, seed=7, today=today)
    first, last, accounts = session.execute(select(
        func.min(Txn.occurred_on), func.max(Txn.occurred_on),
        func.count(func.distinct(Txn.account))).where(Txn.account.is_not(None))).one()
    assert (first, accounts) == (date(2023, 11, 1), 2)
    assert last <= today
    assert session.scalar(select(func.count()).select_from(Subscription)) == 5
    assert session.scalar(select(func.count()).select_from(Budget)) == 5
    status = budget.budget_status(db=session, today=today)
    assert all(row["spent"]["amount"] != "0.00" for row in status["budgets"])

"""The demo household's money: three years, two accounts, subscriptions and budgets."""

from __future__ import annotations

from datetime import date

from stuffctl.services import budget, demo


def test_demo_has_three_years_from_two_accounts_with_subscriptions_and_budgets(db):
    today = date(2026, 11, 23)
    demo.build(db=db, seed=7, today=today)
    first, last, accounts = db.execute(
        "SELECT min(occurred_on), max(occurred_on), count(DISTINCT account) FROM txn"
        " WHERE account IS NOT NULL").fetchone()
    assert (date.fromisoformat(first), accounts) == (date(2023, 11, 1), 2)
    assert date.fromisoformat(last) <= today
    assert db.one("SELECT count(*) FROM subscription") == 5
    assert db.one("SELECT count(*) FROM budget") == 5
    status = budget.budget_status(db=db, today=today)
    assert all(row["spent"]["amount"] != "0.00" for row in status["budgets"])

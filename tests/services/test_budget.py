"""Budgets: one per category, measured per period with roll-up."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services import budget
from stuffctl.services.tx import records


def spend(db, minor, category, on, currency="EUR"):
    changes = records.TxnChanges(values={"amount": Money(minor, currency), "occurred_on": on,
                                         "category": category})
    records.add_txn(db=db, changes=changes)


def test_status_uses_each_budgets_own_current_period(db):
    budget.set_budget(db=db, category="food", amount=Money(40000, "EUR"),
                      period="monthly")
    budget.set_budget(db=db, category="travel", amount=Money(120000, "EUR"),
                      period="yearly")
    spend(db, -5000, "food:restaurants", date(2026, 11, 2))
    spend(db, -9999, "food", date(2026, 10, 31))
    spend(db, -700, "food", date(2026, 11, 3), currency="USD")
    spend(db, -30000, "travel:train", date(2026, 2, 1))
    status = budget.budget_status(db=db, today=date(2026, 11, 23))
    assert (status["start"], status["end"]) == ("2026-01-01", "2027-01-01")
    assert [(r["category"], r["start"], r["spent"]["amount"], r["left"]["amount"], r["percent"])
            for r in status["budgets"]] == [
        ("food", "2026-11-01", "50.00", "350.00", 12.5),
        ("travel", "2026-01-01", "300.00", "900.00", 25.0)]


def test_a_period_prorates_every_budget(db):
    budget.set_budget(db=db, category="food", amount=Money(40000, "EUR"),
                      period="monthly")
    budget.set_budget(db=db, category="car", amount=Money(90000, "EUR"),
                      period="quarterly")
    status = budget.budget_status(db=db, today=date(2026, 11, 23),
                                  period=(date(2026, 1, 1), date(2027, 1, 1)))
    assert [r["budget"]["amount"] for r in status["budgets"]] == ["3600.00", "4800.00"]


def test_set_replaces_and_rm_removes(db):
    budget.set_budget(db=db, category="food", amount=Money(100, "EUR"),
                      period="monthly")
    budget.set_budget(db=db, category="food", amount=Money(200, "EUR"),
                      period="yearly")
    assert [(b["period"], b["amount"]["amount"]) for b in budget.list_budgets(
        db=db)] == [("yearly", "2.00")]
    budget.remove_budget(db=db, category="food")
    with pytest.raises(NotFound):
        budget.remove_budget(db=db, category="food")
    with pytest.raises(InvalidInput, match="--period"):
        budget.set_budget(db=db, category="x", amount=Money(1, "EUR"),
                          period="weekly")

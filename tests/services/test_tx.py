"""Transactions: adding, filtering, totals per currency, spending per category."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services.asset import AssetChanges, add_asset, show_asset
from stuffctl.services.tx import records
from stuffctl.store import sql


def add(db, minor, currency="EUR", on=date(2026, 3, 5), **values):
    changes = records.TxnChanges(values={"amount": Money(minor, currency), "occurred_on": on,
                                         **values})
    return records.add_txn(db=db, changes=changes)


def test_mixed_currencies_never_sum_together(db):
    add(db, -1000, payee="a")
    add(db, 2500, payee="b")
    add(db, -700, "USD", payee="c")
    add(db, -300, "JPY", payee="d")
    assert [(t["currency"], t["net"]["amount"], t["count"])
            for t in records.totals(db=db, flt=records.TxnFilter())] == [
        ("EUR", "15.00", 2), ("JPY", "-300", 1), ("USD", "-7.00", 1)]


def test_categories_roll_up_and_filters_combine(db):
    add(db, -1000, category="home")
    add(db, -2000, category="home:repairs", on=date(2026, 4, 1))
    add(db, -4000, category="homework")
    add(db, -8000, category="fun")

    def ids(**kw):
        return [t["amount"]["amount"] for t in records.list_txns(
            db=db, flt=records.TxnFilter(**kw), sort="amount")]

    assert ids(category="home") == ["-20.00", "-10.00"]
    assert ids(category="home", end=date(2026, 4, 1)) == ["-10.00"]
    assert ids(min_minor=3000, max_minor=5000) == ["-40.00"]


def test_spend_by_category_is_per_category_and_currency(db):
    add(db, -1000, category="food")
    add(db, -500, category="food")
    add(db, 200, category="food")
    add(db, -900, "USD", category="food")
    add(db, -100, category="food", on=date(2026, 5, 1))
    rows = records.spend_by_category(db=db, start=date(2026, 3, 1),
                                     end=date(2026, 4, 1))
    assert rows == [
        {"category": "food", "currency": "EUR", "count": 3,
         "out": {"amount": "15.00", "currency": "EUR"},
         "in": {"amount": "2.00", "currency": "EUR"},
         "net": {"amount": "-13.00", "currency": "EUR"}},
        {"category": "food", "currency": "USD", "count": 1,
         "out": {"amount": "9.00", "currency": "USD"},
         "in": {"amount": "0.00", "currency": "USD"},
         "net": {"amount": "-9.00", "currency": "USD"}}]


def test_a_linked_transaction_counts_in_the_assets_cost(db):
    asset = add_asset(db=db, changes=AssetChanges(values={"name": "Car"}))
    add(db, -25000, category="car:service", asset_id=asset["id"])
    shown = show_asset(db=db, asset_id=asset["id"], today=date.today())
    assert shown["totals"][0]["costs"] == "250.00"


def project(db, name="Kitchen"):
    return sql.insert(db, "project", {"name": name})


def test_project_ids_are_checked(db):
    pid = project(db)
    assert add(db, -100, project_id=pid)["project_id"] == pid
    with pytest.raises(InvalidInput):
        add(db, -100, project_id=0)
    with pytest.raises(NotFound, match=f"no project with id {pid + 1}"):
        add(db, -100, project_id=pid + 1)


def test_in_and_out_fix_the_sign():
    assert records.signed(Money(500, "EUR"), money_in=False, money_out=True).minor == -500
    assert records.signed(Money(-500, "EUR"), money_in=True, money_out=False).minor == 500
    with pytest.raises(InvalidInput):
        records.signed(Money(1, "EUR"), money_in=True, money_out=True)


def test_project_spend_totals_the_projects_transactions(db):
    kitchen, garden = project(db), project(db, "Garden")
    add(db, -10000, project_id=kitchen)
    add(db, -2500, project_id=kitchen)
    add(db, -999, project_id=garden)
    spend = records.project_spend(db=db, project_id=kitchen)
    assert [(t["count"], t["out"]["amount"]) for t in spend] == [(2, "125.00")]

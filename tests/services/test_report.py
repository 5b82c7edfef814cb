"""`report spend|cashflow|projects|assets` against a known household."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.errors import InvalidInput
from stuffctl.services import report
from stuffctl.store import sql

TO = date(2026, 11, 15)


def eur(minor):
    return {"amount": f"{minor / 100:.2f}", "currency": "EUR"}


@pytest.fixture
def household(db):
    rows = [("2026-09-03", -10000, "EUR", "groceries"), ("2026-10-03", -12000, "EUR", "groceries"),
            ("2026-11-03", -15000, "EUR", "groceries"), ("2026-11-04", 2000, "EUR", "groceries"),
            ("2026-11-05", -3000, "USD", "groceries"), ("2026-10-20", -5000, "EUR", "fun"),
            ("2026-11-01", 300000, "EUR", "salary"), ("2026-06-01", -99900, "EUR", "fun")]
    for d, a, c, cat in rows:
        sql.insert(db, "txn", {"occurred_on": date.fromisoformat(d), "amount_minor": a,
                               "currency": c, "category": cat, "payee": "P"})
    sql.insert(db, "budget", {"category": "groceries", "period": "monthly",
                              "amount_minor": 12000, "currency": "EUR"})
    return db


def test_period_keys_for_months_quarters_and_years():
    assert [k for k, _, _ in report.periods(TO, "month", 3)] == ["2026-09", "2026-10",
                                                                 "2026-11"]
    assert [k for k, _, _ in report.periods(TO, "quarter", 3)] == ["2026-Q2", "2026-Q3",
                                                                   "2026-Q4"]
    assert [k for k, _, _ in report.periods(TO, "year", 2)] == ["2025", "2026"]


def test_spend_per_month_by_category_with_change_budget_and_totals(household):
    data = report.spend(db=household, by="category", per="month", n=3, to=TO)
    assert data["periods"] == ["2026-09", "2026-10", "2026-11"]
    assert data["rows"] == [
        {"key": "groceries", "name": "groceries", "currency": "EUR",
         "amounts": [eur(10000), eur(12000), eur(15000)], "total": eur(37000),
         "change": {"amount": eur(3000), "percent": 25.0}, "budget": eur(12000),
         "vs_budget": {"amount": eur(3000), "percent": 25.0}},
        # November is counted to the 15th and compared with October 1-15 (fun: 0 and 0)
        {"key": "fun", "name": "fun", "currency": "EUR",
         "amounts": [eur(0), eur(5000), eur(0)], "total": eur(5000),
         "change": {"amount": eur(0), "percent": None}, "budget": None,
         "vs_budget": None},
        {"key": "groceries", "name": "groceries", "currency": "USD",
         "amounts": [{"amount": "0.00", "currency": "USD"}] * 2
         + [{"amount": "30.00", "currency": "USD"}],
         "total": {"amount": "30.00", "currency": "USD"},
         "change": {"amount": {"amount": "30.00", "currency": "USD"}, "percent": None},
         "budget": None, "vs_budget": None},
    ]
    assert [(t["currency"], t["total"]["amount"]) for t in data["totals"]] == [
        ("EUR", "420.00"), ("USD", "30.00")]


def test_a_period_not_over_is_counted_to_date_against_as_many_days_of_the_one_before(db):
    for on, minor in (("2026-10-02", -1000), ("2026-10-20", -10000), ("2026-11-02", -3000),
                      ("2026-11-25", -50000)):  # the last one is after --to
        sql.insert(db, "txn", {"occurred_on": date.fromisoformat(on), "amount_minor": minor,
                               "currency": "EUR", "category": "fun"})
    data = report.spend(db=db, per="month", n=2, to=TO)  # 15 of November's 30 days
    (row,) = data["rows"]
    assert (data["partial"], data["from"], data["to"]) == (True, "2026-10-01", "2026-11-16")
    assert row["amounts"] == [eur(11000), eur(3000)]
    # 1-15 November against 1-15 October (10.00), not the whole of October (110.00)
    assert row["change"] == {"amount": eur(2000), "percent": 200.0}
    assert data["totals"][0]["change"] == row["change"]
    whole = report.spend(db=db, per="month", n=2, to=date(2026, 11, 30))
    assert (whole["partial"], whole["to"]) == (False, "2026-12-01")
    assert whole["rows"][0]["change"] == {"amount": eur(42000), "percent": 381.8}
    flows = report.cashflow(db=db, per="month", n=2, to=TO)
    assert [(r["period"], r["out"]["amount"], r["partial"]) for r in flows] == [
        ("2026-10", "110.00", False), ("2026-11", "30.00", True)]


def test_spend_per_quarter_and_year_group_in_sql(household):
    q = report.spend(db=household, per="quarter", n=2, to=TO)
    assert [(r["name"], [a["amount"] for a in r["amounts"]]) for r in q["rows"]
            if r["currency"] == "EUR"] == [("groceries", ["100.00", "270.00"]),
                                           ("fun", ["0.00", "50.00"])]
    y = report.spend(db=household, per="year", n=1, to=TO)
    assert [(r["name"], r["budget"]) for r in y["rows"] if r["currency"] == "EUR"] == [
        ("fun", None), ("groceries", eur(144000))]


def test_spend_rejects_an_unknown_dimension_or_period(household):
    with pytest.raises(InvalidInput, match="--by"):
        report.spend(db=household, by="colour", to=TO)
    with pytest.raises(InvalidInput, match="--per"):
        report.spend(db=household, per="week", to=TO)


def test_cashflow_in_out_net_per_period_and_currency(household):
    rows = report.cashflow(db=household, per="month", n=2, to=TO)
    assert [(r["period"], r["currency"], r["in"]["amount"], r["out"]["amount"],
             r["net"]["amount"]) for r in rows] == [
        ("2026-10", "EUR", "0.00", "170.00", "-170.00"),
        ("2026-11", "EUR", "3020.00", "150.00", "2870.00"),
        ("2026-11", "USD", "0.00", "30.00", "-30.00")]


def test_projects_report_counts_on_time_rate_and_budget_use(db):
    for project in (
            {"name": "A", "status": "done", "due_on": date(2026, 5, 1),
             "done_on": date(2026, 4, 30), "budget_minor": 10000, "budget_currency": "EUR"},
            {"name": "B", "status": "done", "due_on": date(2026, 5, 1),
             "done_on": date(2026, 5, 2)},
            {"name": "C", "status": "active"}):
        sql.insert(db, "project", project)
    sql.insert(db, "txn", {"occurred_on": TO, "amount_minor": -2500, "currency": "EUR",
                           "project_id": 1})
    data = report.projects(db=db, today=TO)
    assert data["status_counts"] == {"active": 1, "done": 2}
    assert data["on_time"] == {"done_with_due": 2, "on_time": 1, "rate": 50.0}
    assert data["budgets"] == [{"project_id": 1, "name": "A", "status": "done",
                                "budget": eur(10000), "spent": eur(2500), "left": eur(7500),
                                "percent": 25.0}]


def test_assets_report_value_coverage_ownership_and_replacement(db):
    sql.insert(db, "asset", {"name": "Car", "category": "vehicles", "location": "Garage",
                             "price_minor": 1000000, "price_currency": "EUR",
                             "purchased_on": date(2024, 11, 15), "life_months": 120,
                             "warranty_until": date(2027, 1, 1)})
    sql.insert(db, "asset", {"name": "Phone", "category": "tech", "location": "Pocket",
                             "price_minor": 60000, "price_currency": "EUR",
                             "purchased_on": date(2024, 11, 15), "life_months": 24})
    sql.insert(db, "txn", {"id": 1, "occurred_on": TO, "amount_minor": -50000,
                           "currency": "EUR", "asset_id": 1})
    sql.insert(db, "event", {"asset_id": 1, "kind": "service", "occurred_on": TO,
                             "txn_id": 1})
    data = report.assets(db=db, today=TO)
    assert data["by_category"] == [{"name": "vehicles", "count": 1, "value": eur(1000000)},
                                   {"name": "tech", "count": 1, "value": eur(60000)}]
    assert data["warranty"] == {"assets": 2, "covered": 1, "percent": 50.0}
    car = data["ownership"][0]
    assert (car["name"], car["cost"], car["years_owned"]) == ("Car", eur(1050000), 2.0)
    assert car["per_year"] == eur(525349)  # 730 days owned, a year is 365.2425 days
    assert data["replacement"][0] == {
        "asset_id": 2, "name": "Phone", "life_months": 24, "replace_on": "2026-11-15",
        "months_left": 0, "price": eur(60000), "monthly": eur(60000)}
    assert data["replacement"][1]["months_left"] == 96
    assert data["replacement"][1]["monthly"] == eur(10417)

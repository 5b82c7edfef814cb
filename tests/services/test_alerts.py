"""Alerts on anomalies in `remind run`: budget over, unusual spend, price change."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from stuffctl import config
from stuffctl.services.remind import alerts, engine
from stuffctl.services.remind.settings import Settings
from stuffctl.store import sql

NOW = datetime(2026, 11, 20, 9, 0)
TODAY = NOW.date()


def spend(db, on, minor, category="groceries", currency="EUR"):
    sql.insert(db, "txn", {"occurred_on": on, "amount_minor": -minor, "currency": currency,
                           "payee": "Shop", "category": category})


def run(db, now=NOW):
    return [(i.cand.kind, i.cand.key, i.cand.occurrence_id)
            for i in engine.run(db=db, now=now, settings=Settings.load()).new]


@pytest.fixture
def history(db):
    """Groceries: 100 to 190 EUR by the 20th in each of the last 12 months."""
    for n in range(1, 13):
        month = 11 - n
        year = 2026 if month > 0 else 2025
        spend(db, date(year, month % 12 or 12, 10), 10000 + n * 1000)
        spend(db, date(year, month % 12 or 12, 25), 90000)  # after the 20th: not counted
    return db


def test_percentile_is_nearest_rank():
    assert alerts.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 9
    assert alerts.percentile([5]) == 5


def test_unusual_spend_compares_month_to_date_with_the_same_day_in_past_months(history):
    spend(history, date(2026, 11, 3), 21000)
    assert alerts.unusual(history, TODAY) == []  # 210.00 ≤ the 90th percentile, 210.00
    spend(history, date(2026, 11, 19), 100)
    assert alerts.unusual(history, TODAY) == [{
        "category": "groceries", "currency": "EUR", "month": "2026-11", "spent": 21100,
        "usual": 21000}]


def test_a_category_without_enough_history_is_never_unusual(db):
    spend(db, date(2026, 10, 5), 100)
    spend(db, date(2026, 11, 5), 99999)
    assert alerts.unusual(db, TODAY) == []


def test_remind_run_alerts_unusual_spend_once_per_month(history):
    spend(history, date(2026, 11, 19), 50000)
    assert run(history) == [("alert_spend", "alert:spend:groceries:EUR", "2026-11")]
    assert run(history, NOW.replace(day=21)) == []


def test_remind_run_alerts_a_budget_over_100_percent_once_per_period(db):
    sql.insert(db, "budget", {"category": "fun", "period": "monthly", "amount_minor": 10000,
                              "currency": "EUR"})
    spend(db, date(2026, 11, 2), 9000, category="fun")
    assert run(db) == []
    spend(db, date(2026, 11, 19), 2000, category="fun")
    assert run(db) == [("alert_budget", "alert:budget:fun", "2026-11-01")]
    spend(db, date(2026, 11, 19), 2000, category="fun")
    assert run(db, NOW.replace(day=25)) == []


def test_remind_run_alerts_a_subscription_price_change_once(db):
    sub = sql.insert(db, "subscription", {
        "name": "Stream", "amount_minor": 1299, "currency": "EUR", "rule": "FREQ=MONTHLY",
        "anchor_on": date(2026, 9, 5), "next_on": date(2026, 12, 5)})
    for m, a in ((9, 999), (10, 999), (11, 1299)):
        sql.insert(db, "subscription_charge", {"subscription_id": sub,
                                               "due_on": date(2026, m, 5),
                                               "amount_minor": a, "currency": "EUR"})
    assert run(db) == [("alert_price", f"alert:price:subscription:{sub}", "2026-11-05")]
    assert run(db, NOW.replace(day=22)) == []


@pytest.mark.parametrize("key", ["alerts.budget", "alerts.unusual_spend", "alerts.price_change"])
def test_each_alert_can_be_turned_off_in_config(db, key):
    config.set_value(key, "false")
    assert config.get(key) is False
    sql.insert(db, "budget", {"category": "fun", "period": "monthly", "amount_minor": 100,
                              "currency": "EUR"})
    spend(db, date(2026, 11, 2), 9000, category="fun")
    kinds = {k for k, _, _ in run(db)}
    assert ("alert_budget" in kinds) is (key != "alerts.budget")

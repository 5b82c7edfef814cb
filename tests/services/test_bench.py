"""The bench figures, against histories whose numbers are worked out by hand.

Every test benches the month before 2026-11-23: "now" is 2026-10 and the
history is the 12 months 2025-10 … 2026-09.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services.bench import goals, metrics, peers, summary
from stuffctl.store import sql

TODAY = date(2026, 11, 23)
PREVIOUS = [date(2025, 10, 1).replace(year=2025 + (9 + i) // 12, month=(9 + i) % 12 + 1)
            for i in range(12)]  # 2025-10-01 … 2026-09-01


def run(db, vs="median", unit="month"):
    data = summary.bench(db=db, unit=unit, vs=vs, today=TODAY, currency="EUR")
    return data, {m["metric"]: m for m in data["metrics"]}


def spend(db, on, euros, category="groceries", currency="EUR", asset_id=None):
    sql.insert(db, "txn", {"occurred_on": on, "amount_minor": -euros * 100,
                           "currency": currency, "category": category, "asset_id": asset_id})


def test_window_is_the_last_complete_period_and_the_twelve_before():
    w = summary.window(unit="month", today=TODAY, currency="EUR")
    assert w.keys[0] == "2025-10" and w.keys[-1] == "2026-10" and len(w.keys) == 13
    assert summary.window(unit="quarter", today=TODAY, currency="EUR").keys[-1] == "2026-Q3"
    assert summary.window(unit="year", today=TODAY, currency="EUR").keys[:2] == ["2013", "2014"]
    with pytest.raises(InvalidInput):
        summary.window(unit="week", today=TODAY, currency="EUR")


def test_spend_median_best_percentile_and_verdicts(db):
    # Previous 12 months spend 100, 200, …, 1200 EUR; now (2026-10) 650 EUR.
    for i, start in enumerate(PREVIOUS):
        spend(db, start.replace(day=10), 100 * (i + 1), category="groceries:market")
    spend(db, date(2026, 10, 3), 400, category="groceries:market")
    spend(db, date(2026, 10, 9), 250, category="transport")
    sql.insert(db, "txn", {"occurred_on": date(2026, 10, 1), "amount_minor": 500000,
                           "currency": "EUR"})  # in
    spend(db, date(2026, 10, 2), 999, currency="USD")  # another currency: left out
    data, m = run(db)
    total = m["spend_total"]
    assert total["history"] == [f"{100 * n}.00" for n in range(1, 13)] + ["650.00"]
    assert total["now"] == "650.00"
    assert total["median"] == "650.00"  # (600 + 700) / 2
    assert total["best"] == "100.00"  # lower is better: the smallest
    assert total["percentile"] == 50.0  # 6 of 12 below 650 (100 … 600), none equal
    assert total["verdict"] == "same" and total["direction"] == "lower_is_better"
    assert m["spend:groceries"]["now"] == "400.00"  # groceries:market counts as groceries
    assert m["spend:transport"]["history"] == ["0.00"] * 12 + ["250.00"]
    assert run(db, vs="last")[1]["spend_total"]["verdict"] == "better"  # 650 < 1200
    assert run(db, vs="best")[1]["spend_total"]["verdict"] == "worse"  # 650 > 100
    assert data["as_of"] == "2026-10" and data["currency"] == "EUR"


def test_spending_history_starts_with_the_first_transaction(db):
    sql.insert(db, "txn", {"occurred_on": date(2026, 8, 3), "amount_minor": -5000,
                           "currency": "EUR", "category": "food"})
    sql.insert(db, "txn", {"occurred_on": date(2026, 10, 3), "amount_minor": -2000,
                           "currency": "EUR", "category": "fun"})
    data = summary.bench(db=db, unit="month", vs="median", today=TODAY, currency="EUR")
    m = {row["metric"]: row for row in data["metrics"]}
    # August is the first record: before it nothing is known; September spent nothing
    assert m["spend_total"]["history"] == [None] * 10 + ["50.00", "0.00", "20.00"]
    assert m["spend:fun"]["history"] == [None] * 10 + ["0.00", "0.00", "20.00"]
    assert (m["spend_total"]["median"], m["spend_total"]["percentile"]) == ("25.00", 50.0)


def test_money_metrics_have_the_digits_of_the_bench_currency(db):
    sql.insert(db, "txn", {"occurred_on": date(2026, 10, 3), "amount_minor": -1234,
                           "currency": "JPY", "category": "food"})
    sql.insert(db, "txn", {"occurred_on": date(2026, 9, 3), "amount_minor": -1001,
                           "currency": "JPY", "category": "food"})
    data = summary.bench(db=db, unit="month", vs="last", today=TODAY, currency="JPY")
    food = next(m for m in data["metrics"] if m["metric"] == "spend:food")
    assert (food["now"], food["vs"], food["history"][-3:]) == (
        "1234", {"basis": "last", "value": "1001"}, [None, "1001", "1234"])


def occurrence(db, n, due, state, acted_on=None, kind="maintenance", missed=0):
    sql.insert(db, "occurrence", {
        "key": f"{kind}:{n}", "occurrence": str(n), "kind": kind, "title": "t",
        "due": datetime.combine(due, datetime.min.time()), "state": state,
        "acted_on": acted_on, "missed": missed})


def test_maintenance_on_time_rate_and_mean_days_late(db):
    occurrence(db, 1, date(2026, 10, 5), "done", date(2026, 10, 4))  # 1 day early
    occurrence(db, 2, date(2026, 10, 10), "done", date(2026, 10, 13))  # 3 days late
    occurrence(db, 3, date(2026, 10, 20), "done", date(2026, 10, 20))  # on the day
    occurrence(db, 4, date(2026, 10, 25), "skipped", date(2026, 10, 25))  # not done
    occurrence(db, 5, date(2026, 10, 7), "done", date(2026, 10, 7), kind="reminder",
               missed=2)
    occurrence(db, 6, date(2026, 9, 7), "done", date(2026, 9, 9))  # 2 days late
    _, m = run(db)
    assert m["maintenance_on_time"]["now"] == 0.5  # 2 on time (#1, #3) of 4 due
    assert m["maintenance_days_late"]["now"] == 1.0  # (0 + 3 + 0) / 3 done
    assert m["maintenance_on_time"]["history"][-2] == 0.0  # September: 0 of 1
    assert m["maintenance_on_time"]["median"] == 0.0  # only September has a value
    assert m["maintenance_on_time"]["verdict"] == "better"  # 0.5 > 0.0, higher is better
    assert m["reminders_handled"]["now"] == 5  # #1 … #5 done or skipped
    assert m["reminders_missed"]["now"] == 2  # #5 missed two occurrences


def test_asset_cost_of_ownership_per_year(db):
    a = sql.insert(db, "asset", {
        "name": "Boiler", "purchased_on": date(2020, 1, 1), "price_minor": 120000,
        "price_currency": "EUR", "life_months": 120})  # 1200 / 120 = 10 a month → 120 a year
    sql.insert(db, "asset", {
        "name": "Phone", "purchased_on": date(2026, 10, 15), "price_minor": 60000,
        "price_currency": "EUR", "life_months": 12})  # 50 a month → 600 a year
    sql.insert(db, "asset", {
        "name": "Laptop", "purchased_on": date(2025, 1, 1), "price_minor": 240000,
        "price_currency": "EUR", "life_months": 24, "status": "retired",
        "retired_on": date(2025, 12, 15)})  # 100 a month → 1200 a year, to Dec
    sql.insert(db, "asset", {
        "name": "Old radio", "purchased_on": date(2010, 1, 1), "price_minor": 10000,
        "price_currency": "EUR", "life_months": 12})  # written off long ago
    spend(db, date(2026, 10, 3), 30, category="home", asset_id=a)  # 30 x 12 = 360
    _, m = run(db)
    cost = m["ownership_cost"]
    assert cost["history"][:3] == ["1320.00"] * 3  # boiler 120 + laptop 1200 (to Dec 2025)
    assert cost["history"][3:12] == ["120.00"] * 9  # the boiler alone
    assert cost["now"] == "1080.00"  # boiler 120 + phone 600 + repair 360
    assert cost["median"] == "120.00"  # nine 120s and three 1320s
    assert cost["best"] == "120.00"
    assert cost["percentile"] == 75.0  # 9 of 12 below 1080


def test_budget_adherence_is_the_share_of_budgets_kept(db):
    sql.insert(db, "budget", {"category": "groceries", "period": "monthly",
                              "amount_minor": 30000, "currency": "EUR"})
    sql.insert(db, "budget", {"category": "shopping", "period": "quarterly",
                              "amount_minor": 90000,
                              "currency": "EUR"})  # 900 a quarter → 300 a month
    spend(db, date(2026, 10, 2), 250, category="groceries:market")  # kept
    spend(db, date(2026, 10, 2), 400, category="shopping")  # over 300
    spend(db, date(2026, 9, 2), 310, category="groceries")  # over 300
    _, m = run(db)
    assert m["budget_adherence"]["now"] == 0.5  # 1 of 2 budgets kept
    assert m["budget_adherence"]["history"][-2] == 0.5  # September: groceries over
    assert m["budget_adherence"]["history"][0] == 1.0  # no spending: both kept
    assert m["budget_adherence"]["median"] == 1.0  # eleven 1.0 and one 0.5


def test_tasks_completed_overdue_and_project_lead_time(db):
    p = sql.insert(db, "project", {"name": "Kitchen", "status": "done",
                                   "start_on": date(2026, 10, 1),
                                   "done_on": date(2026, 10, 11)})  # 10 days
    sql.insert(db, "project", {"name": "Garden", "status": "done",
                               "start_on": date(2026, 9, 20),
                               "done_on": date(2026, 10, 21)})  # 31 days
    at = datetime(2026, 10, 5, 12, tzinfo=UTC)
    sql.insert(db, "task", {"project_id": p, "title": "a", "status": "done",
                            "due_on": date(2026, 10, 3),
                            "done_at": at})  # done, 2 days after its due date: overdue
    sql.insert(db, "task", {"project_id": p, "title": "b", "status": "done",
                            "due_on": date(2026, 10, 3),
                            "done_at": at.replace(day=2)})  # done in time
    sql.insert(db, "task", {"project_id": p, "title": "c",
                            "due_on": date(2026, 10, 15)})  # still open
    _, m = run(db)
    assert m["tasks_completed"]["now"] == 2
    assert m["overdue_tasks"]["now"] == 2  # a (late) and c (open)
    assert m["project_lead_time"]["now"] == 20.5  # (10 + 31) / 2


def test_goal_parse_set_progress_and_remove(db):
    assert goals.parse_goal("spend:groceries <= 400") == (
        "spend:groceries", "<=", Decimal("400"))
    assert goals.parse_goal("maintenance_on_time>=0.9")[1:] == (">=", Decimal("0.9"))
    assert goals.parse_goal("spend:eating out = 200")[:2] == ("spend:eating out", "==")
    with pytest.raises(InvalidInput, match="known: spend_total"):
        goals.parse_goal("happiness >= 1")
    with pytest.raises(InvalidInput):
        goals.parse_goal("spend_total <= lots")
    goals.set_goal(db=db, metric="spend:groceries", op="<=",
                   target=Decimal("400"))
    spend(db, date(2026, 10, 3), 650)
    data, _ = run(db)
    assert data["goals"] == [{"metric": "spend:groceries", "op": "<=", "target": "400",
                              "now": "650.00", "met": False, "distance": "250.00"}]
    goals.remove_goal(db=db, metric="spend:groceries")
    assert goals.list_goals(db=db) == []
    with pytest.raises(NotFound):
        goals.remove_goal(db=db, metric="spend:groceries")


def test_compare_ranks_among_peers():
    mine = {"currency": "EUR", "metrics": {
        "spend_total": {"unit": "money", "direction": "lower_is_better", "values": [500]},
        "tasks_completed": {"unit": "count", "direction": "higher_is_better", "values": [4]}}}
    others = [{"currency": "EUR", "metrics": {
        "spend_total": {"values": [v]}, "tasks_completed": {"values": [t]}}}
        for v, t in ((300, 2), (600, 9), (900, 4))]
    others.append({"currency": "USD", "metrics": {"spend_total": {"values": [1]},
                                                  "tasks_completed": {"values": [1]}}})
    rows = {r["metric"]: r for r in peers.compare(mine=mine, peers=others)}
    # spend: EUR peers 300, 600, 900; lower is better so only 300 beats 500 → rank 2 of 4
    assert rows["spend_total"] == {"metric": "spend_total", "unit": "money",
                                   "direction": "lower_is_better", "now": 500.0, "peers": 3,
                                   "rank": 2, "of": 4, "percentile": 33.3,
                                   "peer_median": 600.0}
    # tasks: all four peers count (1, 2, 4, 9); only 9 beats 4 → rank 2 of 5;
    # below 4: 1, 2 and the tie half → (2 + 0.5) / 4 = 62.5 %; median (2 + 4) / 2 = 3
    assert (rows["tasks_completed"]["rank"], rows["tasks_completed"]["of"]) == (2, 5)
    assert rows["tasks_completed"]["percentile"] == 62.5
    assert rows["tasks_completed"]["peer_median"] == 3.0


def test_export_of_the_demo_home_names_nobody_and_nothing(db):
    from stuffctl.services import demo

    demo.build(db=db, seed=1, today=TODAY)
    text = json.dumps(peers.export(db=db, unit="month", today=TODAY,
                                   currency="EUR"), ensure_ascii=False)
    names = [row[0] for row in demo.SPENDING + demo.MONTHLY + demo.SUBSCRIPTIONS]
    names += [row[0] for row in demo.CATALOGUE + demo.PROJECTS + demo.PEOPLE]
    names += [row[0] for row in demo.REMINDERS]
    names += ["regular service", "regular inspection", "for the bathroom", "Tile cutter"]
    assert len(names) > 60
    # whole words, any case: 'NS' (a payee) is inside 'subscriptions' but is no leak
    leaked = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.I)]
    assert leaked == []
    for word in ("uid", "payee", "note", "memo", '"id"', "name"):
        assert word not in text
    data = json.loads(text)
    assert all(isinstance(v, int) for v in data["metrics"]["spend_total"]["values"])


METRIC_NAMES = [m for m in metrics.METRICS if m != "spend:CATEGORY"]


@given(metric=st.sampled_from(METRIC_NAMES) | st.from_regex(r"spend:[a-z][a-z ]{0,10}[a-z]",
                                                             fullmatch=True),
       op=st.sampled_from(["<=", ">=", "<", ">", "=="]),
       target=st.decimals(allow_nan=False, allow_infinity=False, places=2,
                          min_value=-10**6, max_value=10**6),
       spaced=st.booleans())
@settings(max_examples=60)
def test_goal_text_round_trips_through_the_parser(metric, op, target, spaced):
    gap = " " if spaced else ""
    assert goals.parse_goal(f"{metric}{gap}{op}{gap}{target}") == (metric, op, target)

"""Repair or replace (services/advice.py) and the failures of `report assets`, against
known assets on a fixed day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl import config
from stuffctl.errors import InvalidInput
from stuffctl.money import Money
from stuffctl.services import advice, asset, incident, report
from stuffctl.services.advice import RECOMMENDATIONS, Settings, Signals, decide
from stuffctl.services.asset import AssetChanges
from stuffctl.store import sql

TODAY = date(2026, 11, 23)
LIMITS = Settings(repair_share=0.5, age_share=0.8, incidents_per_year=2.0, currency="EUR")


def eur(minor):
    return {"amount": f"{minor / 100:.2f}", "currency": "EUR"}


def add(db, name="Washer", **values):
    """An asset bought for 800.00 EUR on 2024-11-23 (two years ago) to last 10 years."""
    values = {"price": Money(80000, "EUR"), "purchased_on": date(2024, 11, 23),
              "life_months": 120, **values}
    return asset.add_asset(db=db, changes=AssetChanges(values={"name": name, **values}))["id"]


def broke(db, asset_id, on, *, status="fixed", cost=None, cost_on=None):
    """An incident started ``on``; with ``cost`` (minor EUR) a transaction it cost."""
    incident_id = sql.insert(db, "incident", {"asset_id": asset_id, "symptom": "broke",
                                              "started_on": on, "status": status})
    if cost is not None:
        txn = sql.insert(db, "txn", {"occurred_on": cost_on or on, "amount_minor": -cost,
                                     "currency": "EUR", "payee": "Fixer",
                                     "asset_id": asset_id})
        db.execute("INSERT INTO incident_txn (incident_id, txn_id) VALUES (?, ?)",
                   (incident_id, txn))
    return incident_id


def show(db, asset_id, limits=LIMITS, today=TODAY):
    return advice.for_asset(db=db, asset_id=asset_id, today=today, settings=limits)


def reasons(data):
    return {r["reason"]: (r["value"], r["met"]) for r in data["reasons"]}


def test_an_asset_without_incidents_or_repair_costs_has_no_advice(db):
    washer = add(db)
    asset.log_event(db=db, asset_id=washer, kind="inspection", on=TODAY,
                    cost=Money(5000, "EUR"))  # not a repair
    assert show(db, washer) is None
    assert advice.ranked(db=db, today=TODAY, settings=LIMITS) == []


def test_repairs_costing_half_a_new_one_in_a_year_say_replace(db):
    washer = add(db)
    broke(db, washer, date(2026, 3, 1), cost=25000)
    asset.log_event(db=db, asset_id=washer, kind="Repair", on=date(2026, 6, 1),
                    cost=Money(15000, "EUR"))
    asset.log_event(db=db, asset_id=washer, kind="service", on=date(2025, 6, 1),
                    cost=Money(9900, "EUR"))  # more than 12 months ago: to date only
    data = show(db, washer)
    assert data["recommendation"] == "replace"
    assert (data["repair_cost"], data["repair_cost_12m"]) == (eur(49900), eur(40000))
    assert (data["replacement_price"], data["replacement_price_from"]) == (eur(80000), "price")
    assert data["reasons"][0] == {
        "reason": "repair_cost", "value": 0.5, "threshold": 0.5, "met": True,
        "text": "Repairs in the last 12 months cost 400.00 EUR, 50% of a new one at "
                "800.00 EUR: replacing pays from 50%."}
    assert reasons(data) == {"repair_cost": (0.5, True), "age": (0.2, False),
                             "incident_rate": (0.5, False), "open_incidents": (0, False)}


def test_a_cost_linked_both_to_an_incident_and_to_a_log_entry_counts_once(db):
    washer = add(db)
    entry = asset.log_event(db=db, asset_id=washer, kind="repair", on=date(2026, 6, 1),
                            cost=Money(10000, "EUR"))
    incident_id = broke(db, washer, date(2026, 5, 30))
    db.execute("INSERT INTO incident_txn (incident_id, txn_id) VALUES (?, ?)",
               (incident_id, entry["txn_id"]))
    assert show(db, washer)["repair_cost"] == eur(10000)


def test_the_incident_service_costs_count_as_repairs(db):
    washer = add(db)
    opened = incident.open_incident(db=db, asset_id=washer, symptom="drum squeaks",
                                    on=date(2026, 10, 1), today=TODAY)
    incident.update_incident(db=db, incident_id=opened["id"], today=TODAY,
                             changes=incident.IncidentChanges(cost=Money(42000, "EUR"),
                                                              on=date(2026, 10, 2)))
    data = show(db, washer)
    assert (data["repair_cost_12m"], data["open_incidents"]) == (eur(42000), 1)
    assert data["recommendation"] == "replace"


def test_a_replacement_price_field_wins_over_the_purchase_price(db):
    washer = add(db)
    sql.insert(db, "txn", {"occurred_on": TODAY, "amount_minor": -30000, "currency": "EUR",
                           "asset_id": washer})
    broke(db, washer, date(2026, 11, 1), cost=30000)
    asset.edit_asset(db=db, asset_id=washer,
                     changes=AssetChanges(set_fields={"replacement_price": "550"}))
    data = show(db, washer)
    assert (data["replacement_price"], data["replacement_price_from"]) == (eur(55000), "field")
    assert reasons(data)["repair_cost"] == (0.5455, True)
    asset.edit_asset(db=db, asset_id=washer,
                     changes=AssetChanges(set_fields={"replacement_price": "about 500"}))
    data = show(db, washer)
    assert (data["replacement_price"], data["replacement_price_from"]) == (eur(80000), "price")
    assert "its replacement_price field 'about 500' is not an amount" in data["reasons"][0][
        "text"]


def test_without_a_price_repairs_are_not_weighed_and_counted_in_their_currency(db):
    drill = add(db, "Drill", price=None, purchased_on=None, life_months=None)
    asset.log_event(db=db, asset_id=drill, kind="repair", on=TODAY, cost=Money(4000, "USD"))
    asset.log_event(db=db, asset_id=drill, kind="repair", on=TODAY, cost=Money(1000, "EUR"))
    data = show(db, drill)
    assert data["repair_cost"] == {"amount": "40.00", "currency": "USD"}
    assert (data["replacement_price"], data["age_months"]) == (None, None)
    assert data["recommendation"] == "keep"
    texts = [r["text"] for r in data["reasons"]]
    assert texts[0] == ("Repairs in the last 12 months cost 40.00 USD; with no replacement "
                        "price there is nothing to weigh them against (set --price, or "
                        "--field replacement_price=AMOUNT).")
    assert texts[1] == "Its age is not weighed: it has no purchase date (--bought)."


def test_an_open_incident_on_a_young_asset_says_repair(db):
    kettle = add(db, "Kettle", purchased_on=date(2026, 1, 10))
    broke(db, kettle, date(2026, 11, 20), status="waiting")
    data = show(db, kettle)
    assert (data["recommendation"], data["open_incidents"]) == ("repair", 1)
    assert data["reasons"][3]["text"] == "1 incident open: it needs a repair now."


def test_old_alone_says_watch_and_old_and_failing_often_says_replace(db):
    fridge = add(db, "Fridge", purchased_on=date(2018, 1, 15), life_months=120)
    broke(db, fridge, date(2025, 2, 1))
    data = show(db, fridge)
    assert (data["age_months"], reasons(data)["age"]) == (106, (0.8833, True))
    assert data["recommendation"] == "watch"
    for on in (date(2025, 8, 1), date(2026, 2, 1), date(2026, 9, 1)):
        broke(db, fridge, on)
    data = show(db, fridge)
    assert reasons(data)["incident_rate"] == (2.0, True)
    assert data["recommendation"] == "replace"
    assert data["mtbf_days"] == round((date(2026, 9, 1) - date(2025, 2, 1)).days / 3, 1)


def test_the_incident_rate_counts_two_years_over_at_least_a_year_owned(db):
    old = add(db, "Old", purchased_on=date(2015, 1, 1))
    broke(db, old, date(2024, 11, 22))  # a day too early for the last two years
    broke(db, old, date(2024, 11, 23))
    broke(db, old, date(2026, 1, 1))
    assert show(db, old)["incidents_per_year"] == 1.0  # 2 over 2 years
    new = add(db, "New", purchased_on=date(2026, 8, 23))
    broke(db, new, date(2026, 9, 1))
    broke(db, new, date(2026, 10, 1))
    data = show(db, new)
    assert data["incidents_per_year"] == 2.0  # 3 months owned: counted as a year
    assert data["recommendation"] == "watch"
    assert data["reasons"][2]["text"] == ("2 incidents so far, 2 a year over the last two "
                                          "years: too often from 2 a year.")


def test_retired_assets_get_no_advice_and_the_most_pressing_come_first(db):
    gone = add(db, "Gone")
    broke(db, gone, TODAY, cost=90000)
    asset.retire_asset(db=db, asset_id=gone, on=TODAY)
    keep = add(db, "Keep")
    broke(db, keep, date(2026, 1, 1))
    fix = add(db, "Fix")
    broke(db, fix, date(2026, 11, 1), status="open")
    replace = add(db, "Replace")
    broke(db, replace, date(2026, 6, 1), cost=70000)
    watch = add(db, "Watch", purchased_on=date(2016, 1, 1))
    broke(db, watch, date(2026, 2, 1))
    assert show(db, gone) is None
    found = advice.ranked(db=db, today=TODAY, settings=LIMITS)
    assert [(a["name"], a["recommendation"]) for a in found] == [
        ("Replace", "replace"), ("Fix", "repair"), ("Watch", "watch"), ("Keep", "keep")]
    assert [a["asset_id"] for a in advice.ranked(db=db, today=TODAY, limit=2,
                                                 settings=LIMITS)] == [replace, fix]
    assert {keep, watch} <= {a["asset_id"] for a in found}


def test_thresholds_come_from_the_config_and_are_checked():
    assert Settings.configured() == Settings()
    config.set_value("advice.repair_share", "0.25")
    config.set_value("advice.incidents_per_year", "3")
    assert Settings.configured() == Settings(repair_share=0.25, incidents_per_year=3.0)
    for bad in ("0", "-1", "half", "nan"):
        with pytest.raises(InvalidInput, match=r"^advice\.age_share: "):
            config.set_value("advice.age_share", bad)


def test_report_assets_counts_failures_per_asset_and_per_brand_and_model(db):
    one = add(db, "Washer 1", brand="Bosch", model="WAN28")
    two = add(db, "Washer 2", brand="bosch", model="wan28")
    add(db, "Washer 3", brand="Bosch", model="WAN28")
    dryer = add(db, "Dryer", brand="Miele", model="T1")
    for on in (date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31)):
        broke(db, one, on)
    broke(db, two, date(2026, 5, 1), cost=12000)
    broke(db, dryer, date(2026, 2, 1))
    asset.retire_asset(db=db, asset_id=dryer, on=TODAY)  # still in the model's record
    data = report.assets(db=db, today=TODAY, advice_settings=LIMITS)
    assert data["failures_by_model"] == [
        {"brand": "Bosch", "model": "WAN28", "assets": 3, "failed": 2, "incidents": 4,
         "per_asset": 1.33, "mtbf_days": 15.0},
        {"brand": "Miele", "model": "T1", "assets": 1, "failed": 1, "incidents": 1,
         "per_asset": 1.0, "mtbf_days": None}]
    rows = {a["asset_id"]: a for a in data["advice"]}
    assert set(rows) == {one, two}  # the retired dryer has no advice
    assert (rows[one]["incidents"], rows[one]["mtbf_days"]) == (3, 15.0)
    assert rows[two]["repair_cost"] == eur(12000)


def test_cost_of_ownership_counts_what_incidents_cost_once(db):
    washer = add(db)
    broke(db, washer, date(2026, 3, 1), cost=20000)
    (row,) = report.assets(db=db, today=TODAY, advice_settings=LIMITS)["ownership"]
    assert row["cost"] == eur(100000)


# -- the rule, whatever the figures ------------------------------------------------------------

shares = st.none() | st.floats(min_value=0, max_value=10, allow_nan=False)
limits = st.builds(Settings, repair_share=st.floats(min_value=0.01, max_value=5),
                   age_share=st.floats(min_value=0.01, max_value=5),
                   incidents_per_year=st.floats(min_value=0.01, max_value=20))


def rank(signals, limit):
    return RECOMMENDATIONS.index(decide(signals, limit))


@given(cost=shares, more=st.floats(min_value=0, max_value=10), age=shares,
       rate=st.floats(min_value=0, max_value=50), open_n=st.integers(0, 3), limit=limits)
@settings(max_examples=300)
def test_more_of_any_signal_never_makes_the_advice_less_pressing(cost, more, age, rate,
                                                                  open_n, limit):
    base = Signals(cost, age, rate, open_n)
    worse = [Signals(None if cost is None else cost + more, age, rate, open_n),
             Signals(cost, None if age is None else age + more, rate, open_n),
             Signals(cost, age, rate + more, open_n),
             Signals(cost, age, rate, open_n + 1)]
    for signals in worse:
        assert rank(signals, limit) >= rank(base, limit)
    if decide(base, limit) == "replace":  # more repair cost never turns it into repair
        assert decide(worse[0], limit) == "replace"


@given(spent=st.integers(0, 10**9), more=st.integers(0, 10**9),
       price=st.none() | st.integers(1, 10**9), field=st.sampled_from([None, "250", "x"]),
       incidents=st.integers(0, 5), open_n=st.integers(0, 2), limit=limits)
@settings(max_examples=200)
def test_more_repair_cost_never_turns_replace_into_repair(spent, more, price, field,
                                                          incidents, open_n, limit):
    row = {"id": 1, "name": "Thing", "status": "active", "purchased_on": "2020-01-01",
           "life_months": 96, "price_minor": price, "price_currency": "EUR" if price else None,
           "added_on": "2020-01-02", "field": field, "incidents": incidents,
           "recent": incidents, "open_n": min(open_n, incidents), "first_on": None,
           "last_on": None}
    before = advice.advise(row, {"EUR": (spent, spent)}, TODAY, limit)
    after = advice.advise(row, {"EUR": (spent + more, spent + more)}, TODAY, limit)
    assert (RECOMMENDATIONS.index(after["recommendation"])
            >= RECOMMENDATIONS.index(before["recommendation"]))
    assert [r["met"] for r in after["reasons"]][1:] == [r["met"] for r in
                                                        before["reasons"]][1:]


@given(start=st.dates(date(2000, 1, 1), date(2030, 12, 31)), days=st.integers(0, 5000))
def test_whole_months_never_overshoot(start, days):
    end = start + timedelta(days=days)
    n = advice.whole_months(start, end)
    from stuffctl.dates import add_months

    assert add_months(start, n) <= end < add_months(start, n + 1)

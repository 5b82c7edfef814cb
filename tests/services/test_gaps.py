"""What records lack and the completeness score (services/gaps.py), and the bench metric and
status section built on them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput
from stuffctl.money import Money
from stuffctl.services import asset, gaps, status
from stuffctl.services.asset import AssetChanges
from stuffctl.services.bench import metrics, summary
from stuffctl.store import sql

TODAY = date(2026, 11, 23)
FULL = {"price": Money(50000, "EUR"), "purchased_on": date(2026, 1, 5), "serial": "S1",
        "warranty_until": date(2028, 1, 5), "location": "Kitchen"}


def add(db, name, **values):
    return asset.add_asset(db=db, changes=AssetChanges(values={"name": name, **values}))["id"]


def attach(db, asset_id, filename):
    asset.add_attachment(db=db, asset_id=asset_id, filename=filename,
                         sha256=f"{asset_id:02d}{filename}".ljust(64, "0")[:64], size=1)


def txn(db, minor, *, category=None, currency="EUR", asset_id=None, payee="Shop"):
    return sql.insert(db, "txn", {"occurred_on": TODAY, "amount_minor": minor,
                                  "currency": currency, "payee": payee, "category": category,
                                  "asset_id": asset_id})


def missing(db, kind=None, limit=20):
    return {(g["kind"], g["name"]): g["missing"]
            for g in gaps.gaps(db=db, kind=kind, limit=limit)["gaps"]}


def test_a_complete_asset_has_a_receipt_a_photo_and_every_field(db):
    mixer = add(db, "Mixer", **FULL)
    attach(db, mixer, "receipt.pdf")
    attach(db, mixer, "front.JPG")
    assert missing(db) == {}
    kinds = gaps.completeness(db=db)["kinds"]
    assert kinds["asset"] == {"records": 1, "complete": 1, "present": 7, "checked": 7,
                              "percent": 100.0, "missing": dict.fromkeys(
                                  gaps.KINDS["asset"].fields, 0)}


def test_each_missing_field_of_an_asset_is_named(db):
    add(db, "Bare", serial="", location="")
    assert missing(db) == {("asset", "Bare"): ["receipt", "price", "purchased_on", "serial",
                                               "warranty_until", "photo", "location"]}


def test_a_receipt_is_a_file_or_a_linked_purchase_not_a_repair_bill(db):
    photo_only = add(db, "Photo only", **FULL)
    attach(db, photo_only, "front.heic")  # a photo is a file: it counts as the receipt too
    bought = add(db, "Bought", **FULL)
    txn(db, -50000, category="home", asset_id=bought)
    repaired = add(db, "Repaired", **FULL)
    asset.log_event(db=db, asset_id=repaired, kind="repair", on=TODAY,
                    cost=Money(3000, "EUR"))
    broken = add(db, "Broken", **FULL)
    incident = sql.insert(db, "incident", {"asset_id": broken, "symptom": "x",
                                           "started_on": TODAY})
    db.execute("INSERT INTO incident_txn (incident_id, txn_id) VALUES (?, ?)",
               (incident, txn(db, -2000, category="repairs", asset_id=broken)))
    assert missing(db, "asset") == {("asset", "Bought"): ["photo"],
                                    ("asset", "Repaired"): ["receipt", "photo"],
                                    ("asset", "Broken"): ["receipt", "photo"]}


def test_out_of_use_assets_and_closed_projects_are_left_out(db):
    sold = add(db, "Sold")
    asset.retire_asset(db=db, asset_id=sold, on=TODAY, sold_for=Money(100, "EUR"))
    sql.insert(db, "project", {"name": "Done", "status": "done"})
    sql.insert(db, "project", {"name": "Shed", "status": "active",
                               "due_on": date(2027, 1, 1)})
    assert missing(db) == {("project", "Shed"): ["budget"]}
    assert gaps.completeness(db=db)["kinds"]["asset"]["records"] == 0


def test_gaps_come_dearest_first_per_kind_with_at_most_limit_of_each(db):
    add(db, "Cheap", price=Money(1000, "EUR"))
    add(db, "No price")
    add(db, "Dear", price=Money(200000, "EUR"))
    add(db, "Yen", price=Money(150000, "JPY"))  # 150,000 (no exchange rates: by number)
    txn(db, -500)
    txn(db, 20000, payee="Salary")
    txn(db, -9000, payee="Rent")
    txn(db, -70000, payee="Kept", category="home")
    sql.insert(db, "project", {"name": "Small", "status": "active", "budget_minor": 1000,
                               "budget_currency": "EUR"})
    sql.insert(db, "project", {"name": "Big", "status": "planned", "budget_minor": 900000,
                               "budget_currency": "EUR"})
    data = gaps.gaps(db=db)
    assert [(g["kind"], g["name"]) for g in data["gaps"]] == [
        ("asset", "Yen"), ("asset", "Dear"), ("asset", "Cheap"), ("asset", "No price"),
        ("transaction", "Salary"), ("transaction", "Rent"), ("transaction", "Shop"),
        ("project", "Big"), ("project", "Small")]
    assert data["gaps"][4]["value"] == {"amount": "200.00", "currency": "EUR"}
    limited = gaps.gaps(db=db, kind="transaction", limit=2)
    assert [g["name"] for g in limited["gaps"]] == ["Salary", "Rent"]
    assert limited["kind"] == "transaction"
    assert list(limited["completeness"]["kinds"]) == ["transaction"]
    assert limited["fixes"] == {"category": "stuffctl tx edit ID --category NAME"}


def test_the_score_is_the_share_of_checked_fields_present(db):
    add(db, "Half", price=Money(100, "EUR"), serial="S", location="Hall")  # 3 of 7
    txn(db, -100, category="food")
    txn(db, -100)
    score = gaps.completeness(db=db)
    assert (score["present"], score["checked"], score["percent"]) == (4, 9, 44.4)
    assert score["kinds"]["transaction"] == {"records": 2, "complete": 1, "present": 1,
                                             "checked": 2, "percent": 50.0,
                                             "missing": {"category": 1}}
    assert score["kinds"]["project"]["percent"] is None


def test_an_unknown_kind_or_limit_is_bad_input(db):
    with pytest.raises(InvalidInput, match=r"^--kind: expected one of asset, transaction, "
                                           r"project"):
        gaps.gaps(db=db, kind="tool")
    with pytest.raises(InvalidInput, match=r"^--limit: "):
        gaps.gaps(db=db, limit=0)


def test_status_counts_its_gaps_as_report_gaps_does(db):
    bought = add(db, "Bought", price=Money(100, "EUR"), warranty_until=TODAY)
    txn(db, -100, category="home", asset_id=bought)  # its purchase: a receipt
    add(db, "Bare")
    txn(db, -500)
    assert status.gaps(db, TODAY) == [
        {"gap": "assets without a purchase price", "count": 1,
         "fix": "stuffctl asset edit ID --price AMOUNT"},
        {"gap": "assets without a warranty date", "count": 1,
         "fix": "stuffctl asset edit ID --warranty DATE"},
        {"gap": "assets without a receipt", "count": 1, "fix": "stuffctl asset attach ID FILE"},
        {"gap": "uncategorised transactions", "count": 1,
         "fix": "stuffctl tx edit ID --category NAME"}]
    data = status.status(db=db, today=TODAY)
    assert data["completeness"] == gaps.completeness(db=db)


def made(db, table, ident, on):
    """Say row ``ident`` of ``table`` was created on day ``on``."""
    db.execute(f"UPDATE {table} SET created_at = ? WHERE id = ?",
               (sql.moment(datetime(on.year, on.month, on.day, 12, tzinfo=UTC)), ident))


def test_bench_completeness_is_of_the_records_created_in_each_period_as_they_are_now(db):
    made(db, "asset", add(db, "October", **FULL), date(2026, 10, 3))  # 5 of 7
    made(db, "txn", txn(db, -100), date(2026, 10, 9))  # 0 of 1
    made(db, "txn", txn(db, -100, category="food"), date(2026, 9, 9))  # 1 of 1
    made(db, "txn", txn(db, -100, category="food"), date(2025, 1, 9))  # before the window
    window = summary.window(unit="month", today=TODAY, currency="EUR")
    assert dict(metrics.completeness(db, window)) == {"2026-10": 0.625, "2026-09": 1.0}
    row = next(m for m in summary.bench(db=db, unit="month", vs="last", today=TODAY,
                                        currency="EUR")["metrics"]
               if m["metric"] == "completeness")
    assert (row["unit"], row["direction"], row["now"]) == ("share", "higher_is_better", 0.625)
    assert row["history"][-3:] == [None, 1.0, 0.625]
    assert row["verdict"] == "worse"


@given(present=st.integers(0, 10**7), missing=st.integers(0, 10**7),
       more=st.integers(1, 10**6))
def test_the_score_is_0_to_100_rises_with_what_is_present_and_says_100_only_when_whole(
        present, missing, more):
    checked = present + missing
    score = gaps.score(present, checked)
    if checked == 0:
        assert score is None
        return
    assert score is not None and 0 <= score <= 100
    assert (score == 100) == (missing == 0)
    assert (score == 0) == (present == 0)
    assert gaps.score(present + min(more, missing), checked) >= score  # filled in
    assert gaps.score(present, checked + more) <= score  # more to check, none of it there


class Recorder:
    """A database handle that keeps the SQL it is given (and runs it)."""

    def __init__(self, db):
        self.db, self.backend, self.seen = db, db.backend, []

    def execute(self, query, params=()):
        self.seen.append((query, params))
        return self.db.execute(query, params)


@pytest.mark.sqlite_only("the query plans are SQLite's (EXPLAIN QUERY PLAN)")
def test_transactions_are_counted_from_their_indexes_alone(db):
    from tests.test_query_plans import full_scans, plan

    recorder = Recorder(db)
    gaps.tally(recorder, gaps.KINDS["transaction"])
    gaps.tally(recorder, gaps.KINDS["transaction"], spans=[("2026-11", "2026-11-01",
                                                            "2026-12-01")])
    for query, params in recorder.seen:
        lines = plan(db, query, params)
        assert not full_scans(lines, "r") and not full_scans(lines, "txn"), lines

"""`status` sections, computed against a known household."""

from __future__ import annotations

from datetime import date, timedelta

from stuffctl.models import Txn
from stuffctl.money import Money
from stuffctl.services import assets, status
from stuffctl.services.assets import AssetChanges

TODAY = date.today()


def add(session, name, **values):
    return assets.add_asset(session=session, changes=AssetChanges(values={"name": name, **values}))


def test_a_fresh_database_is_empty_with_a_get_started_hint(session):
    data = status.status(session=session, today=TODAY)
    assert data["empty"] is True
    assert "stuffctl asset add" in data["hint"]
    assert data["sections"] == {"warranties": [], "recent": [], "gaps": []}
    assert status.brief(data) == "nothing recorded yet"


def test_warranties_ending_within_sixty_days_of_assets_in_use(session):
    add(session, "Soon", warranty_until=TODAY + timedelta(days=10))
    add(session, "Edge", warranty_until=TODAY + timedelta(days=60))
    add(session, "Later", warranty_until=TODAY + timedelta(days=61))
    add(session, "Past", warranty_until=TODAY - timedelta(days=1))
    sold = add(session, "Sold", warranty_until=TODAY + timedelta(days=5))
    assets.retire_asset(session=session, asset_id=sold.id, on=TODAY, sold_for=Money(100, "EUR"))
    rows = status.warranties(session, TODAY)
    assert [(r["name"], r["days_left"]) for r in rows] == [("Soon", 10), ("Edge", 60)]


def test_gaps_count_missing_price_warranty_receipt_and_uncategorised(session):
    complete = add(session, "Complete", price=Money(100, "EUR"), warranty_until=TODAY)
    assets.add_attachment(session=session, asset_id=complete.id, filename="r.pdf",
                          sha256="b" * 64, size=1)
    add(session, "Bare")
    session.add(Txn(occurred_on=TODAY, amount_minor=-500, currency="EUR", payee="Shop"))
    session.flush()
    assert {g["gap"]: g["count"] for g in status.gaps(session, TODAY)} == {
        "assets without a purchase price": 1,
        "assets without a warranty date": 1,
        "assets without a receipt": 1,
        "uncategorised transactions": 1,
    }


def test_recent_lists_additions_and_log_entries_newest_first(session):
    car = add(session, "Car")
    assets.log_event(session=session, asset_id=car.id, kind="service", on=TODAY)
    rows = status.recent(session, TODAY)
    assert {(r["what"], r["name"]) for r in rows} == {("asset added", "Car"), ("service", "Car")}


def test_brief_is_one_line_naming_what_needs_attention(session):
    add(session, "Soon", warranty_until=TODAY + timedelta(days=3))
    data = status.status(session=session, today=TODAY)
    assert status.brief(data) == "1 warranty ending"

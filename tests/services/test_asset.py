"""Asset services, called directly with a db (their plain SQL runs on its connection)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services import asset
from stuffctl.services.asset import AssetChanges, AssetFilter, list_assets, list_files, show_asset


def add(db, name, **values):
    tags = values.pop("tags", [])
    fields = values.pop("fields", {})
    changes = AssetChanges(values={"name": name, **values}, add_tags=tags, set_fields=fields)
    return asset.add_asset(db=db, changes=changes)


def names(db, **kw):
    sort = kw.pop("sort", "name")
    desc = kw.pop("desc", False)
    rows = list_assets(db=db, flt=AssetFilter(**kw), sort=sort, descending=desc)
    return [r["name"] for r in rows]


def test_add_asset_stores_every_field_and_returns_the_public_shape(db):
    item = add(db, "Dishwasher", category="home:kitchen", location="Home / Kitchen",
               brand="Bosch", model="SMS6", serial="X1", purchased_on=date(2025, 3, 1),
               price=Money(49900, "EUR"), vendor="MediaMarkt", life_months=120,
               notes="quiet", tags=["appliance", "kitchen"], fields={"colour": "white"})
    data = item
    assert data["price"] == {"amount": "499.00", "currency": "EUR"}
    assert data["tags"] == ["appliance", "kitchen"]
    assert data["fields"] == {"colour": "white"}
    assert data["purchased_on"] == "2025-03-01"
    assert data["status"] == "active"
    assert len(data["uid"]) == 36


def test_warranty_as_a_duration_counts_from_the_purchase_date(db):
    item = add(db, "TV", purchased_on=date(2024, 11, 29),
               warranty_until=relativedelta(years=2))
    assert item["warranty_until"] == "2026-11-29"


def test_an_asset_needs_a_name(db):
    with pytest.raises(InvalidInput):
        add(db, "  ")


def test_list_filters_category_hierarchically_and_by_tag_status_and_warranty(db):
    add(db, "Fridge", category="home:kitchen", warranty_until=date(2026, 1, 1), tags=["cold"])
    add(db, "Sofa", category="home", warranty_until=date(2027, 1, 1))
    add(db, "Homebrew kit", category="homebrew")
    add(db, "Drill", category="tools", tags=["cold"])
    assert names(db, category="home") == ["Fridge", "Sofa"]
    assert names(db, tag="cold") == ["Drill", "Fridge"]
    assert names(db, warranty_before=date(2026, 6, 1)) == ["Fridge"]
    assert names(db, status="active") == ["Drill", "Fridge", "Homebrew kit", "Sofa"]


def test_search_matches_every_searched_field_literally(db):
    add(db, "Laptop", brand="Lenovo", serial="PF-100%")
    add(db, "Camera", notes="bought in Lisbon")
    add(db, "Lamp", serial="PF-1000", location="Attic")
    assert names(db, search="lisbon") == ["Camera"]
    assert names(db, search="100%") == ["Laptop"]
    assert names(db, search="lenovo") == ["Laptop"]
    assert names(db, search="attic") == ["Lamp"]  # as `find` does


def test_the_searched_fields_are_the_ones_the_models_declare():
    from stuffctl.store import search
    from stuffctl.store.tables import TABLES

    asset = next(s for s in search.SOURCES if s.table == "asset")
    assert asset.columns == TABLES["asset"].searched
    assert {"name", "location", "brand", "model", "serial", "notes", "url"} == set(asset.columns)


@pytest.mark.parametrize(("sort", "desc", "expected"), [
    ("price", False, ["Cheap", "Mid", "Dear"]),
    ("price", True, ["Dear", "Mid", "Cheap"]),
    ("bought", False, ["Mid", "Dear", "Cheap"]),
    ("name", False, ["Cheap", "Dear", "Mid"]),
])
def test_list_sorts(db, sort, desc, expected):
    add(db, "Mid", price=Money(500, "EUR"), purchased_on=date(2020, 1, 1))
    add(db, "Dear", price=Money(900, "EUR"), purchased_on=date(2021, 1, 1))
    add(db, "Cheap", price=Money(100, "EUR"), purchased_on=date(2022, 1, 1))
    assert names(db, sort=sort, desc=desc) == expected


def test_unknown_sort_is_invalid_input(db):
    with pytest.raises(InvalidInput, match="--sort"):
        names(db, sort="colour")


def test_edit_changes_fields_tags_and_unsets(db):
    item = add(db, "Bike", tags=["outdoor"], vendor="Shop", fields={"frame": "M"})
    changes = AssetChanges(values={"location": "Shed"}, add_tags=["sport"],
                           remove_tags=["outdoor"], set_fields={"frame": "L"}, unset=["vendor"])
    asset.edit_asset(db=db, asset_id=item["id"], changes=changes)
    data = asset.public(db, item["id"])
    assert (data["location"], data["vendor"], data["tags"], data["fields"]) == (
        "Shed", None, ["sport"], {"frame": "L"})
    assert data["updated_at"] >= data["created_at"]


def test_edit_unknown_asset_is_not_found(db):
    with pytest.raises(NotFound, match="no asset with id 42"):
        asset.edit_asset(db=db, asset_id=42, changes=AssetChanges())


def test_a_parent_cycle_is_refused(db):
    car = add(db, "Car")
    tyre = add(db, "Tyre", parent_id=car["id"])
    with pytest.raises(InvalidInput, match="inside"):
        asset.edit_asset(db=db, asset_id=car["id"],
                         changes=AssetChanges(values={"parent_id": tyre["id"]}))


def test_log_with_cost_creates_a_linked_transaction_counted_in_the_totals(db):
    car = add(db, "Car", price=Money(1_500_000, "EUR"))
    event = asset.log_event(db=db, asset_id=car["id"], kind="service",
                            on=date(2026, 5, 1), cost=Money(24_000, "EUR"), meter=45_000,
                            meter_unit="km", notes="oil and filters")
    assert event["cost"] == {"amount": "240.00", "currency": "EUR"}
    shown = show_asset(db=db, asset_id=car["id"], today=date.today())
    assert shown["log"][0]["kind"] == "service"
    assert shown["totals"] == [{"currency": "EUR", "purchase": "15000.00",
                                "costs": "240.00", "total": "15240.00"}]


def test_totals_are_kept_per_currency(db):
    cam = add(db, "Camera", price=Money(80_000, "USD"))
    asset.log_event(db=db, asset_id=cam["id"], kind="repair", on=date(2026, 1, 1),
                    cost=Money(5_000, "EUR"))
    totals = show_asset(db=db, asset_id=cam["id"], today=date.today())["totals"]
    assert [(t["currency"], t["total"]) for t in totals] == [("EUR", "50.00"), ("USD", "800.00")]


def test_retire_with_a_sale_marks_it_sold(db):
    item = add(db, "Phone")
    sold = asset.retire_asset(db=db, asset_id=item["id"], on=date(2026, 11, 1),
                              sold_for=Money(15_000, "EUR"))
    assert (sold["status"], sold["retired_on"], sold["sold_for"]) == (
        "sold", "2026-11-01", {"amount": "150.00", "currency": "EUR"})
    with pytest.raises(Conflict):
        asset.retire_asset(db=db, asset_id=item["id"], on=date(2026, 11, 2))


def test_remove_refuses_when_referred_to_unless_forced(db):
    car = add(db, "Car")
    add(db, "Tyre", parent_id=car["id"])
    with pytest.raises(Conflict, match="1 child asset"):
        asset.remove_asset(db=db, asset_id=car["id"])
    asset.remove_asset(db=db, asset_id=car["id"], force=True)
    assert names(db) == ["Tyre"]


def test_attachments_are_recorded_once_per_content(db):
    item = add(db, "Oven")
    first = asset.add_attachment(db=db, asset_id=item["id"], filename="r.pdf",
                                 sha256="a" * 64, size=10)
    again = asset.add_attachment(db=db, asset_id=item["id"], filename="copy.pdf",
                                 sha256="a" * 64, size=10)
    assert first["id"] == again["id"]
    data, unused = asset.detach(db=db, asset_id=item["id"], file_id=first["id"])
    assert unused and data["filename"] == "r.pdf"
    assert list_files(db=db, asset_id=item["id"]) == []


def test_find_reads_punctuation_as_a_word_break_on_both_backends(db):
    from stuffctl.services.data.find import find

    add(db, "Dish-washer", notes="manual at https://example.com/bosch_sms46")
    add(db, "Kettle", notes="descale monthly")

    def found(text):
        return [hit["title"] for hit in find(db=db, text=text)]

    assert found("washer") == ["Dish-washer"]
    assert found("bosch") == ["Dish-washer"]  # inside a web address
    assert found("sms46") == ["Dish-washer"]
    assert found("example.com") == ["Dish-washer"]
    assert found("descal") == ["Kettle"]  # a prefix, as a person types it

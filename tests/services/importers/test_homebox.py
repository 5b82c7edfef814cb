"""Homebox CSV import: mapping, idempotent re-import, bad files refused."""

from __future__ import annotations

import pytest

from stuffctl.errors import InvalidInput
from stuffctl.services.data.importers import homebox

CSV = (
    "HB.import_ref,HB.location,HB.labels,HB.name,HB.quantity,HB.description,HB.notes,"
    "HB.purchase_price,HB.purchase_from,HB.purchase_time,HB.manufacturer,HB.model_number,"
    "HB.serial_number,HB.warranty_expires,HB.archived,HB.field.Colour\n"
    "ref-1,Home / Office / Desk,electronics;work,Monitor,1,27 inch,,329.00,Shop,2024-02-03,"
    "Dell,U2723QE,SN-1,2027-02-03,false,black\n"
    "ref-2,Garage,,Ladder,2,,aluminium,0,,,,,,,true,\n"
)


def test_rows_map_onto_assets_tags_and_fields():
    doc = homebox.to_document(CSV, "hb.csv", currency="EUR")
    monitor, ladder = doc["tables"]["asset"]
    assert {k: monitor[k] for k in ("name", "location", "brand", "model", "serial",
                                    "purchased_on", "price_minor", "price_currency", "vendor",
                                    "warranty_until", "status", "notes")} == {
        "name": "Monitor", "location": "Home / Office / Desk", "brand": "Dell",
        "model": "U2723QE", "serial": "SN-1", "purchased_on": "2024-02-03",
        "price_minor": 32900, "price_currency": "EUR", "vendor": "Shop",
        "warranty_until": "2027-02-03", "status": "active", "notes": "27 inch"}
    assert (ladder["price_minor"], ladder["status"], ladder["notes"]) == (None, "retired",
                                                                          "aluminium")
    assert [t["tag"] for t in doc["tables"]["asset_tag"]] == ["electronics", "work"]
    assert doc["tables"]["asset_field"] == [
        {"asset_id": monitor["uid"], "key": "Colour", "value": "black"},
        {"asset_id": ladder["uid"], "key": "quantity", "value": "2"}]


def test_the_same_import_ref_gives_the_same_uid():
    first = homebox.to_document(CSV, "a.csv", currency="EUR")["tables"]["asset"]
    again = homebox.to_document(CSV.replace("Monitor", "Screen"), "a.csv",
                                currency="EUR")["tables"]["asset"]
    assert [a["uid"] for a in first] == [a["uid"] for a in again]


@pytest.mark.parametrize(("text", "message"), [
    ("HB.location,HB.labels\nGarage,x\n", "missing column(s) HB.name"),
    ("HB.name,HB.purchase_time\nLamp,yesterday\n", "hb.csv:2: HB.purchase_time"),
    ("HB.name,HB.purchase_price\nLamp,lots\n", "hb.csv:2: HB.purchase_price"),
    ("HB.name\n\"\"\n", "hb.csv:2: HB.name is empty"),
])
def test_bad_rows_name_file_line_and_column(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        homebox.to_document(text, "hb.csv", currency="EUR")

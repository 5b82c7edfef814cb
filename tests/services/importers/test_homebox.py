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


# Written from Homebox's current exporter: sysadminsmedia/homebox,
# backend/internal/core/services/reporting/io_row.go (ExportCSVRow: its fields' order is
# the header's, the first name of each csv tag) and io_sheet.go (IOSheet.CSV; locations
# are listed as rows too, with a /location/ URL; custom fields HB.field.* sorted last;
# tags joined by "; "; a cell a spreadsheet would run prefixed with ').
CURRENT = (
    "HB.purchase_date,HB.warranty_expires,HB.sold_date,HB.import_ref,HB.parent_import_ref,"
    "HB.url,HB.name,HB.description,HB.notes,HB.purchase_from,HB.manufacturer,"
    "HB.model_number,HB.serial_number,HB.warranty_details,HB.sold_to,HB.sold_notes,"
    "HB.location,HB.tags,HB.asset_id,HB.quantity,HB.purchase_price,HB.sold_price,"
    "HB.archived,HB.insured,HB.lifetime_warranty,HB.field.Colour\n"
    ",,,,,https://hb.example/location/3f1c2d4e-0000-4000-8000-000000000001,Kitchen,,,,,,,,,,"
    ",,000-000,1,0,0,false,false,false,\n"
    "2024-02-03,,,,,https://hb.example/item/9b2e6a10-1111-4111-8111-111111111111,"
    "'-20 °C freezer thermometer,,,Shop,Acme,T-20,SN-9,,,,Home / Kitchen,"
    "kitchen; gadgets,000-001,1,12.5,0,false,true,true,white\n"
    "2021-05-01,2023-05-01,2025-06-30,,,"
    "https://hb.example/item/7c3d5e20-2222-4222-8222-222222222222,Old bike,,,,,,,"
    "2y parts,Robin,'=cash,Home / Garage,,000-002,1,400,150,true,false,false,\n"
)
# Written from Homebox's earlier exporter: hay-kot/homebox,
# backend/internal/core/services/reporting/io_row.go (ExportTSVRow) and io_sheet.go
# (tab separated; HB.labels, HB.purchase_time, HB.sold_time; no HB.url).
EARLIER = (
    "HB.import_ref\tHB.location\tHB.labels\tHB.asset_id\tHB.archived\tHB.name\tHB.quantity\t"
    "HB.description\tHB.insured\tHB.notes\tHB.purchase_price\tHB.purchase_from\t"
    "HB.purchase_time\tHB.manufacturer\tHB.model_number\tHB.serial_number\t"
    "HB.lifetime_warranty\tHB.warranty_expires\tHB.warranty_details\tHB.sold_to\t"
    "HB.sold_price\tHB.sold_time\tHB.sold_notes\n"
    "\tOffice\tIOT;Home Assistant; Z-Wave\t000-007\tfalse\tZooz Relay ZEN17\t1\t"
    "Relay, 20A\tfalse\t\t39.95\tAmazon\t2021-10-13\tZooz\tZEN17\t\tfalse\t\t\t\t0\t\t\n"
)


def test_the_current_exporter_is_read_whole():
    doc = homebox.to_document(CURRENT, "hb.csv", currency="EUR")
    thermometer, bike = doc["tables"]["asset"]  # the location row is not an item
    assert thermometer["name"] == "-20 °C freezer thermometer"  # no safety prefix
    assert (thermometer["purchased_on"], thermometer["price_minor"], thermometer["status"]) \
        == ("2024-02-03", 1250, "active")
    assert (bike["status"], bike["retired_on"], bike["sold_minor"], bike["sold_currency"]) \
        == ("sold", "2025-06-30", 15000, "EUR")
    tags = [(t["asset_id"], t["tag"]) for t in doc["tables"]["asset_tag"]]
    assert tags == [(thermometer["uid"], "kitchen"), (thermometer["uid"], "gadgets")]
    fields = {(f["asset_id"] == bike["uid"], f["key"]): f["value"]
              for f in doc["tables"]["asset_field"]}
    assert fields == {
        (False, "Colour"): "white", (False, "insured"): "yes",
        (False, "lifetime warranty"): "yes", (False, "asset id"): "000-001",
        (True, "sold to"): "Robin", (True, "sold notes"): "=cash",
        (True, "warranty details"): "2y parts", (True, "asset id"): "000-002"}


def test_an_item_moved_in_homebox_is_the_same_asset_by_its_url():
    first = homebox.to_document(CURRENT, "a.csv", currency="EUR")["tables"]["asset"]
    moved = homebox.to_document(CURRENT.replace("Home / Kitchen", "Home / Cellar").replace(
        "SN-9", "SN-10"), "a.csv", currency="EUR")["tables"]["asset"]
    assert [a["uid"] for a in first] == [a["uid"] for a in moved]
    assert moved[0]["location"] == "Home / Cellar"


def test_the_earlier_tab_separated_exporter_is_read():
    (relay,) = homebox.to_document(EARLIER, "hb.tsv", currency="EUR")["tables"]["asset"]
    assert (relay["name"], relay["purchased_on"], relay["price_minor"], relay["vendor"]) == (
        "Zooz Relay ZEN17", "2021-10-13", 3995, "Amazon")
    doc = homebox.to_document(EARLIER, "hb.tsv", currency="EUR")
    assert [t["tag"] for t in doc["tables"]["asset_tag"]] == ["IOT", "Home Assistant", "Z-Wave"]
    bad = EARLIER.replace("2021-10-13", "13.10.2021")
    with pytest.raises(InvalidInput, match=r"hb.tsv:2: HB.purchase_time"):
        homebox.to_document(bad, "hb.tsv", currency="EUR")


def test_a_homebox_file_imports_through_the_cli(cli, tmp_path):
    path = tmp_path / "homebox.csv"
    path.write_text(CURRENT, encoding="utf-8")
    cli.ok("import", "homebox", str(path))
    cli.ok("import", "homebox", str(path))  # again: nothing twice
    assert sorted((a["name"], a["status"]) for a in cli.json("asset", "list")) == [
        ("-20 °C freezer thermometer", "active"), ("Old bike", "sold")]

"""``stuffctl import homebox FILE.csv``: assets from Homebox's CSV export.

Both of Homebox's exporters are read: the current one (sysadminsmedia/homebox,
``backend/internal/core/services/reporting/io_row.go``, ``ExportCSVRow``: comma
separated, ``HB.tags``, ``HB.purchase_date``, ``HB.sold_date``, ``HB.url``, location rows
among the items) and the earlier one (hay-kot/homebox, the same file, ``ExportTSVRow``:
tab separated, ``HB.labels``, ``HB.purchase_time``, ``HB.sold_time``). The separator is
the header line's; a column may have either name. A cell Homebox prefixed with ``'`` to
keep a spreadsheet from running it (one starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is read without it.

``MAPPING`` says which Homebox column becomes what; docs/data.md's table of it is
written from it (``python docs/generate.py``). The plain text columns (``TEXT``)
are copied as they are; the others are read below.

Each row becomes an asset whose uid is derived from ``HB.import_ref``, else from the
item's id in ``HB.url`` (``…/item/<uuid>``: it stays when the item moves), else from
``HB.asset_id``, else from name, location, serial and purchase date; so importing the
same file again changes nothing and a re-export from Homebox updates the same assets.
The rows go through the generic merge (services/data/merge.py) as one document:
validated completely before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from stuffctl.clock import utcnow
from stuffctl.errors import InvalidInput
from stuffctl.services.data.document import header
from stuffctl.store.handle import Db
from stuffctl.store.sql import iso

# Homebox column(s) → what stuffctl makes of them, as docs/data.md shows it.
MAPPING: tuple[tuple[str, str], ...] = (
    ("`HB.name` (required)", "name"),
    ("`HB.location` (`Home / Office / Desk`)", "location, nested by ` / `"),
    ("`HB.tags` or `HB.labels` (`a; b`)", "tags"),
    ("`HB.purchase_price`", "price in the default (or `--currency`) currency; `0` = none"),
    ("`HB.purchase_date` or `HB.purchase_time`", "purchase date"),
    ("`HB.warranty_expires`", "warranty end"),
    ("`HB.description`, `HB.notes`", "notes (joined by a blank line)"),
    ("`HB.quantity` > 1", "custom field `quantity`"),
    ("`HB.archived` = true", "status `retired`"),
    ("`HB.sold_date` or `HB.sold_time`, `HB.sold_price`, `HB.sold_to`, `HB.sold_notes`",
     "status `sold`, on that date, for that price; custom fields `sold to`, `sold notes`"),
    ("`HB.lifetime_warranty` = true, `HB.warranty_details`",
     "custom fields `lifetime warranty` (`yes`), `warranty details`"),
    ("`HB.insured` = true", "custom field `insured` (`yes`)"),
    ("`HB.asset_id` (`000-001`)", "custom field `asset id`"),
    ("`HB.field.<Name>`", "custom field `<Name>`"),
    ("`HB.import_ref`, else the item id in `HB.url`, else `HB.asset_id`",
     "the asset's uid is derived from it"),
    ("a row whose `HB.url` is a location's (`…/location/…`)", "left out: not an item"),
)
# Homebox columns copied as they are, trimmed, into an asset's column of the same meaning.
TEXT = {"HB.serial_number": "serial", "HB.manufacturer": "brand", "HB.model_number": "model",
        "HB.purchase_from": "vendor", "HB.url": "url"}
# Homebox's names of one column: the current exporter's first, then the earlier one's.
ALIASES = {"HB.tags": "HB.labels", "HB.purchase_date": "HB.purchase_time",
           "HB.sold_date": "HB.sold_time"}
REQUIRED = ("HB.name",)
UNSAFE = ("=", "+", "-", "@", "\t", "\r")  # what Homebox prefixes with ' when exporting
_ITEM = re.compile(r"/item/([0-9A-Za-z-]+)/?$")
NAMESPACE = uuid.UUID("6f0b7d3e-7c8a-4a8e-9a53-0c6d1b6a2f41")
FIELD = "HB.field."


def _date(text: str, where: str) -> str | None:
    from stuffctl.dates import parse_iso_date, parse_iso_timestamp

    text = text.strip()
    if not text or text.startswith("0001-01-01"):
        return None
    try:
        day: date = parse_iso_date(text) if len(text) == 10 else parse_iso_timestamp(text).date()
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None
    return iso(day)


def _price(text: str, currency: str, where: str) -> tuple[int | None, str | None]:
    from stuffctl.money import parse_money

    text = text.strip()
    if not text:
        return None, None
    try:
        money = parse_money(text, default_currency=currency)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None
    return (money.minor, money.currency) if money.minor else (None, None)


def _location(text: str) -> str | None:
    parts = [p.strip() for p in text.split("/") if p.strip()]
    return " / ".join(parts) or None


def _uid(row: dict[str, str]) -> str:
    """From the row's stable key (see the module's docstring)."""
    ref = row.get("HB.import_ref", "").strip()
    item = _ITEM.search(row.get("HB.url", "").strip())
    asset_id = row.get("HB.asset_id", "").strip()
    if ref:
        key = f"ref:{ref}"
    elif item is not None:
        key = f"item:{item[1]}"
    elif asset_id.strip("0-"):
        key = f"asset-id:{asset_id}"
    else:
        key = "row:" + "|".join(row.get(k, "").strip() for k in (
            "HB.name", "HB.location", "HB.serial_number", "HB.purchase_date"))
    return str(uuid.uuid5(NAMESPACE, key))


def _yes(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1", "yes")


def _plain(value: str | None) -> str:
    """A cell without the ' Homebox put before what a spreadsheet would run."""
    value = value or ""
    return value[1:] if value.startswith("'") and value[1:2] in UNSAFE else value


def _asset(row: dict[str, str], currency: str, where: str, now: str,
           names: dict[str, str]) -> dict[str, Any]:
    def get(key: str) -> str | None:
        return (row.get(key) or "").strip() or None

    name = get("HB.name")
    if name is None:
        raise InvalidInput(f"{where}: HB.name is empty")
    minor, cur = _price(row.get("HB.purchase_price", ""), currency, f"{where}: HB.purchase_price")
    sold_minor, sold_cur = _price(row.get("HB.sold_price", ""), currency,
                                  f"{where}: HB.sold_price")
    sold_on = _date(row.get("HB.sold_date", ""),
                    f"{where}: {names.get('HB.sold_date', 'HB.sold_date')}")
    sold = bool(sold_on or sold_minor or get("HB.sold_to"))
    notes = "\n\n".join(n for n in (get("HB.description"), get("HB.notes")) if n) or None
    status = "sold" if sold else "retired" if _yes(get("HB.archived")) else "active"
    return {
        "uid": _uid(row), "created_at": now, "updated_at": now, "name": name,
        "location": _location(row.get("HB.location", "")),
        "purchased_on": _date(row.get("HB.purchase_date", ""),
                              f"{where}: {names.get('HB.purchase_date', 'HB.purchase_date')}"),
        "price_minor": minor, "price_currency": cur,
        "warranty_until": _date(row.get("HB.warranty_expires", ""),
                                f"{where}: HB.warranty_expires"),
        "status": status, "retired_on": sold_on if sold else None,
        "sold_minor": sold_minor, "sold_currency": sold_cur, "notes": notes,
        **{column: get(key) for key, column in TEXT.items()},
    }





def mapping() -> list[tuple[str, str]]:
    """Every mapping, as docs/data.md's table shows it (the text columns in one row)."""
    text = (", ".join(f"`{key}`" for key in TEXT), ", ".join(TEXT.values()))
    return [*MAPPING[:6], text, *MAPPING[6:]]


def _fields(row: dict[str, str]) -> dict[str, str]:
    found = {k[len(FIELD):]: v.strip() for k, v in row.items()
             if k and k.startswith(FIELD) and (v or "").strip()}
    quantity = (row.get("HB.quantity") or "").strip()
    if quantity and quantity not in ("0", "1"):
        found["quantity"] = quantity
    for key, name in (("HB.sold_to", "sold to"), ("HB.sold_notes", "sold notes"),
                      ("HB.warranty_details", "warranty details")):
        if (value := (row.get(key) or "").strip()):
            found[name] = value
    for key, name in (("HB.lifetime_warranty", "lifetime warranty"),
                      ("HB.insured", "insured")):
        if _yes(row.get(key)):
            found[name] = "yes"
    asset_id = (row.get("HB.asset_id") or "").strip()
    if asset_id.strip("0-"):
        found["asset id"] = asset_id
    return found


def _rows(text: str, source: str) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """(line, row, names) of each item row: its columns under their current names, cells
    plain, and the earlier names the file has for some (messages name them so)."""
    first = text.split("\n", 1)[0]
    separator = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(f"{source}: not a Homebox CSV export: missing column(s) "
                           f"{', '.join(missing)}")
    reader.fieldnames = columns
    renamed = {old: new for new, old in ALIASES.items() if old in columns and new not in columns}
    try:
        for row in reader:
            plain = {renamed.get(k, k): _plain(v) for k, v in row.items() if k is not None}
            if "/location/" in plain.get("HB.url", ""):
                continue  # a location, which the current exporter lists among the items
            yield reader.line_num, plain, {new: old for old, new in renamed.items()}
    except csv.Error as exc:
        raise InvalidInput(f"{source}:{reader.line_num}: bad CSV: {exc}") from None


def to_document(text: str, source: str, *, currency: str) -> dict[str, Any]:
    """The CSV (or TSV) as a stuffctl export document (assets, tags, custom fields)."""
    now = iso(utcnow())
    assets, tags, fields = [], [], []
    for line, row, names in _rows(text, source):
        asset = _asset(row, currency, f"{source}:{line}", now, names)
        assets.append(asset)
        labels = (row.get("HB.tags") or "").split(";")
        for label in dict.fromkeys(lb.strip() for lb in labels if lb.strip()):
            tags.append({"asset_id": asset["uid"], "tag": label})
        for key, value in _fields(row).items():
            fields.append({"asset_id": asset["uid"], "key": key, "value": value})
    seen: set[str] = set()
    for asset in assets:
        if asset["uid"] in seen:
            raise InvalidInput(f"{source}: two rows for the same item ({asset['name']!r}); "
                               "give them distinct HB.import_ref values")
        seen.add(asset["uid"])
    return {**header("homebox"), "tables": {"asset": assets, "asset_tag": tags,
                                            "asset_field": fields}}


def import_file(*, db: Db, path: Any, currency: str, dry_run: bool = False
                ) -> dict[str, Any]:
    """Read, check and merge a Homebox CSV; the import result (docs/json.md#import-result)."""
    from stuffctl.services.data import intake, merge

    doc = to_document(intake.read_text(path, "utf-8-sig"), str(path), currency=currency)
    return merge.import_document(db=db, doc=doc, source=str(path), dry_run=dry_run)

"""``stuffctl import homebox FILE.csv``: assets from Homebox's CSV export.

``MAPPING`` says which Homebox column becomes what; docs/data.md's table of it is
written from it (``python docs/generate.py``). The plain text columns (``TEXT``)
are copied as they are; the others are read below.

Each row becomes an asset whose uid is derived from ``HB.import_ref`` (or,
without one, from name, location, serial and purchase date), so importing the
same file again changes nothing and a re-export from Homebox updates the same
assets. The rows go through the generic merge (services/data/merge.py) as one
document: validated completely before anything is written.
"""

from __future__ import annotations

import csv
import io
import uuid
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
    ("`HB.labels` (`a;b`)", "tags"),
    ("`HB.purchase_price`", "price in the default (or `--currency`) currency; `0` = none"),
    ("`HB.purchase_time`", "purchase date"),
    ("`HB.warranty_expires`", "warranty end"),
    ("`HB.description`, `HB.notes`", "notes (joined by a blank line)"),
    ("`HB.quantity` > 1", "custom field `quantity`"),
    ("`HB.archived` = true", "status `retired`"),
    ("`HB.field.<Name>`", "custom field `<Name>`"),
    ("`HB.import_ref`", "the asset's uid is derived from it"),
)
# Homebox columns copied as they are, trimmed, into an asset's column of the same meaning.
TEXT = {"HB.serial_number": "serial", "HB.manufacturer": "brand", "HB.model_number": "model",
        "HB.purchase_from": "vendor", "HB.url": "url"}
REQUIRED = ("HB.name",)
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
    ref = row.get("HB.import_ref", "").strip()
    key = f"ref:{ref}" if ref else "row:" + "|".join(
        row.get(k, "").strip() for k in ("HB.name", "HB.location", "HB.serial_number",
                                          "HB.purchase_time"))
    return str(uuid.uuid5(NAMESPACE, key))


def _asset(row: dict[str, str], currency: str, where: str, now: str) -> dict[str, Any]:
    def get(key: str) -> str | None:
        return (row.get(key) or "").strip() or None

    name = get("HB.name")
    if name is None:
        raise InvalidInput(f"{where}: HB.name is empty")
    minor, cur = _price(row.get("HB.purchase_price", ""), currency, f"{where}: HB.purchase_price")
    notes = "\n\n".join(n for n in (get("HB.description"), get("HB.notes")) if n) or None
    archived = (get("HB.archived") or "").lower() in ("true", "1", "yes")
    return {
        "uid": _uid(row), "created_at": now, "updated_at": now, "name": name,
        "location": _location(row.get("HB.location", "")),
        "purchased_on": _date(row.get("HB.purchase_time", ""), f"{where}: HB.purchase_time"),
        "price_minor": minor, "price_currency": cur,
        "warranty_until": _date(row.get("HB.warranty_expires", ""),
                                f"{where}: HB.warranty_expires"),
        "status": "retired" if archived else "active", "notes": notes,
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
    return found


def to_document(text: str, source: str, *, currency: str) -> dict[str, Any]:
    """The CSV as a stuffctl export document (assets, tags, custom fields)."""
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(f"{source}: not a Homebox CSV export: missing column(s) "
                           f"{', '.join(missing)}")
    now = iso(utcnow())
    assets, tags, fields = [], [], []
    try:
        for row in reader:
            where = f"{source}:{reader.line_num}"
            asset = _asset(row, currency, where, now)
            assets.append(asset)
            labels = (row.get("HB.labels") or "").split(";")
            for label in dict.fromkeys(lb.strip() for lb in labels if lb.strip()):
                tags.append({"asset_id": asset["uid"], "tag": label})
            for key, value in _fields(row).items():
                fields.append({"asset_id": asset["uid"], "key": key, "value": value})
    except csv.Error as exc:
        raise InvalidInput(f"{source}:{reader.line_num}: bad CSV: {exc}") from None
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

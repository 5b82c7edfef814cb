"""Listing assets in plain SQL (``services.sql``): `asset list` in every format, and
the one JSON shape of an asset with its tags and custom fields."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.money import Money, money_json
from stuffctl.services.sql import (
    Where,
    batches,
    checked_sort,
    day,
    dbapi,
    grouped,
    iso,
    marks,
    paged,
    row_or_404,
    stamp,
)

# The listing's sort keys: a column (then the id).
SORTS = {"name": "name", "bought": "purchased_on", "price": "price_minor",
         "warranty": "warranty_until", "id": "id"}
COLUMNS = ("id", "uid", "name", "category", "location", "brand", "model", "serial",
           "purchased_on", "price_minor", "price_currency", "vendor", "warranty_until",
           "life_months", "status", "parent_id", "retired_on", "sold_minor", "sold_currency",
           "notes", "owner_id", "last_seen_on", "last_seen_at", "created_at", "updated_at")
TAGS = "SELECT asset_id, tag FROM asset_tag WHERE asset_id IN ({ids}) ORDER BY tag"
FIELDS = ("SELECT asset_id, key, value FROM asset_field WHERE asset_id IN ({ids})"
          " ORDER BY key")


@dataclass
class AssetFilter:
    category: str | None = None
    location: str | None = None
    tag: str | None = None
    status: str | None = None
    warranty_before: date | None = None
    search: str | None = None
    ids: Sequence[int] | None = None
    not_seen_since: date | None = None


def asset_public(row: Sequence[Any], tags: list[str], fields: dict[str, str]) -> dict[str, Any]:
    """The one JSON shape of an asset (docs/json.md#asset), from its ``COLUMNS`` (as
    stored, or as a model's attributes)."""
    (ident, uid, name, category, location, brand, model, serial, purchased_on, price_minor,
     price_currency, vendor, warranty_until, life_months, status, parent_id, retired_on,
     sold_minor, sold_currency, notes, owner_id, last_seen_on, last_seen_at, created_at,
     updated_at) = row
    return {
        "id": ident,
        "uid": uid,
        "name": name,
        "category": category,
        "location": location,
        "tags": tags,
        "brand": brand,
        "model": model,
        "serial": serial,
        "purchased_on": iso(day(purchased_on)),
        "price": money_json(price_minor, price_currency),
        "vendor": vendor,
        "warranty_until": iso(day(warranty_until)),
        "life_months": life_months,
        "status": status,
        "parent_id": parent_id,
        "retired_on": iso(day(retired_on)),
        "sold_for": money_json(sold_minor, sold_currency),
        "fields": fields,
        "notes": notes,
        "owner_id": owner_id,
        "last_seen_on": iso(day(last_seen_on)),
        "last_seen_at": last_seen_at,
        "created_at": stamp(created_at),
        "updated_at": stamp(updated_at),
    }


def tags_of(db: Any, ids: Sequence[int]) -> dict[int, list[str]]:
    return grouped(db, TAGS, ids)


def fields_of(db: Any, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    return {asset_id: dict(pairs) for asset_id, pairs in grouped(db, FIELDS, ids).items()}


def conditions(flt: AssetFilter) -> Where:
    """The WHERE clause of a filter."""
    where = Where()
    if flt.category:
        where.under("category", flt.category)
    if flt.location:
        where.under("location", flt.location, " / ")
    if flt.tag:
        where.add("id IN (SELECT asset_id FROM asset_tag WHERE tag = ?)", flt.tag)
    if flt.status:
        where.add("status = ?", flt.status)
    if flt.warranty_before:
        where.add("warranty_until < ?", flt.warranty_before.isoformat())
    if flt.search:
        where.contains(("name", "brand", "model", "serial", "notes"), flt.search)
    if flt.ids is not None:
        where.add(f"id IN ({marks(flt.ids)})", *flt.ids)
    if flt.not_seen_since:
        where.add("coalesce(last_seen_on, purchased_on, date(created_at)) < ?",
                  flt.not_seen_since.isoformat())
    return where


def asset_query(flt: AssetFilter, *, sort: str = "name", descending: bool = False,
                limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
    """The listing's SELECT and its parameters (tests/test_query_plans.py checks that it
    uses an index)."""
    checked_sort(sort, list(SORTS))
    where = conditions(flt)
    way = "DESC" if descending else "ASC"
    return paged(f"SELECT {', '.join(COLUMNS)} FROM asset WHERE {where.sql}"
                 f" ORDER BY {SORTS[sort]} {way} NULLS LAST, id", where.params, limit, offset)


def list_assets(
    *, db: Any, flt: AssetFilter, sort: str = "name", descending: bool = False,
    limit: int | None = None, offset: int = 0, batch: int = 500,
) -> Iterator[dict[str, Any]]:
    """Assets matching ``flt`` as JSON-ready dicts, streamed ``batch`` at a time (with
    the tags and fields of each batch in one query each)."""
    conn = dbapi(db)
    sql, params = asset_query(flt, sort=sort, descending=descending, limit=limit,
                              offset=offset)
    for rows in batches(conn, sql, params, batch):
        ids = [row[0] for row in rows]
        tags, fields = tags_of(conn, ids), fields_of(conn, ids)
        yield from (asset_public(row, tags.get(row[0], []), fields.get(row[0], {}))
                    for row in rows)


EVENT_ROWS = ("SELECT e.id, e.uid, e.asset_id, e.occurred_on, e.kind, e.notes, e.meter,"
              " e.meter_unit, t.amount_minor, t.currency, t.id FROM event e"
              " LEFT OUTER JOIN txn t ON e.txn_id = t.id")
EVENTS = f"{EVENT_ROWS} WHERE e.asset_id = ? ORDER BY e.occurred_on DESC, e.id DESC"
ATTACHMENT_ROWS = "SELECT id, uid, asset_id, filename, sha256, size, created_at FROM attachment"
ATTACHMENTS = f"{ATTACHMENT_ROWS} WHERE asset_id = ? ORDER BY id"


def event_public(row: Sequence[Any]) -> dict[str, Any]:
    """A log entry with the cost of its linked transaction, from a row of ``EVENTS``."""
    ident, uid, asset_id, on, kind, notes, meter, unit, minor, currency, txn_id = row
    return {"id": ident, "uid": uid, "asset_id": asset_id, "on": iso(day(on)), "kind": kind,
            "notes": notes, "meter": meter, "meter_unit": unit,
            "cost": money_json(-minor, currency) if txn_id is not None else None,
            "txn_id": txn_id}


def attachment_public(row: Sequence[Any]) -> dict[str, Any]:
    """An attached file, from a row of ``ATTACHMENTS``."""
    ident, uid, asset_id, filename, sha256, size, created_at = row
    return {"id": ident, "uid": uid, "asset_id": asset_id, "filename": filename,
            "sha256": sha256, "size": size, "added_at": stamp(created_at)}


def list_files(*, db: Any, asset_id: int) -> list[dict[str, Any]]:
    """An asset's attachments, oldest first (NotFound for an unknown asset)."""
    conn = dbapi(db)
    row_or_404(conn, "asset", ("id",), asset_id, "asset")
    return [attachment_public(row) for row in conn.execute(ATTACHMENTS, (asset_id,))]


def cost_totals(db: Any, asset_id: int, price_minor: int | None,
                price_currency: str | None) -> list[dict[str, Any]]:
    """Per currency: purchase price, logged and linked costs, and their sum."""
    spent = {cur: -int(total) for cur, total in dbapi(db).execute(
        "SELECT currency, sum(amount_minor) FROM txn WHERE asset_id = ? GROUP BY currency",
        (asset_id,))}
    totals = []
    for currency in sorted(set(spent) | ({price_currency} if price_currency else set())):
        purchase = (price_minor or 0) if price_currency == currency else 0
        costs = spent.get(currency, 0)
        totals.append({"currency": currency,
                       "purchase": Money(purchase, currency).decimal_str(),
                       "costs": Money(costs, currency).decimal_str(),
                       "total": Money(purchase + costs, currency).decimal_str()})
    return totals


def show_asset(*, db: Any, asset_id: int, today: date) -> dict[str, Any]:
    """`asset show`: an asset with children, log, files, what it has cost so far, its
    owner, current loan and loan history."""
    from stuffctl.services.people_list import LOANS, loan_public

    conn = dbapi(db)
    row = row_or_404(conn, "asset", COLUMNS, asset_id, "asset")
    data = asset_public(row, tags_of(conn, [asset_id]).get(asset_id, []),
                        fields_of(conn, [asset_id]).get(asset_id, {}))
    data["children"] = [{"id": i, "name": n, "status": st} for i, n, st in conn.execute(
        "SELECT id, name, status FROM asset WHERE parent_id = ? ORDER BY name", (asset_id,))]
    data["log"] = [event_public(e) for e in conn.execute(EVENTS, (asset_id,))]
    data["attachments"] = [attachment_public(a) for a in conn.execute(ATTACHMENTS,
                                                                        (asset_id,))]
    data["totals"] = cost_totals(conn, asset_id, row[COLUMNS.index("price_minor")],
                                 row[COLUMNS.index("price_currency")])
    owner = conn.execute("SELECT id, name FROM person WHERE id = ?",
                         (data["owner_id"],)).fetchone() if data["owner_id"] else None
    data["owner"] = {"id": owner[0], "name": owner[1]} if owner else None
    data["loans"] = [loan_public(r, today) for r in conn.execute(
        f"{LOANS} WHERE l.asset_id = ? ORDER BY l.since DESC, l.id DESC", (asset_id,))]
    data["loan"] = next((lo for lo in data["loans"] if lo["open"]), None)
    return data

"""Listing assets in plain SQL (``services.sql``): `asset list` in every format, and
the one JSON shape of an asset with its tags and custom fields."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.money import money_json
from stuffctl.services.sql import Where, day, dbapi, iso, marks, paged, stamp

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
    tags: dict[int, list[str]] = {}
    for asset_id, tag in dbapi(db).execute(TAGS.format(ids=marks(ids)), tuple(ids)):
        tags.setdefault(asset_id, []).append(tag)
    return tags


def fields_of(db: Any, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    fields: dict[int, dict[str, str]] = {}
    for asset_id, key, value in dbapi(db).execute(FIELDS.format(ids=marks(ids)), tuple(ids)):
        fields.setdefault(asset_id, {})[key] = value
    return fields


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
    if sort not in SORTS:
        raise InvalidInput(f"--sort: expected one of {', '.join(SORTS)} (got {sort!r})")
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
    cursor = conn.execute(sql, params)
    while rows := cursor.fetchmany(batch):
        ids = [row[0] for row in rows]
        tags, fields = tags_of(conn, ids), fields_of(conn, ids)
        yield from (asset_public(row, tags.get(row[0], []), fields.get(row[0], {}))
                    for row in rows)

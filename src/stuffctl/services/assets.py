"""Assets: add, show, edit, retire, remove; their log and attachments.

Listing them is ``services.asset_list`` (plain SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.money import Money
from stuffctl.services import asset_list, sql

# Columns a person may set with `asset add` / `asset edit` (and unset with --unset).
EDITABLE = (
    "name", "category", "location", "brand", "model", "serial", "purchased_on", "price",
    "vendor", "warranty_until", "life_months", "parent_id", "notes", "status",
)


@dataclass
class AssetChanges:
    """What `asset add` or `asset edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    set_fields: dict[str, str] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)


def add_asset(*, db: Any, changes: AssetChanges) -> dict[str, Any]:
    """Add an asset; its JSON shape (docs/json.md#asset)."""
    if not (changes.values.get("name") or "").strip():
        raise InvalidInput("an asset needs a name")
    columns = _columns(db, None, changes, purchased_on=None)
    asset_id = sql.insert(db, "asset", {"status": "active", **columns})
    _set_tags_and_fields(db, asset_id, changes)
    return public(db, asset_id)


def edit_asset(*, db: Any, asset_id: int, changes: AssetChanges) -> dict[str, Any]:
    (bought,) = sql.row_or_404(db, "asset", ("purchased_on",), asset_id, "asset")
    sql.update(db, "asset", asset_id, _columns(db, asset_id, changes,
                                               purchased_on=sql.day(bought)))
    _set_tags_and_fields(db, asset_id, changes)
    return public(db, asset_id)


def _columns(db: Any, asset_id: int | None, changes: AssetChanges,
             purchased_on: date | None) -> dict[str, Any]:
    """The columns ``changes`` sets; a warranty given as a duration counts from the
    purchase date (the new one when it changes too)."""
    columns: dict[str, Any] = {}
    for name in changes.unset:
        if name not in EDITABLE or name in ("name", "status"):
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        columns.update(_column(name, None))
    values = dict(changes.values)
    warranty = values.pop("warranty_until", None)
    for name, value in values.items():
        if name not in EDITABLE:
            raise InvalidInput(f"an asset has no {name!r}")
        if name == "parent_id" and value is not None:
            _check_parent(db, asset_id, value)
        columns.update(_column(name, value))
    if warranty is not None:
        bought = columns.get("purchased_on", purchased_on)
        columns["warranty_until"] = _resolve_warranty(warranty, bought)
    return columns


def _column(name: str, value: Any) -> dict[str, Any]:
    if name == "price":
        return {"price_minor": value.minor if value else None,
                "price_currency": value.currency if value else None}
    return {name: value}


def _resolve_warranty(value: Any, purchased_on: date | None) -> date:
    """A warranty given as a date, or as a duration counted from the purchase."""
    if isinstance(value, date):
        return value
    base = purchased_on or date.today()
    result: date = base + value
    return result


def _check_parent(db: Any, asset_id: int | None, parent_id: int) -> None:
    (parent,) = sql.row_or_404(db, "asset", ("id",), parent_id, "parent asset")
    seen = {asset_id}
    conn = sql.dbapi(db)
    while parent is not None:
        if parent in seen:
            raise InvalidInput(f"--parent: asset {parent_id} is inside this asset already")
        seen.add(parent)
        row = conn.execute("SELECT parent_id FROM asset WHERE id = ?", (parent,)).fetchone()
        parent = row[0] if row else None


def _set_tags_and_fields(db: Any, asset_id: int, changes: AssetChanges) -> None:
    sql.set_tags(db, "asset_tag", "asset_id", asset_id, changes.add_tags, changes.remove_tags)
    sql.dbapi(db).executemany(
        "INSERT INTO asset_field (asset_id, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (asset_id, key) DO UPDATE SET value = excluded.value",
        [(asset_id, key, value) for key, value in changes.set_fields.items()])


def unset_field(*, db: Any, asset_id: int, key: str) -> None:
    sql.dbapi(db).execute("DELETE FROM asset_field WHERE asset_id = ? AND key = ?",
                          (asset_id, key))


def public(db: Any, asset_id: int) -> dict[str, Any]:
    """The JSON shape of asset ``asset_id`` (``asset_list.asset_public``, as listed)."""
    row = sql.row_or_404(db, "asset", asset_list.COLUMNS, asset_id, "asset")
    return asset_list.asset_public(row, asset_list.tags_of(db, [asset_id]).get(asset_id, []),
                                   asset_list.fields_of(db, [asset_id]).get(asset_id, {}))


def retire_asset(
    *, db: Any, asset_id: int, on: date, sold_for: Money | None = None
) -> dict[str, Any]:
    (status,) = sql.row_or_404(db, "asset", ("status",), asset_id, "asset")
    if status in ("retired", "sold"):
        raise Conflict(f"asset {asset_id} is already {status}")
    columns: dict[str, Any] = {"status": "sold" if sold_for is not None else "retired",
                               "retired_on": on}
    if sold_for is not None:
        columns.update(sold_minor=sold_for.minor, sold_currency=sold_for.currency)
    sql.update(db, "asset", asset_id, columns)
    return public(db, asset_id)


def references(db: Any, asset_id: int) -> dict[str, int]:
    """What else points at this asset, by kind (its own log's costs do not count)."""
    children, txns = sql.dbapi(db).execute(
        "SELECT (SELECT count(*) FROM asset WHERE parent_id = :id),"
        " (SELECT count(*) FROM txn WHERE asset_id = :id AND id NOT IN"
        "  (SELECT txn_id FROM event WHERE asset_id = :id AND txn_id IS NOT NULL))",
        {"id": asset_id}).fetchone()
    found = (("child asset(s)", children), ("transaction(s)", txns))
    return {kind: count for kind, count in found if count}


def remove_asset(*, db: Any, asset_id: int, force: bool = False) -> dict[str, Any]:
    """Delete an asset with its log, tags, fields and attachment records (the database's
    cascades); its children and transactions are unlinked."""
    data = public(db, asset_id)
    refs = references(db, asset_id)
    if refs and not force:
        what = ", ".join(f"{n} {k}" for k, n in refs.items())
        raise Conflict(f"asset {asset_id} is referred to by {what}; use --force to remove anyway")
    conn = sql.dbapi(db)
    conn.execute("UPDATE asset SET parent_id = NULL WHERE parent_id = ?", (asset_id,))
    conn.execute("UPDATE txn SET asset_id = NULL WHERE asset_id = ?", (asset_id,))
    conn.execute("DELETE FROM asset WHERE id = ?", (asset_id,))
    return data


def log_event(
    *, db: Any, asset_id: int, kind: str, on: date, cost: Money | None = None,
    meter: float | None = None, meter_unit: str | None = None, notes: str | None = None,
) -> dict[str, Any]:
    """Add an entry to an asset's log; a cost is recorded as a linked transaction."""
    name, vendor = sql.row_or_404(db, "asset", ("name", "vendor"), asset_id, "asset")
    if not kind.strip():
        raise InvalidInput("--kind: cannot be empty")
    if meter is not None and meter < 0:
        raise InvalidInput(f"--meter: cannot be negative (got {meter})")
    txn_id = None
    if cost is not None:
        txn_id = sql.insert(db, "txn", {
            "occurred_on": on, "amount_minor": -abs(cost.minor), "currency": cost.currency,
            "payee": vendor, "category": f"assets:{kind}", "memo": notes or f"{kind}: {name}",
            "asset_id": asset_id})
    event_id = sql.insert(db, "event", {
        "asset_id": asset_id, "occurred_on": on, "kind": kind, "notes": notes, "meter": meter,
        "meter_unit": meter_unit, "txn_id": txn_id})
    sql.update(db, "asset", asset_id, {})
    return asset_list.event_public(sql.dbapi(db).execute(
        f"{asset_list.EVENT_ROWS} WHERE e.id = ?", (event_id,)).fetchone())


def add_attachment(
    *, db: Any, asset_id: int, filename: str, sha256: str, size: int
) -> dict[str, Any]:
    """Record a stored blob as attached; the same content twice is one record."""
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    conn = sql.dbapi(db)
    found = conn.execute("SELECT id FROM attachment WHERE asset_id = ? AND sha256 = ?"
                         " ORDER BY id LIMIT 1", (asset_id, sha256)).fetchone()
    ident = found[0] if found else sql.insert(db, "attachment", {
        "asset_id": asset_id, "filename": filename, "sha256": sha256, "size": size})
    return _attachment(conn, ident)


def _attachment(conn: Any, ident: int) -> dict[str, Any]:
    return asset_list.attachment_public(conn.execute(
        f"{asset_list.ATTACHMENT_ROWS} WHERE id = ?", (ident,)).fetchone())


def detach(*, db: Any, asset_id: int, file_id: int) -> tuple[dict[str, Any], bool]:
    """Remove an attachment record; say whether its blob is now unused."""
    owner, sha256 = sql.row_or_404(db, "attachment", ("asset_id", "sha256"), file_id,
                                   "attachment")
    if owner != asset_id:
        raise InvalidInput(f"attachment {file_id} does not belong to asset {asset_id}")
    conn = sql.dbapi(db)
    data = _attachment(conn, file_id)
    conn.execute("DELETE FROM attachment WHERE id = ?", (file_id,))
    (others,) = conn.execute("SELECT count(*) FROM attachment WHERE sha256 = ?",
                             (sha256,)).fetchone()
    return data, others == 0

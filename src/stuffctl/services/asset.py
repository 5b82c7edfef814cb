"""Assets: add, show, edit, retire, remove; their log, attachments, owner and
stocktake; `asset list` in every format, in plain SQL (``store.sql``); and the one
JSON shape of an asset with its tags and custom fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.money import Money, money_json
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import (
    Where,
    batches,
    checked_sort,
    day,
    grouped,
    iso,
    marks,
    paged,
    row_or_404,
    select_all,
    stamp,
)
from stuffctl.store.tables import TABLES
from stuffctl.vocabulary import INCIDENT_CLOSED

if TYPE_CHECKING:
    from stuffctl.store.handle import Backend

# Columns kept by stuffctl or set by their own commands (`asset retire|sell|owner|seen`);
# `asset add` / `asset edit` set (and --unset) every other one, the price as one.
KEPT = ("id", *sql.RECORD, "price_minor", "price_currency", "retired_on", "sold_minor",
        "sold_currency", "owner_id", "last_seen_on", "last_seen_at")
EDITABLE = ("price", *(c for c in TABLES["asset"].columns if c not in KEPT))
# The columns ``asset_public`` gives a place and a form of their own; any other (a new
# one) is in the JSON shape as it is stored, after them.
PUBLISHED = ("id", "uid", "name", "category", "location", "brand", "model", "serial",
             "purchased_on", "price_minor", "price_currency", "vendor", "warranty_until",
             "life_months", "status", "parent_id", "retired_on", "sold_minor", "sold_currency",
             "notes", "owner_id", "last_seen_on", "last_seen_at", "created_at", "updated_at")
AS_STORED = tuple(c for c in TABLES["asset"].columns if c not in PUBLISHED)


@dataclass
class AssetChanges:
    """What `asset add` or `asset edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    set_fields: dict[str, str] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)
    # the revision the changes were decided from (``--since``): store.sql.update
    since: int | None = None


def add_asset(*, db: Db, changes: AssetChanges) -> dict[str, Any]:
    """Add an asset; its JSON shape (docs/json.md#asset)."""
    if not (changes.values.get("name") or "").strip():
        raise InvalidInput("an asset needs a name")
    columns = _columns(db, None, changes, purchased_on=None)
    asset_id = sql.insert(db, "asset", {"status": "active", **columns})
    _set_tags_and_fields(db, asset_id, changes)
    return public(db, asset_id)


def edit_asset(*, db: Db, asset_id: int, changes: AssetChanges) -> dict[str, Any]:
    (bought,) = sql.row_or_404(db, "asset", ("purchased_on",), asset_id, "asset")
    sql.update(db, "asset", asset_id, _columns(db, asset_id, changes,
                                               purchased_on=sql.day(bought)),
               since=changes.since)
    _set_tags_and_fields(db, asset_id, changes)
    return public(db, asset_id)


def _columns(db: Db, asset_id: int | None, changes: AssetChanges,
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
    from stuffctl.dates import plus

    try:
        return plus(purchased_on or date.today(), value)
    except InvalidInput as e:
        raise InvalidInput(f"--warranty: {e.message}") from None


def _check_parent(db: Db, asset_id: int | None, parent_id: int) -> None:
    (parent,) = sql.row_or_404(db, "asset", ("id",), parent_id, "parent asset")
    seen = {asset_id}
    while parent is not None:
        if parent in seen:
            raise InvalidInput(f"--parent: asset {parent_id} is inside this asset already")
        seen.add(parent)
        row = db.execute("SELECT parent_id FROM asset WHERE id = ?", (parent,)).fetchone()
        parent = row[0] if row else None


def _set_tags_and_fields(db: Db, asset_id: int, changes: AssetChanges) -> None:
    sql.set_tags(db, "asset", asset_id, changes.add_tags, changes.remove_tags)
    db.executemany(
        db.backend.upsert("asset_field", ("asset_id", "key", "value"), key=("asset_id", "key"),
                          update=("value",)),
        [(asset_id, key, value) for key, value in changes.set_fields.items()])


def unset_field(*, db: Db, asset_id: int, key: str) -> None:
    db.execute("DELETE FROM asset_field WHERE asset_id = ? AND key = ?",
                          (asset_id, key))


def public(db: Db, asset_id: int) -> dict[str, Any]:
    """The JSON shape of asset ``asset_id`` (``asset_public``, as listed)."""
    row = sql.row_or_404(db, "asset", None, asset_id, "asset")
    return {**asset_public(row, sql.tags_of(db, "asset", [asset_id]).get(asset_id, []),
                           fields_of(db, [asset_id]).get(asset_id, {})),
            "revision": sql.revisions(db, "asset", [asset_id])[asset_id]}


def retire_asset(
    *, db: Db, asset_id: int, on: date, sold_for: Money | None = None
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


def references(db: Db, asset_id: int) -> dict[str, int]:
    """What else points at this asset, by kind (its own log's costs do not count)."""
    children, txns = db.execute(
        "SELECT (SELECT count(*) FROM asset WHERE parent_id = :id),"
        " (SELECT count(*) FROM txn WHERE asset_id = :id AND id NOT IN"
        "  (SELECT txn_id FROM event WHERE asset_id = :id AND txn_id IS NOT NULL))",
        {"id": asset_id}).fetchone()
    found = (("child asset(s)", children), ("transaction(s)", txns))
    return {kind: count for kind, count in found if count}


def remove_asset(*, db: Db, asset_id: int, force: bool = False) -> dict[str, Any]:
    """Delete an asset with its log, tags, fields and attachment records (the database's
    cascades); its children and transactions are unlinked."""
    data = public(db, asset_id)
    refs = references(db, asset_id)
    if refs and not force:
        what = ", ".join(f"{n} {k}" for k, n in refs.items())
        raise Conflict(f"asset {asset_id} is referred to by {what}; use --force to remove anyway")
    db.execute("UPDATE asset SET parent_id = NULL WHERE parent_id = ?", (asset_id,))
    db.execute("UPDATE txn SET asset_id = NULL WHERE asset_id = ?", (asset_id,))
    db.execute("DELETE FROM asset WHERE id = ?", (asset_id,))
    return data


def log_event(
    *, db: Db, asset_id: int, kind: str, on: date, cost: Money | None = None,
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
    return event_public(db.rows(f"{EVENT_ROWS} WHERE e.id = ?", (event_id,)).fetchone())


def add_attachment(
    *, db: Db, asset_id: int, filename: str, sha256: str, size: int,
    incident_id: int | None = None,
) -> dict[str, Any]:
    """Record a stored blob as attached (to one of the asset's incidents too, with
    ``incident_id``); the same content twice is one record, which an incident claims
    when no other has."""
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    found = db.execute("SELECT id, incident_id FROM attachment WHERE asset_id = ? AND "
                       "sha256 = ? ORDER BY id LIMIT 1", (asset_id, sha256)).fetchone()
    ident = found[0] if found else sql.insert(db, "attachment", {
        "asset_id": asset_id, "filename": filename, "sha256": sha256, "size": size,
        "incident_id": incident_id})
    if found and incident_id is not None and found[1] is None:
        sql.update(db, "attachment", ident, {"incident_id": incident_id})
    return _attachment(db, ident)


def _attachment(conn: Db, ident: int) -> dict[str, Any]:
    return attachment_public(conn.rows(f"{ATTACHMENT_ROWS} WHERE id = ?",
                                       (ident,)).fetchone())


def detach(*, db: Db, asset_id: int, file_id: int) -> tuple[dict[str, Any], bool]:
    """Remove an attachment record; say whether its blob is now unused."""
    owner, sha256 = sql.row_or_404(db, "attachment", ("asset_id", "sha256"), file_id,
                                   "attachment")
    if owner != asset_id:
        raise InvalidInput(f"attachment {file_id} does not belong to asset {asset_id}")
    data = _attachment(db, file_id)
    db.execute("DELETE FROM attachment WHERE id = ?", (file_id,))
    (others,) = db.execute("SELECT count(*) FROM attachment WHERE sha256 = ?",
                             (sha256,)).fetchone()
    return data, others == 0


# The listing's sort keys: a column (then the id).
SORTS = {"name": "name", "bought": "purchased_on", "price": "price_minor",
         "warranty": "warranty_until", "id": "id"}
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
    owner_id: int | None = None


def asset_public(row: Row, tags: list[str], fields: dict[str, str]) -> dict[str, Any]:
    """The one JSON shape of an asset (docs/json.md#asset), from its stored row."""
    data = {
        "id": row["id"],
        "uid": row["uid"],
        "name": row["name"],
        "category": row["category"],
        "location": row["location"],
        "tags": tags,
        "brand": row["brand"],
        "model": row["model"],
        "serial": row["serial"],
        "purchased_on": iso(day(row["purchased_on"])),
        "price": money_json(row["price_minor"], row["price_currency"]),
        "vendor": row["vendor"],
        "warranty_until": iso(day(row["warranty_until"])),
        "life_months": row["life_months"],
        "status": row["status"],
        "parent_id": row["parent_id"],
        "retired_on": iso(day(row["retired_on"])),
        "sold_for": money_json(row["sold_minor"], row["sold_currency"]),
        "fields": fields,
        "notes": row["notes"],
        "owner_id": row["owner_id"],
        "last_seen_on": iso(day(row["last_seen_on"])),
        "last_seen_at": row["last_seen_at"],
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
    }
    for column in AS_STORED:
        data[column] = row[column]
    return data



def fields_of(db: Db, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    return {asset_id: dict(pairs) for asset_id, pairs in grouped(db, FIELDS, ids).items()}


def conditions(backend: Backend, flt: AssetFilter) -> Where:
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
        where.contains(TABLES["asset"].searched, flt.search)
    if flt.ids is not None:
        where.add(f"id IN ({marks(flt.ids)})", *flt.ids)
    if flt.not_seen_since:
        where.add(f"coalesce(last_seen_on, purchased_on, {backend.date_of('created_at')}) < ?",
                  flt.not_seen_since.isoformat())
    if flt.owner_id is not None:
        where.add("owner_id = ?", flt.owner_id)
    return where


def asset_query(backend: Backend, flt: AssetFilter, *, sort: str = "name", descending: bool = False,
                limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
    """The listing's SELECT and its parameters (tests/test_query_plans.py checks that it
    uses an index)."""
    checked_sort(sort, list(SORTS))
    where = conditions(backend, flt)
    way = "DESC" if descending else "ASC"
    return paged(f"{select_all('asset')} WHERE {where.sql}"
                 f" ORDER BY {SORTS[sort]} {way} NULLS LAST, id", where.params, limit, offset)


def list_assets(
    *, db: Db, flt: AssetFilter, sort: str = "name", descending: bool = False,
    limit: int | None = None, offset: int = 0, batch: int = 500,
) -> Iterator[dict[str, Any]]:
    """Assets matching ``flt`` as JSON-ready dicts, streamed ``batch`` at a time (with
    the tags and fields of each batch in one query each)."""
    query, params = asset_query(db.backend, flt, sort=sort, descending=descending, limit=limit,
                                offset=offset)
    for rows in batches(db, query, params, batch):
        ids = [row["id"] for row in rows]
        tags, fields = sql.tags_of(db, "asset", ids), fields_of(db, ids)
        yield from (asset_public(row, tags.get(row["id"], []), fields.get(row["id"], {}))
                    for row in rows)


EVENT_ROWS = ("SELECT e.*, t.amount_minor AS cost_minor, t.currency AS cost_currency,"
              " t.id AS cost_txn_id FROM event e LEFT OUTER JOIN txn t ON e.txn_id = t.id")
EVENTS = f"{EVENT_ROWS} WHERE e.asset_id = ? ORDER BY e.occurred_on DESC, e.id DESC"
ATTACHMENT_ROWS = sql.select_all("attachment")
ATTACHMENTS = f"{ATTACHMENT_ROWS} WHERE asset_id = ? ORDER BY id"


def event_public(row: Row) -> dict[str, Any]:
    """A log entry with the cost of its linked transaction, from a row of ``EVENTS``."""
    txn_id = row["cost_txn_id"]
    return {"id": row["id"], "uid": row["uid"], "asset_id": row["asset_id"],
            "on": iso(day(row["occurred_on"])), "kind": row["kind"], "notes": row["notes"],
            "meter": row["meter"], "meter_unit": row["meter_unit"],
            "cost": (money_json(-row["cost_minor"], row["cost_currency"])
                     if txn_id is not None else None),
            "txn_id": txn_id}


def attachment_public(row: Row) -> dict[str, Any]:
    """An attached file, from a row of ``ATTACHMENTS``."""
    return {"id": row["id"], "uid": row["uid"], "asset_id": row["asset_id"],
            "filename": row["filename"], "sha256": row["sha256"], "size": row["size"],
            "incident_id": row["incident_id"], "added_at": stamp(row["created_at"])}


def list_files(*, db: Db, asset_id: int) -> list[dict[str, Any]]:
    """An asset's attachments, oldest first (NotFound for an unknown asset)."""
    row_or_404(db, "asset", ("id",), asset_id, "asset")
    return [attachment_public(row) for row in db.rows(ATTACHMENTS, (asset_id,))]


def cost_totals(db: Db, asset_id: int, price_minor: int | None,
                price_currency: str | None) -> list[dict[str, Any]]:
    """Per currency: purchase price, logged and linked costs, and their sum."""
    spent = {cur: -int(total) for cur, total in db.execute(
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


def show_asset(*, db: Db, asset_id: int, today: date) -> dict[str, Any]:
    """`asset show`: an asset with children, log, files, what it has cost so far, its
    owner, current loan and loan history."""
    from stuffctl.services import link
    from stuffctl.services.loan import LOANS, loan_public

    row = row_or_404(db, "asset", None, asset_id, "asset")
    data = public(db, asset_id)
    data["children"] = [dict(c) for c in db.rows(
        "SELECT id, name, status FROM asset WHERE parent_id = ? ORDER BY name", (asset_id,))]
    data["log"] = [event_public(e) for e in db.rows(EVENTS, (asset_id,))]
    data["attachments"] = [attachment_public(a) for a in db.rows(ATTACHMENTS, (asset_id,))]
    data["links"] = link.for_asset(db, asset_id)  # its web page too, as kind page
    data["totals"] = cost_totals(db, asset_id, row["price_minor"], row["price_currency"])
    owner = db.rows("SELECT id, name FROM person WHERE id = ?",
                      (data["owner_id"],)).fetchone() if data["owner_id"] else None
    data["owner"] = dict(owner) if owner else None
    data["loans"] = [loan_public(r, today) for r in db.rows(
        f"{LOANS} WHERE l.asset_id = ? ORDER BY l.since DESC, l.id DESC", (asset_id,))]
    data["loan"] = next((lo for lo in data["loans"] if lo["open"]), None)
    data["incidents"] = incidents_of(db, asset_id)
    from stuffctl.services.advice import for_asset  # repair or replace

    data["advice"] = for_asset(db=db, asset_id=asset_id, today=today)
    return data


# An asset's incidents: the open ones (not fixed or given up on), and what all cost.
OPEN_INCIDENTS = ("SELECT id, symptom, status, started_on, out_of_use FROM incident WHERE"
                  f" asset_id = ? AND status NOT IN {sql.literals(INCIDENT_CLOSED)}"
                  " ORDER BY started_on, id")
REPAIR_COST = ("SELECT t.currency, -sum(t.amount_minor) FROM txn t WHERE t.id IN"
               " (SELECT it.txn_id FROM incident_txn it JOIN incident i ON"
               " i.id = it.incident_id WHERE i.asset_id = ?) GROUP BY t.currency"
               " ORDER BY t.currency")


def incidents_of(db: Db, asset_id: int) -> dict[str, Any]:
    """`asset show`'s incidents: the open ones, how many are closed, and what the
    transactions linked to any of them cost, per currency (docs/json.md#asset-show)."""
    opened = [{"id": r["id"], "symptom": r["symptom"], "status": r["status"],
               "started_on": iso(day(r["started_on"])), "out_of_use": bool(r["out_of_use"])}
              for r in db.rows(OPEN_INCIDENTS, (asset_id,))]
    closed = db.one(f"SELECT count(*) FROM incident WHERE asset_id = ? AND status IN "
                    f"{sql.literals(INCIDENT_CLOSED)}", (asset_id,))
    cost = [money_json(int(minor), currency)
            for currency, minor in db.execute(REPAIR_COST, (asset_id,))]
    return {"open": opened, "closed": int(closed), "repair_cost": cost}


def set_owner(*, db: Db, asset_id: int, person: str | None) -> dict[str, Any]:
    """Make ``person`` (id or name) the asset's owner, or clear it with None."""
    from stuffctl.services.lookup import resolve

    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    owner = resolve(db, "person", person, "PERSON") if person else None
    sql.update(db, "asset", asset_id, {"owner_id": owner})
    return public(db, asset_id)


def mark_seen(*, db: Db, asset_id: int, on: date, at: str | None) -> dict[str, Any]:
    """Stocktake: the asset was seen on ``on`` (at a place, if given); the asset's JSON
    shape."""
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    columns: dict[str, Any] = {"last_seen_on": on}
    if at is not None:
        columns["last_seen_at"] = at.strip() or None
    sql.update(db, "asset", asset_id, columns)
    return public(db, asset_id)

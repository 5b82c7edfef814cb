"""Stock items and their moves: add, edit, remove; use, buy, count; the JSON shapes of
an item and a move, `stock list` and `stock show`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.clock import utcnow
from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.services.stock.quantity import MAX_MILLI, amount, checked, format_quantity
from stuffctl.services.stock.usage import (
    MONTH_DAYS,
    Usage,
    low_on,
    runs_out,
    status,
    usages,
)
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import Where, day, iso, marks, stamp
from stuffctl.store.tables import TABLES


@dataclass
class ItemFields:
    """What `stock add` sets (quantities in thousandths, the asset resolved)."""

    name: str
    unit: str | None = None
    quantity_milli: int = 0
    reorder_milli: int | None = None
    buy_milli: int | None = None
    lead_days: int | None = None
    asset_id: int | None = None
    category: str | None = None
    vendor: str | None = None
    notes: str | None = None


EDITABLE = ("name", "unit", "reorder_milli", "buy_milli", "lead_days", "asset_id",
            "category", "vendor", "notes")


def _clean(db: Db, values: dict[str, Any], item_id: int | None) -> dict[str, Any]:
    """``values`` checked, text trimmed (empty: none); a name must be new."""
    found: dict[str, Any] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise InvalidInput(f"a stock item has no {key!r}")
        found[key] = (value.strip() or None) if isinstance(value, str) else value
    if "name" in found:
        if not found["name"]:
            raise InvalidInput("NAME: a stock item needs a name")
        same = db.one("SELECT id FROM stock_item WHERE lower(name) = lower(?) AND id != ?",
                      (found["name"], item_id or 0))
        if same is not None:
            raise Conflict(f"a stock item called {found['name']!r} exists already (id "
                           f"{same})")
    checked("--reorder", found.get("reorder_milli"), zero=True)
    checked("--buy", found.get("buy_milli"), zero=False)
    lead = found.get("lead_days")
    if lead is not None and not 0 <= lead <= 3660:
        raise InvalidInput(f"--lead: expected 0 to 3660 days (got {lead})")
    if found.get("asset_id") is not None:
        sql.row_or_404(db, "asset", ("id",), found["asset_id"], "asset")
    return found


def add_item(*, db: Db, fields: ItemFields, today: date) -> dict[str, Any]:
    """Add a stock item; a starting quantity is recorded as a ``count`` move today.
    Its JSON shape with that move (docs/json.md#stock-item)."""
    values = {k: getattr(fields, k) for k in EDITABLE}
    columns = _clean(db, values, None)
    checked("--qty", fields.quantity_milli, zero=True)
    item_id = sql.insert(db, "stock_item", {**columns, "quantity_milli": 0})
    moves = []
    if fields.quantity_milli:
        moves.append(_move(db, item_id, "count", fields.quantity_milli, today,
                           notes="starting quantity"))
        _add(db, item_id, fields.quantity_milli)
    return show(db, item_id, today, moves=moves)


def edit_item(*, db: Db, item_id: int, values: dict[str, Any], today: date,
              since: int | None = None) -> dict[str, Any]:
    """Change what describes an item (None or empty text clears a field); its quantity
    changes only by moves."""
    sql.row_or_404(db, "stock_item", ("id",), item_id, "stock item")
    columns = _clean(db, values, item_id)
    if columns:
        sql.update(db, "stock_item", item_id, columns, since=since)
    return show(db, item_id, today)


def remove_item(*, db: Db, item_id: int, today: date) -> dict[str, Any]:
    """Delete an item and its moves; the transactions of its purchases stay."""
    data = show(db, item_id, today)
    db.execute("DELETE FROM stock_item WHERE id = ?", (item_id,))
    return data


# -- moves -----------------------------------------------------------------------------

def _move(db: Db, item_id: int, kind: str, delta: int, on: date, *, txn_id: int | None = None,
          notes: str | None = None) -> int:
    return sql.insert(db, "stock_move", {"item_id": item_id, "occurred_on": on, "kind": kind,
                                         "delta_milli": delta, "txn_id": txn_id,
                                         "notes": (notes or "").strip() or None})


def _stamped(db: Db, assignment: str, values: tuple[Any, ...], condition: str,
             item_id: int, bound: int) -> bool:
    """``UPDATE stock_item SET assignment … WHERE id = item_id AND condition`` (``values``
    for the assignment's placeholders, ``bound`` for the condition's): whether it changed
    the row, by its row count. The check and the change are one statement, so another
    writer cannot slip between them."""
    cursor = db.execute(
        f"UPDATE stock_item SET {assignment}, updated_at = ?, updated_by = ? "
        f"WHERE id = ? AND {condition}",
        (*values, sql.moment(utcnow()), sql.who(db)[1], item_id, bound))
    return cursor.rowcount == 1


def _add(db: Db, item_id: int, delta: int) -> None:
    """Add ``delta`` (> 0) to the quantity, or InvalidInput past the largest there is."""
    if not _stamped(db, "quantity_milli = quantity_milli + ?", (delta,), "quantity_milli <= ?",
                    item_id, MAX_MILLI - delta):
        _quantity(db, item_id)  # NotFound for an item removed meanwhile
        raise InvalidInput(f"that would make more than {format_quantity(MAX_MILLI)}")


def _take(db: Db, item_id: int, milli: int) -> bool:
    """Take ``milli`` from the quantity if there is that much: never below zero."""
    return _stamped(db, "quantity_milli = quantity_milli - ?", (milli,), "quantity_milli >= ?",
                    item_id, milli)


def _quantity(db: Db, item_id: int) -> int:
    (quantity,) = sql.row_or_404(db, "stock_item", ("quantity_milli",), item_id, "stock item")
    return int(quantity)


def _replace(db: Db, item_id: int, was: int, now: int) -> None:
    """Set the quantity to ``now`` if it is still ``was``; Conflict if it moved meanwhile."""
    if not _stamped(db, "quantity_milli = ?", (now,), "quantity_milli = ?", item_id, was):
        raise Conflict(f"stock item {item_id} changed meanwhile; nothing was changed, "
                       "try again")


def use(*, db: Db, item_id: int, qty: int, on: date, today: date, notes: str | None = None,
        force: bool = False) -> dict[str, Any]:
    """Take ``qty`` from stock as a ``use`` move. More than there is: InvalidInput saying
    how much there is; with ``force``, a ``count`` move first adds what was missing (the
    stock was short of what was really there), so the use empties it and the quantity
    stays the sum of the moves."""
    checked("QTY", qty, zero=False)
    moves = []
    if not _take(db, item_id, qty):
        have = _quantity(db, item_id)
        (name, unit) = sql.row_or_404(db, "stock_item", ("name", "unit"), item_id, "stock item")
        if not force:
            raise InvalidInput(
                f"only {amount(have, unit)} of {name} in stock (asked for "
                f"{amount(qty, unit)}); record a purchase first, or --force to take it "
                "anyway (the missing part is counted in and the stock becomes 0)")
        _replace(db, item_id, have, 0)
        moves.append(_move(db, item_id, "count", qty - have, on,
                           notes=f"--force: {amount(qty - have, unit)} more than recorded"))
    moves.append(_move(db, item_id, "use", -qty, on, notes=notes))
    return show(db, item_id, today, moves=moves)


def buy(*, db: Db, item_id: int, qty: int, on: date | None, today: date,
        txn_id: int | None = None, notes: str | None = None) -> dict[str, Any]:
    """Add ``qty`` bought on ``on`` (None: the transaction's date, else today) as a
    ``buy`` move, linked to its transaction ``txn_id``."""
    checked("QTY", qty, zero=False)
    if txn_id is not None:
        (paid,) = sql.row_or_404(db, "txn", ("occurred_on",), txn_id, "transaction")
        on = on or day(paid)
    on = on or today
    _add(db, item_id, qty)
    move = _move(db, item_id, "buy", qty, on, txn_id=txn_id, notes=notes)
    return show(db, item_id, today, moves=[move])


def count(*, db: Db, item_id: int, qty: int, on: date, today: date,
          notes: str | None = None) -> dict[str, Any]:
    """A stock take: there are ``qty``. The difference is recorded as a ``count`` move
    (zero too: the count is history)."""
    checked("QTY", qty, zero=True)
    have = _quantity(db, item_id)
    _replace(db, item_id, have, qty)
    move = _move(db, item_id, "count", qty - have, on, notes=notes)
    return show(db, item_id, today, moves=[move])


# -- the JSON shapes -------------------------------------------------------------------

ITEMS = ("SELECT " + ", ".join(f"i.{c}" for c in TABLES["stock_item"].columns)
         + ", a.name AS asset_name FROM stock_item i LEFT JOIN asset a ON a.id = i.asset_id")


def item_public(row: Row, usage: Usage | None, today: date, revision: int) -> dict[str, Any]:
    """The one JSON shape of a stock item (docs/json.md#stock-item), from a row of ``ITEMS``."""
    quantity, reorder = row["quantity_milli"], row["reorder_milli"]
    low = low_on(quantity, reorder, row["lead_days"], usage, today)
    return {
        "id": row["id"], "uid": row["uid"], "name": row["name"], "unit": row["unit"],
        "quantity": format_quantity(quantity), "reorder": format_quantity(reorder),
        "buy": format_quantity(row["buy_milli"]), "lead_days": row["lead_days"],
        "per_week": usage.per(7) if usage else None,
        "per_month": usage.per(MONTH_DAYS) if usage else None,
        "runs_out_on": iso(runs_out(quantity, usage, today)), "low_on": iso(low),
        "status": status(quantity, low, today),
        "asset_id": row["asset_id"], "asset_name": row["asset_name"],
        "category": row["category"], "vendor": row["vendor"], "notes": row["notes"],
        "revision": revision, "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
    }


def move_public(row: Row) -> dict[str, Any]:
    """The JSON shape of a stock move (docs/json.md#stock-move), from its stored row."""
    return {"id": row["id"], "uid": row["uid"], "on": iso(day(row["occurred_on"])),
            "kind": row["kind"], "delta": format_quantity(row["delta_milli"]),
            "txn_id": row["txn_id"], "notes": row["notes"],
            "created_at": stamp(row["created_at"]), "created_by": row["created_by"]}


def items_of(db: Db, where: Where, today: date) -> list[tuple[Row, Usage | None]]:
    """The rows of ``ITEMS`` matching ``where``, by name, each with its use rate."""
    rows = db.rows(f"{ITEMS} WHERE {where.sql} ORDER BY lower(i.name), i.id",
                   where.params).fetchall()
    rates = usages(db, [int(r["id"]) for r in rows], today)
    return [(r, rates.get(r["id"])) for r in rows]


def _publish(db: Db, found: list[tuple[Row, Usage | None]], today: date
             ) -> list[dict[str, Any]]:
    revisions = sql.revisions(db, "stock_item", [int(r["id"]) for r, _ in found])
    return [item_public(r, usage, today, revisions[r["id"]]) for r, usage in found]


def show(db: Db, item_id: int, today: date, *, moves: list[int] | None = None
         ) -> dict[str, Any]:
    """An item with its moves: all of them, oldest first (`stock show`), or those of
    ``moves`` (what a write recorded)."""
    where = Where()
    where.add("i.id = ?", item_id)
    found = items_of(db, where, today)
    if not found:
        raise NotFound(f"no stock item with id {item_id}")
    which = "item_id = ?" if moves is None else f"id IN ({marks(moves)})"
    rows = db.rows(f"{sql.select_all('stock_move')} WHERE {which} ORDER BY occurred_on, id",
                   (item_id,) if moves is None else tuple(moves))
    return {**_publish(db, found, today)[0], "moves": [move_public(m) for m in rows]}


def _filter(category: str | None, vendor: str | None, asset_id: int | None) -> Where:
    where = Where()
    if category is not None:
        where.under("i.category", category)
    if vendor is not None:
        where.add("lower(i.vendor) = lower(?)", vendor)
    if asset_id is not None:
        where.add("i.asset_id = ?", asset_id)
    return where


def list_items(*, db: Db, today: date, low: bool = False, category: str | None = None,
               vendor: str | None = None, asset_id: int | None = None
               ) -> list[dict[str, Any]]:
    """Stock items by name; ``low``: only those low or out."""
    items = _publish(db, items_of(db, _filter(category, vendor, asset_id), today), today)
    return [i for i in items if i["status"] != "ok"] if low else items

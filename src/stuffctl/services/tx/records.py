"""Transactions: add, show, edit, remove, and `tx list` in every format with its
totals and spending per category, in plain SQL (``store.sql``); the one JSON shape
of a transaction.

Sign convention: ``amount_minor`` < 0 is money out, > 0 money in. Totals are
always per currency: amounts in different currencies never sum together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.money import Money, money_json
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import (
    Where,
    batches,
    checked_sort,
    day,
    iso,
    paged,
    select_all,
    stamp,
)

# The listing's sort keys: a column (then the id, in the same direction).
SORTS = {"date": "occurred_on", "amount": "amount_minor", "payee": "payee",
         "category": "category", "id": None}
# A listing leaves out the imported CSV line (shown by no command), for speed.
SELECT = select_all("txn", leave_out=("import_line",))


@dataclass
class TxnFilter:
    start: date | None = None  # inclusive
    end: date | None = None  # exclusive
    category: str | None = None
    account: str | None = None
    payee: str | None = None
    asset_id: int | None = None
    project_id: int | None = None
    tag: str | None = None
    min_minor: int | None = None  # on the absolute amount
    max_minor: int | None = None
    search: str | None = None
    currency: str | None = None


def txn_public(row: Row, tags: list[str]) -> dict[str, Any]:
    """The one JSON shape of a transaction (docs/json.md#tx), from its stored row."""
    return {
        "id": row["id"],
        "uid": row["uid"],
        "on": iso(day(row["occurred_on"])),
        "amount": money_json(row["amount_minor"], row["currency"]),
        "payee": row["payee"],
        "category": row["category"],
        "account": row["account"],
        "memo": row["memo"],
        "tags": tags,
        "asset_id": row["asset_id"],
        "project_id": row["project_id"],
        "subscription_id": row["subscription_id"],
        "imported": row["fingerprint"] is not None,
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"],
        "updated_by": row["updated_by"],
    }


def show_txn(*, db: Db, txn_id: int) -> dict[str, Any]:
    """A transaction with the name of its asset and subscription (`tx show`)."""
    data = show(db, txn_id)
    for table, key in (("asset", "asset_id"), ("subscription", "subscription_id")):
        found = db.execute(f"SELECT name FROM {table} WHERE id = ?",
                             (data[key],)).fetchone() if data[key] else None
        data[f"{table}_name"] = found[0] if found else None
    return data



def conditions(flt: TxnFilter) -> Where:
    """The WHERE clause of a filter, shared by listings and totals."""
    where = Where()
    if flt.start is not None:
        where.add("occurred_on >= ?", flt.start.isoformat())
    if flt.end is not None:
        where.add("occurred_on < ?", flt.end.isoformat())
    if flt.account is not None:
        where.under("account", flt.account)
    if flt.category is not None:
        where.under("category", flt.category)
    for column, value in (("asset_id", flt.asset_id), ("project_id", flt.project_id),
                          ("currency", flt.currency)):
        if value is not None:
            where.add(f"{column} = ?", value)
    if flt.min_minor is not None:
        where.add("abs(amount_minor) >= ?", flt.min_minor)
    if flt.max_minor is not None:
        where.add("abs(amount_minor) <= ?", flt.max_minor)
    if flt.payee:
        where.contains(("payee",), flt.payee)
    if flt.tag:
        where.add("id IN (SELECT txn_id FROM txn_tag WHERE tag = ?)", flt.tag)
    if flt.search:
        where.contains(("payee", "memo", "category", "account"), flt.search)
    return where


def txn_query(flt: TxnFilter, *, sort: str = "date", descending: bool = False,
              limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
    """The listing's SELECT and its parameters (tests/test_query_plans.py checks that it
    uses an index)."""
    checked_sort(sort, list(SORTS))
    where = conditions(flt)
    # Dates, amounts and ids are never NULL: plain ASC/DESC with the id in the same
    # direction lets SQLite walk the index instead of sorting a million rows.
    way = "DESC" if descending else "ASC"
    order = [f"{c} {way}" for c in (SORTS[sort], "id") if c]
    if sort in ("payee", "category"):
        order[0] += " NULLS LAST"
    return paged(f"{SELECT} WHERE {where.sql}"
                 f" ORDER BY {', '.join(order)}", where.params, limit, offset)


def list_txns(
    *, db: Db, flt: TxnFilter, sort: str = "date", descending: bool = False,
    limit: int | None = None, offset: int = 0, batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Transactions matching ``flt`` as JSON-ready dicts, streamed ``batch`` at a time
    (with the tags of each batch in one query)."""
    query, params = txn_query(flt, sort=sort, descending=descending, limit=limit,
                              offset=offset)
    for rows in batches(db, query, params, batch):
        tags = sql.tags_of(db, "txn", [row["id"] for row in rows])
        yield from (txn_public(row, tags.get(row["id"], [])) for row in rows)


# money in and money out (positive) of each row
IN = "sum(CASE WHEN amount_minor > 0 THEN amount_minor ELSE 0 END)"
OUT = "sum(CASE WHEN amount_minor < 0 THEN -amount_minor ELSE 0 END)"
TOTALS = (f"SELECT currency, count(*), {IN}, {OUT}, sum(amount_minor) FROM txn"
          " WHERE {where} GROUP BY currency ORDER BY currency")


def totals(*, db: Db, flt: TxnFilter) -> list[dict[str, Any]]:
    """Per currency: count, money in, money out (positive) and net, as one SQL aggregate."""
    where = conditions(flt)
    rows = db.execute(TOTALS.format(where=where.sql), where.params)
    return [{"currency": cur, "count": n, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(net), cur)}
            for cur, n, i, o, net in rows]


def project_spend(*, db: Db, project_id: int) -> list[dict[str, Any]]:
    """What has been spent on a project so far: the totals of its transactions."""
    return totals(db=db, flt=TxnFilter(project_id=project_id))


# Spend by category and currency in [start, end): answered from ix_txn_spend alone.
SPEND = (f"SELECT category, currency, count(*), {OUT}, {IN}, sum(amount_minor) FROM txn"
         " WHERE occurred_on >= ? AND occurred_on < ?"
         " GROUP BY category, currency ORDER BY category NULLS LAST, currency")


def spend_by_category(*, db: Db, start: date, end: date) -> list[dict[str, Any]]:
    """Per category and currency in [start, end): count, out (positive), in and net."""
    rows = db.execute(SPEND, (start.isoformat(), end.isoformat()))
    return [{"category": cat, "currency": cur, "count": n, "out": money_json(int(o), cur),
             "in": money_json(int(i), cur), "net": money_json(int(net), cur)}
            for cat, cur, n, o, i, net in rows]


EDITABLE = ("occurred_on", "amount", "payee", "category", "account", "memo", "asset_id",
            "project_id")


@dataclass
class TxnChanges:
    """What `tx add` / `tx edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)
    # the revision the changes were decided from (``--since``): store.sql.update
    since: int | None = None
    # the amount was typed without a sign and without --in/--out: `tx add` gives it the
    # direction of its category's kind, `tx edit` the transaction's own (``signed``)
    unsigned: bool = False
    # `tx add --stock`: (stock item id, quantity in thousandths) the purchase adds to
    # stock; without a sign or category, the amount is money out
    stock: tuple[int, int] | None = None


def check_project(db: Db, project_id: int) -> None:
    if project_id < 1:
        raise InvalidInput(f"--project: not a project id: {project_id}")
    sql.row_or_404(db, "project", ("id",), project_id, "project")


def add_txn(*, db: Db, changes: TxnChanges) -> dict[str, Any]:
    """Add a transaction; its JSON shape (docs/json.md#transaction)."""
    if "amount" not in changes.values or "occurred_on" not in changes.values:
        raise InvalidInput("a transaction needs an amount and a date")
    if changes.unsigned:
        from stuffctl.services.category import kind_of

        category = (changes.values.get("category") or "").strip()
        kind = kind_of(db, category) if category else None
        changes = _directed(changes, kind or ("expense" if changes.stock else None))
    if changes.stock is not None and changes.values["amount"].minor > 0:
        raise InvalidInput("--stock: a purchase is money out, and this amount is money in")
    txn_id = sql.insert(db, "txn", _columns(db, changes))
    sql.set_tags(db, "txn", txn_id, changes.add_tags, changes.remove_tags)
    if changes.stock is not None:
        from stuffctl.services.stock.items import buy

        item_id, qty = changes.stock
        on = changes.values["occurred_on"]
        buy(db=db, item_id=item_id, qty=qty, on=on, today=on, txn_id=txn_id)
    return show(db, txn_id)


def edit_txn(*, db: Db, txn_id: int, changes: TxnChanges) -> dict[str, Any]:
    row = sql.row_or_404(db, "txn", ("id", "amount_minor"), txn_id, "transaction")
    if changes.unsigned and "amount" in changes.values:
        changes = _directed(changes, "expense" if row["amount_minor"] < 0 else "income")
    sql.update(db, "txn", txn_id, _columns(db, changes), since=changes.since)
    sql.set_tags(db, "txn", txn_id, changes.add_tags, changes.remove_tags)
    return show(db, txn_id)


def _directed(changes: TxnChanges, kind: str | None) -> TxnChanges:
    """``changes`` with its unsigned amount in the direction of ``kind`` (``signed``)."""
    amount = signed(changes.values["amount"], typed=False, kind=kind)
    return replace(changes, values={**changes.values, "amount": amount}, unsigned=False)


def _columns(db: Db, changes: TxnChanges) -> dict[str, Any]:
    """The columns ``changes`` sets, its links checked."""
    columns: dict[str, Any] = {}
    for name in changes.unset:
        if name not in EDITABLE or name in ("occurred_on", "amount"):
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        columns[name] = None
    values = changes.values
    if values.get("asset_id") is not None:
        sql.row_or_404(db, "asset", ("id",), values["asset_id"], "asset")
    if values.get("project_id") is not None:
        check_project(db, values["project_id"])
    for name, value in values.items():
        if name == "amount":
            columns["amount_minor"], columns["currency"] = value.minor, value.currency
        elif name not in EDITABLE:
            raise InvalidInput(f"a transaction has no {name!r}")
        else:
            columns[name] = value.strip() or None if isinstance(value, str) else value
    return columns


def show(db: Db, txn_id: int) -> dict[str, Any]:
    """The JSON shape of transaction ``txn_id`` (``txn_public``, as listed)."""
    row = sql.row_or_404(db, "txn", None, txn_id, "transaction")
    return {**txn_public(row, sql.tags_of(db, "txn", [txn_id]).get(txn_id, [])),
            "revision": sql.revisions(db, "txn", [txn_id])[txn_id]}


def remove_txn(*, db: Db, txn_id: int) -> dict[str, Any]:
    data = show(db, txn_id)
    db.execute("DELETE FROM txn WHERE id = ?", (txn_id,))
    return data


def signed(amount: Money, *, money_in: bool = False, money_out: bool = False,
           typed: bool = True, kind: str | None = None) -> Money:
    """The amount in its direction: ``--in``/``--out`` fix it whatever was typed; else a
    sign typed with it (``typed``: ``money.has_sign``) stands; else ``kind`` decides,
    ``expense`` money out and ``income`` money in (None: as it is, positive is money in)."""
    if money_in and money_out:
        raise InvalidInput("--in and --out contradict each other")
    if not (money_in or money_out) and (typed or kind is None):
        return amount
    out = money_out or (not money_in and kind == "expense")
    return Money(-abs(amount.minor) if out else abs(amount.minor), amount.currency)

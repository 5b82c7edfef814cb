"""Listing transactions in plain SQL (``services.sql``): `tx list` in every format,
its totals, spending per category, and the one JSON shape of a transaction.

Sign convention: ``amount_minor`` < 0 is money out, > 0 money in. Totals are
always per currency: amounts in different currencies never sum together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.money import money_json
from stuffctl.services.sql import (
    Where,
    batches,
    checked_sort,
    day,
    dbapi,
    grouped,
    iso,
    paged,
    row_or_404,
    stamp,
)

# The listing's sort keys: a column (then the id, in the same direction).
SORTS = {"date": "occurred_on", "amount": "amount_minor", "payee": "payee",
         "category": "category", "id": None}
COLUMNS = ("id", "uid", "occurred_on", "amount_minor", "currency", "payee", "category",
           "account", "memo", "asset_id", "project_id", "subscription_id", "fingerprint",
           "created_at", "updated_at")
TAGS = "SELECT txn_id, tag FROM txn_tag WHERE txn_id IN ({ids}) ORDER BY tag"


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


def txn_public(row: Sequence[Any], tags: list[str]) -> dict[str, Any]:
    """The one JSON shape of a transaction (docs/json.md#tx), from its ``COLUMNS``
    (as stored, or as a model's attributes)."""
    (ident, uid, on, minor, currency, payee, category, account, memo, asset_id, project_id,
     subscription_id, fingerprint, created_at, updated_at) = row
    return {
        "id": ident,
        "uid": uid,
        "on": iso(day(on)),
        "amount": money_json(minor, currency),
        "payee": payee,
        "category": category,
        "account": account,
        "memo": memo,
        "tags": tags,
        "asset_id": asset_id,
        "project_id": project_id,
        "subscription_id": subscription_id,
        "imported": fingerprint is not None,
        "created_at": stamp(created_at),
        "updated_at": stamp(updated_at),
    }


def show_txn(*, db: Any, txn_id: int) -> dict[str, Any]:
    """A transaction with the name of its asset and subscription (`tx show`)."""
    conn = dbapi(db)
    row = row_or_404(conn, "txn", COLUMNS, txn_id, "transaction")
    data = txn_public(row, tags_of(conn, [txn_id]).get(txn_id, []))
    for table, key in (("asset", "asset_id"), ("subscription", "subscription_id")):
        found = conn.execute(f"SELECT name FROM {table} WHERE id = ?",
                             (data[key],)).fetchone() if data[key] else None
        data[f"{table}_name"] = found[0] if found else None
    return data


def tags_of(db: Any, ids: Sequence[int]) -> dict[int, list[str]]:
    return grouped(db, TAGS, ids)


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
    return paged(f"SELECT {', '.join(COLUMNS)} FROM txn WHERE {where.sql}"
                 f" ORDER BY {', '.join(order)}", where.params, limit, offset)


def list_txns(
    *, db: Any, flt: TxnFilter, sort: str = "date", descending: bool = False,
    limit: int | None = None, offset: int = 0, batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Transactions matching ``flt`` as JSON-ready dicts, streamed ``batch`` at a time
    (with the tags of each batch in one query)."""
    conn = dbapi(db)
    sql, params = txn_query(flt, sort=sort, descending=descending, limit=limit, offset=offset)
    for rows in batches(conn, sql, params, batch):
        tags = tags_of(conn, [row[0] for row in rows])
        yield from (txn_public(row, tags.get(row[0], [])) for row in rows)


TOTALS = ("SELECT currency, count(*), sum(max(amount_minor, 0)), sum(max(-amount_minor, 0)),"
          " sum(amount_minor) FROM txn WHERE {where} GROUP BY currency ORDER BY currency")


def totals(*, db: Any, flt: TxnFilter) -> list[dict[str, Any]]:
    """Per currency: count, money in, money out (positive) and net, as one SQL aggregate."""
    where = conditions(flt)
    rows = dbapi(db).execute(TOTALS.format(where=where.sql), where.params)
    return [{"currency": cur, "count": n, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(net), cur)}
            for cur, n, i, o, net in rows]


def project_spend(*, db: Any, project_id: int) -> list[dict[str, Any]]:
    """What has been spent on a project so far: the totals of its transactions."""
    return totals(db=db, flt=TxnFilter(project_id=project_id))


# Spend by category and currency in [start, end): answered from ix_txn_spend alone.
SPEND = ("SELECT category, currency, count(*), sum(max(-amount_minor, 0)),"
         " sum(max(amount_minor, 0)), sum(amount_minor) FROM txn"
         " WHERE occurred_on >= ? AND occurred_on < ?"
         " GROUP BY category, currency ORDER BY category NULLS LAST, currency")


def spend_by_category(*, db: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Per category and currency in [start, end): count, out (positive), in and net."""
    rows = dbapi(db).execute(SPEND, (start.isoformat(), end.isoformat()))
    return [{"category": cat, "currency": cur, "count": n, "out": money_json(int(o), cur),
             "in": money_json(int(i), cur), "net": money_json(int(net), cur)}
            for cat, cur, n, o, i, net in rows]

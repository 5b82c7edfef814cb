"""Transactions: add, show, edit, remove.

Sign convention: ``amount_minor`` < 0 is money out, > 0 money in. Listing them,
their totals and spending per category are ``services.txn_list`` (plain SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.money import Money
from stuffctl.services import sql, txn_list

EDITABLE = ("occurred_on", "amount", "payee", "category", "account", "memo", "asset_id",
            "project_id")


@dataclass
class TxnChanges:
    """What `tx add` / `tx edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)


def check_project(db: Any, project_id: int) -> None:
    if project_id < 1:
        raise InvalidInput(f"--project: not a project id: {project_id}")
    sql.row_or_404(db, "project", ("id",), project_id, "project")


def add_txn(*, db: Any, changes: TxnChanges) -> dict[str, Any]:
    """Add a transaction; its JSON shape (docs/json.md#transaction)."""
    if "amount" not in changes.values or "occurred_on" not in changes.values:
        raise InvalidInput("a transaction needs an amount and a date")
    txn_id = sql.insert(db, "txn", _columns(db, changes))
    sql.set_tags(db, "txn_tag", "txn_id", txn_id, changes.add_tags, changes.remove_tags)
    return show(db, txn_id)


def edit_txn(*, db: Any, txn_id: int, changes: TxnChanges) -> dict[str, Any]:
    sql.row_or_404(db, "txn", ("id",), txn_id, "transaction")
    sql.update(db, "txn", txn_id, _columns(db, changes))
    sql.set_tags(db, "txn_tag", "txn_id", txn_id, changes.add_tags, changes.remove_tags)
    return show(db, txn_id)


def _columns(db: Any, changes: TxnChanges) -> dict[str, Any]:
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


def show(db: Any, txn_id: int) -> dict[str, Any]:
    """The JSON shape of transaction ``txn_id`` (``txn_list.txn_public``, as listed)."""
    row = sql.row_or_404(db, "txn", txn_list.COLUMNS, txn_id, "transaction")
    return txn_list.txn_public(row, txn_list.tags_of(db, [txn_id]).get(txn_id, []))


def remove_txn(*, db: Any, txn_id: int) -> dict[str, Any]:
    data = show(db, txn_id)
    sql.dbapi(db).execute("DELETE FROM txn WHERE id = ?", (txn_id,))
    return data


def signed(amount: Money, *, money_in: bool, money_out: bool) -> Money:
    """Apply ``--in``/``--out``: they fix the sign whatever was typed."""
    if money_in and money_out:
        raise InvalidInput("--in and --out contradict each other")
    if money_out:
        return Money(-abs(amount.minor), amount.currency)
    if money_in:
        return Money(abs(amount.minor), amount.currency)
    return amount

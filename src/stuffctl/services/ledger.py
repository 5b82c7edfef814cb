"""Transactions: add, show, edit, remove.

Sign convention: ``amount_minor`` < 0 is money out, > 0 money in. Listing them,
their totals and spending per category are ``services.txn_list`` (plain SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from stuffctl.errors import InvalidInput
from stuffctl.models import Txn, TxnTag
from stuffctl.money import Money
from stuffctl.services import txn_list
from stuffctl.services.common import get_or_404, touch
from stuffctl.services.sql import row_or_404

EDITABLE = ("occurred_on", "amount", "payee", "category", "account", "memo", "asset_id",
            "project_id")


@dataclass
class TxnChanges:
    """What `tx add` / `tx edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)


def check_project(session: Session, project_id: int) -> None:
    if project_id < 1:
        raise InvalidInput(f"--project: not a project id: {project_id}")
    row_or_404(session, "project", ("id",), project_id, "project")


def _check_links(session: Session, values: dict[str, Any]) -> None:
    if values.get("asset_id") is not None:
        row_or_404(session, "asset", ("id",), values["asset_id"], "asset")
    if values.get("project_id") is not None:
        check_project(session, values["project_id"])


def add_txn(*, session: Session, changes: TxnChanges) -> Txn:
    values = changes.values
    if "amount" not in values or "occurred_on" not in values:
        raise InvalidInput("a transaction needs an amount and a date")
    txn = Txn(occurred_on=values["occurred_on"], amount_minor=0, currency="XXX")
    _apply(session, txn, changes)
    session.add(txn)
    session.flush()
    _set_tags(session, txn, changes)
    return txn


def edit_txn(*, session: Session, txn_id: int, changes: TxnChanges) -> Txn:
    txn = get_or_404(session, Txn, txn_id, "transaction")
    _apply(session, txn, changes)
    touch(txn)
    session.flush()
    _set_tags(session, txn, changes)
    return txn


def _apply(session: Session, txn: Txn, changes: TxnChanges) -> None:
    for name in changes.unset:
        if name not in EDITABLE or name in ("occurred_on", "amount"):
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        setattr(txn, name, None)
    _check_links(session, changes.values)
    for name, value in changes.values.items():
        if name == "amount":
            txn.amount_minor, txn.currency = value.minor, value.currency
        else:
            setattr(txn, name, value.strip() or None if isinstance(value, str) else value)


def _set_tags(session: Session, txn: Txn, changes: TxnChanges) -> None:
    assert txn.id is not None
    if changes.remove_tags:
        session.execute(delete(TxnTag).where(col(TxnTag.txn_id) == txn.id,
                                             col(TxnTag.tag).in_(changes.remove_tags)))
    have = set(txn_list.tags_of(session, [txn.id]).get(txn.id, []))
    for tag in dict.fromkeys(t.strip() for t in changes.add_tags):
        if not tag:
            raise InvalidInput("--tag: a tag cannot be empty")
        if tag not in have:
            session.add(TxnTag(txn_id=txn.id, tag=tag))
    session.flush()


def public(session: Session, txn: Txn) -> dict[str, Any]:
    """The JSON shape of ``txn`` (``txn_list.txn_public``, shared with the listing)."""
    assert txn.id is not None
    return txn_list.txn_public([getattr(txn, c) for c in txn_list.COLUMNS],
                               txn_list.tags_of(session, [txn.id]).get(txn.id, []))


def remove_txn(*, session: Session, txn_id: int) -> dict[str, Any]:
    txn = get_or_404(session, Txn, txn_id, "transaction")
    data = public(session, txn)
    session.delete(txn)
    session.flush()
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

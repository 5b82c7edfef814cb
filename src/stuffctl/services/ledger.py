"""Transactions: add, list, show, edit, remove; totals and spending per category.

Sign convention: ``amount_minor`` < 0 is money out, > 0 money in. Totals are
always per currency: amounts in different currencies never sum together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, delete, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from stuffctl.errors import InvalidInput
from stuffctl.models import Txn, TxnTag
from stuffctl.money import Money
from stuffctl.services.common import (
    get_or_404,
    iso,
    like_escape,
    money_json,
    stream_published,
    touch,
)

EDITABLE = ("occurred_on", "amount", "payee", "category", "account", "memo", "asset_id",
            "project_id")
SORTS = {
    "date": (Txn.occurred_on,),
    "amount": (Txn.amount_minor,),
    "payee": (Txn.payee,),
    "category": (Txn.category,),
    "id": (),
}


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


@dataclass
class TxnChanges:
    """What `tx add` / `tx edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)


def under(column: Any, prefix: str) -> Any:
    """``column`` is ``prefix`` or below it in the ``:`` hierarchy."""
    return or_(col(column) == prefix, col(column).like(like_escape(prefix) + ":%", escape="\\"))


def check_project(session: Session, project_id: int) -> None:
    if project_id < 1:
        raise InvalidInput(f"--project: not a project id: {project_id}")
    from stuffctl.models import Project

    get_or_404(session, Project, project_id, "project")


def _check_links(session: Session, values: dict[str, Any]) -> None:
    if values.get("asset_id") is not None:
        from stuffctl.models import Asset

        get_or_404(session, Asset, values["asset_id"], "asset")
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
    have = set(tags_of(session, [txn.id]).get(txn.id, []))
    for tag in dict.fromkeys(t.strip() for t in changes.add_tags):
        if not tag:
            raise InvalidInput("--tag: a tag cannot be empty")
        if tag not in have:
            session.add(TxnTag(txn_id=txn.id, tag=tag))
    session.flush()


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    if ids:
        rows = session.exec(select(TxnTag.txn_id, TxnTag.tag)
                            .where(col(TxnTag.txn_id).in_(ids)).order_by(col(TxnTag.tag)))
        for txn_id, tag in rows:
            tags.setdefault(txn_id, []).append(tag)
    return tags


def txn_public(txn: Txn, tags: list[str]) -> dict[str, Any]:
    """The one JSON shape of a transaction (docs/json.md#tx)."""
    return {
        "id": txn.id,
        "uid": txn.uid,
        "on": iso(txn.occurred_on),
        "amount": money_json(txn.amount_minor, txn.currency),
        "payee": txn.payee,
        "category": txn.category,
        "account": txn.account,
        "memo": txn.memo,
        "tags": tags,
        "asset_id": txn.asset_id,
        "project_id": txn.project_id,
        "subscription_id": txn.subscription_id,
        "imported": txn.fingerprint is not None,
        "created_at": iso(txn.created_at),
        "updated_at": iso(txn.updated_at),
    }


def public(session: Session, txn: Txn) -> dict[str, Any]:
    assert txn.id is not None
    return txn_public(txn, tags_of(session, [txn.id]).get(txn.id, []))


def conditions(flt: TxnFilter) -> list[Any]:
    """The WHERE clauses of a filter, shared by listings and totals."""
    found: list[Any] = []
    amount, on = func.abs(Txn.amount_minor), col(Txn.occurred_on)
    simple: list[tuple[Any, Callable[[Any], Any]]] = [
        (flt.start, lambda v: on >= v), (flt.end, lambda v: on < v),
        (flt.account, lambda v: under(Txn.account, v)),
        (flt.category, lambda v: under(Txn.category, v)),
        (flt.asset_id, lambda v: col(Txn.asset_id) == v),
        (flt.project_id, lambda v: col(Txn.project_id) == v),
        (flt.currency, lambda v: col(Txn.currency) == v),
        (flt.min_minor, lambda v: amount >= v), (flt.max_minor, lambda v: amount <= v)]
    found += [clause(value) for value, clause in simple if value is not None]
    if flt.payee:
        found.append(col(Txn.payee).like(f"%{like_escape(flt.payee)}%", escape="\\"))
    if flt.tag:
        found.append(col(Txn.id).in_(select(TxnTag.txn_id).where(col(TxnTag.tag) == flt.tag)))
    if flt.search:
        pattern = f"%{like_escape(flt.search)}%"
        found.append(or_(*(col(c).like(pattern, escape="\\")
                           for c in (Txn.payee, Txn.memo, Txn.category, Txn.account))))
    return found


def list_txns(
    *, session: Session, flt: TxnFilter, sort: str = "date", descending: bool = False,
    limit: int | None = None, offset: int = 0, batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Transactions matching ``flt`` as JSON-ready dicts, streamed in batches."""
    query = txn_query(flt, sort=sort, descending=descending)
    query = query.limit(limit).offset(offset or None)
    return stream_published(session, query, _publish, batch=batch)


def txn_query(flt: TxnFilter, *, sort: str = "date", descending: bool = False) -> Any:
    """The listing's SELECT (tests/test_query_plans.py checks that it uses an index)."""
    if sort not in SORTS:
        raise InvalidInput(f"--sort: expected one of {', '.join(SORTS)} (got {sort!r})")
    # Dates, amounts and ids are never NULL: plain ASC/DESC with the id in the same
    # direction lets SQLite walk the index instead of sorting a million rows.
    columns = [*SORTS[sort], Txn.id]
    order = [col(c).desc() if descending else col(c).asc() for c in columns]
    if sort in ("payee", "category"):
        order[0] = order[0].nulls_last()
    return select(Txn).where(*conditions(flt)).order_by(*order)


def _publish(session: Session, txns: list[Txn]) -> Iterator[dict[str, Any]]:
    tags = tags_of(session, [t.id for t in txns if t.id is not None])
    for txn in txns:
        assert txn.id is not None
        yield txn_public(txn, tags.get(txn.id, []))


def totals(*, session: Session, flt: TxnFilter) -> list[dict[str, Any]]:
    """Per currency: count, money in, money out (positive) and net, as one SQL aggregate."""
    amount = col(Txn.amount_minor)
    rows = session.execute(
        sa_select(col(Txn.currency), func.count(), func.sum(case((amount > 0, amount), else_=0)),
                  func.sum(case((amount < 0, -amount), else_=0)), func.sum(amount))
        .where(*conditions(flt)).group_by(col(Txn.currency)).order_by(col(Txn.currency)))
    return [{"currency": cur, "count": n, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(net), cur)}
            for cur, n, i, o, net in rows]


def project_spend(*, session: Session, project_id: int) -> list[dict[str, Any]]:
    """What has been spent on a project so far: the totals of its transactions."""
    return totals(session=session, flt=TxnFilter(project_id=project_id))


def spend_by_category(*, session: Session, start: date, end: date) -> list[dict[str, Any]]:
    """Per category and currency in [start, end): count, out (positive), in and net."""
    rows = session.execute(spend_query(start, end))
    return [{"category": cat, "currency": cur, "count": n, "out": money_json(int(o), cur),
             "in": money_json(int(i), cur), "net": money_json(int(net), cur)}
            for cat, cur, n, o, i, net in rows]


def spend_query(start: date, end: date) -> Any:
    """Spend by category and currency in [start, end): answered from ix_txn_spend alone."""
    amount = col(Txn.amount_minor)
    return (sa_select(col(Txn.category), col(Txn.currency), func.count(),
                      func.sum(case((amount < 0, -amount), else_=0)),
                      func.sum(case((amount > 0, amount), else_=0)), func.sum(amount))
            .where(and_(col(Txn.occurred_on) >= start, col(Txn.occurred_on) < end))
            .group_by(col(Txn.category), col(Txn.currency))
            .order_by(col(Txn.category).nulls_last(), col(Txn.currency)))


def show_txn(*, session: Session, txn_id: int) -> dict[str, Any]:
    """A transaction with the name of its asset and subscription."""
    from stuffctl.models import Asset, Subscription

    txn = get_or_404(session, Txn, txn_id, "transaction")
    data = public(session, txn)
    asset = session.get(Asset, txn.asset_id) if txn.asset_id else None
    sub = session.get(Subscription, txn.subscription_id) if txn.subscription_id else None
    data["asset_name"] = asset.name if asset else None
    data["subscription_name"] = sub.name if sub else None
    return data


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

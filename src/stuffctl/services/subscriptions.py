"""Subscriptions and renewals: recurring charges, posting them, and what they cost.

``next_on`` is the next charge not yet posted. ``post_due`` records every
charge that has fallen due as a transaction and moves ``next_on`` on, so
running it twice posts nothing new (a unique (subscription, due date) charge
guards it too). Monthly and yearly rules count from the first charge with the
day clamped to the month's end (31 Jan → 28 Feb → 31 Mar); other rules follow
RFC 5545 through dateutil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from stuffctl.dates import Recurrence
from stuffctl.errors import Conflict, InvalidInput
from stuffctl.models import Subscription, SubscriptionCharge, Txn
from stuffctl.money import Money
from stuffctl.services import sub_list
from stuffctl.services.common import get_or_404, touch
from stuffctl.services.due import MAX_POSTS, occurrences


@dataclass
class SubData:
    name: str
    amount: Money
    recurrence: Recurrence
    next_on: date
    category: str | None = None
    account: str | None = None
    asset_id: int | None = None
    cancel_by: date | None = None
    notes: str | None = None


def _following(sub: Subscription, day: date) -> date:
    return next(occurrences(sub, after=day))


def add_subscription(*, session: Session, data: SubData) -> Subscription:
    if not data.name.strip():
        raise InvalidInput("NAME: cannot be empty")
    if data.amount.minor <= 0:
        raise InvalidInput(f"AMOUNT: a charge must be more than zero (got {data.amount})")
    if data.asset_id is not None:
        from stuffctl.models import Asset  # models.assets: only when a charge names one

        get_or_404(session, Asset, data.asset_id, "asset")
    sub = Subscription(
        name=data.name.strip(), amount_minor=data.amount.minor, currency=data.amount.currency,
        rule=data.recurrence.rule, anchor_on=data.next_on, next_on=data.next_on,
        category=data.category, account=data.account, asset_id=data.asset_id,
        cancel_by=data.cancel_by, notes=data.notes)
    session.add(sub)
    session.flush()
    return sub


def sub_public(sub: Subscription) -> dict[str, Any]:
    """The JSON shape of ``sub`` (``sub_list.sub_public``, shared with the listing)."""
    return sub_list.sub_public([getattr(sub, c) for c in sub_list.COLUMNS])


def _post(session: Session, sub: Subscription, due: date, amount: int, *,
          paid_on: date | None = None) -> SubscriptionCharge:
    txn = Txn(occurred_on=paid_on or due, amount_minor=-amount, currency=sub.currency,
              payee=sub.name, category=sub.category, account=sub.account,
              asset_id=sub.asset_id, subscription_id=sub.id, memo=f"subscription: {sub.name}")
    session.add(txn)
    session.flush()
    assert sub.id is not None
    charge = SubscriptionCharge(subscription_id=sub.id, due_on=due, paid_on=paid_on,
                                amount_minor=amount, currency=sub.currency,
                                estimated=paid_on is None, txn_id=txn.id)
    session.add(charge)
    return charge


def _advance(sub: Subscription) -> None:
    """Move to the next charge; a cancel-by date this charge passed moves along with it."""
    due, sub.next_on = sub.next_on, _following(sub, sub.next_on)
    if sub.cancel_by is not None and sub.cancel_by <= due:
        sub.cancel_by += sub.next_on - due


def post_due(*, session: Session, today: date) -> list[dict[str, Any]]:
    """Record every charge due on or before ``today`` as a transaction, once."""
    posted = []
    subs = session.execute(select(Subscription).where(
        col(Subscription.status) == "active", col(Subscription.next_on) <= today)).scalars()
    for sub in subs:
        for _ in range(MAX_POSTS):
            if sub.next_on > today:
                break
            charge = _post(session, sub, sub.next_on, sub.amount_minor)
            posted.append(charge)
            _advance(sub)
        touch(sub)
    session.flush()
    return [charge_public(c) | {"subscription_id": c.subscription_id} for c in posted]


def charge_public(c: SubscriptionCharge) -> dict[str, Any]:
    return sub_list.charge_public([getattr(c, name) for name in sub_list.CHARGE_COLUMNS])


def mark_paid(*, session: Session, sub_id: int, amount: Money | None, on: date
              ) -> dict[str, Any]:
    """Record what was actually charged: the oldest estimated charge, or the next one."""
    sub = get_or_404(session, Subscription, sub_id, "subscription")
    if amount is not None and amount.currency != sub.currency:
        raise InvalidInput(f"--amount: in {amount.currency}, the subscription is in "
                           f"{sub.currency}")
    actual = abs(amount.minor) if amount else sub.amount_minor
    charge = session.execute(
        select(SubscriptionCharge).where(col(SubscriptionCharge.subscription_id) == sub_id,
                                         col(SubscriptionCharge.estimated).is_(True))
        .order_by(col(SubscriptionCharge.due_on))).scalars().first()
    if charge is None:
        if sub.status != "active":
            raise Conflict(f"subscription {sub_id} is cancelled and has no charge to mark paid")
        charge = _post(session, sub, sub.next_on, actual, paid_on=on)
        _advance(sub)
    else:
        charge.amount_minor, charge.paid_on, charge.estimated = actual, on, False
        txn = session.get(Txn, charge.txn_id) if charge.txn_id else None
        if txn is not None:
            txn.amount_minor, txn.occurred_on = -actual, on
            touch(txn)
    sub.amount_minor = actual  # the next estimate is the last real charge
    touch(sub)
    session.flush()
    return charge_public(charge) | {"subscription_id": sub_id}


def cancel_subscription(*, session: Session, sub_id: int, on: date) -> Subscription:
    sub = get_or_404(session, Subscription, sub_id, "subscription")
    if sub.status == "cancelled":
        raise Conflict(f"subscription {sub_id} is already cancelled")
    sub.status, sub.cancelled_on = "cancelled", on
    touch(sub)
    session.flush()
    return sub


def remove_subscription(*, session: Session, sub_id: int) -> dict[str, Any]:
    """Delete a subscription and its charge history; its transactions stay, unlinked."""
    sub = get_or_404(session, Subscription, sub_id, "subscription")
    data = sub_public(sub)
    session.delete(sub)
    session.flush()
    return data

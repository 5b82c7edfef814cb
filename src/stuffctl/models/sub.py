"""Subscriptions and their charges: the money planned ahead (transactions are
``models.tx``). A module of its own, so that a command that writes a
transaction does not build these classes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from stuffctl.models.base import Model, Record


class Subscription(Record, table=True):
    """A recurring charge: ``next_on`` is the next charge not yet posted."""

    name: str = Field(index=True)
    amount_minor: int  # the (estimated) charge, positive
    currency: str = Field(max_length=3)
    rule: str  # normalised RRULE value (dates.Recurrence.rule)
    anchor_on: date  # the first charge date; occurrences are counted from it
    next_on: date = Field(index=True)
    category: str | None = None
    account: str | None = None
    asset_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="SET NULL", index=True
    )
    cancel_by: date | None = Field(default=None, index=True)
    status: str = Field(default="active", index=True)
    cancelled_on: date | None = None
    notes: str | None = None
    # who pays it, and so hears of its renewals (``sub add --payer``)
    payer_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL",
                                 index=True)


class SubscriptionCharge(Model, table=True):
    """One charge of a subscription: its price history and what was paid."""

    __tablename__ = "subscription_charge"
    __table_args__ = (UniqueConstraint("subscription_id", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE", index=True)
    due_on: date
    paid_on: date | None = None
    amount_minor: int  # positive: what was (or is estimated to be) charged
    currency: str = Field(max_length=3)
    estimated: bool = True
    txn_id: int | None = Field(default=None, foreign_key="txn.id", ondelete="SET NULL")

"""Transactions, budgets and subscriptions: money in and out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from stuffctl.models.base import Model, Record

BUDGET_PERIODS = ("monthly", "quarterly", "yearly")
SUBSCRIPTION_STATUSES = ("active", "cancelled")


class Txn(Record, table=True):
    """One transaction. ``amount_minor`` < 0 is money out, > 0 money in.

    ``fingerprint`` is set by `tx import`: a hash of the row's content plus the
    number of the identical row within its file (``<hash>:1``, ``<hash>:2``), so a
    re-import adds nothing twice and two identical real rows in one file both stay.
    """

    # Links are mostly empty: partial indexes skip the NULLs, so bulk imports do not
    # pay for them, and `asset_id = ?` lookups still use them.
    # Reports group a date range by category and currency: this index covers them
    # (no table lookups), and listings still walk it in date order.
    __table_args__ = (
        Index("ix_txn_spend", "occurred_on", "category", "currency", "amount_minor"),
        # What was added lately (`status`): new rows append at its end, cheap for imports.
        Index("ix_txn_created_at", "created_at"),
        *(Index(f"ix_txn_{name}", name, sqlite_where=text(f"{name} IS NOT NULL"))
          for name in ("asset_id", "project_id", "subscription_id")))

    occurred_on: date
    amount_minor: int
    currency: str = Field(max_length=3)
    # No index on payee or account: their filters are substring and prefix matches
    # (LIKE) and their sorts put NULLs last, which no plain index serves, while
    # every index costs every imported row. category's serves `category IS NULL`.
    payee: str | None = None
    category: str | None = Field(default=None, index=True)
    account: str | None = None
    memo: str | None = None
    asset_id: int | None = Field(default=None, foreign_key="asset.id", ondelete="SET NULL")
    project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL")
    subscription_id: int | None = Field(
        default=None, foreign_key="subscription.id", ondelete="SET NULL")
    fingerprint: str | None = Field(default=None, unique=True, index=True)
    import_line: int | None = None


class TxnTag(Model, table=True):
    __tablename__ = "txn_tag"

    txn_id: int = Field(foreign_key="txn.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class Budget(Record, table=True):
    """A spending limit for a category (and its subcategories) per period."""

    category: str = Field(unique=True, index=True)
    period: str = "monthly"
    amount_minor: int
    currency: str = Field(max_length=3)


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

"""Transactions and their tags: money in and out, and the kinds of their categories
(budgets and subscriptions are ``models.sub``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, text
from sqlmodel import Field

from stuffctl.models.base import Model, Record, searched


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
    payee: str | None = searched()
    category: str | None = searched(index=True)
    account: str | None = None
    memo: str | None = searched()
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


class Category(Record, table=True):
    """A category's kind, set by `stuffctl category set`: ``expense`` or ``income``. A
    category without a row has the kind its name suggests (``services.category``). The
    name is stored in lower case (categories match in any case); a subcategory
    (``home:kitchen``) without a row of its own takes its parent's kind."""

    name: str = Field(unique=True)
    kind: str = "expense"

"""Transactions: money in and out."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from stuffctl.models.base import Record


class Txn(Record, table=True):
    """One transaction. ``amount_minor`` < 0 is money out, > 0 money in."""

    occurred_on: date = Field(index=True)
    amount_minor: int
    currency: str = Field(max_length=3)
    payee: str | None = Field(default=None, index=True)
    category: str | None = Field(default=None, index=True)
    account: str | None = Field(default=None, index=True)
    memo: str | None = None
    asset_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="SET NULL", index=True
    )
    project_id: int | None = Field(default=None, index=True)
    fingerprint: str | None = Field(default=None, index=True)

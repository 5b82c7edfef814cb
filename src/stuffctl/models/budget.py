"""Budgets: a spending limit per category and period. A module of its own, so that a
command that writes a transaction does not build this class."""

from __future__ import annotations

from sqlmodel import Field

from stuffctl.models.base import Record
from stuffctl.vocabulary import BUDGET_PERIODS as BUDGET_PERIODS  # re-exported


class Budget(Record, table=True):
    """A spending limit for a category (and its subcategories) per period."""

    category: str = Field(unique=True, index=True)
    period: str = "monthly"
    amount_minor: int
    currency: str = Field(max_length=3)

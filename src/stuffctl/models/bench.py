"""Bench goals: a target for one metric (``spend:groceries <= 400``)."""

from __future__ import annotations

from sqlmodel import Field

from stuffctl.models.base import Record
from stuffctl.vocabulary import GOAL_OPS as GOAL_OPS  # re-exported


class Goal(Record, table=True):
    """``target`` is decimal text in the metric's unit (the bench currency for money)."""

    metric: str = Field(unique=True, index=True)
    op: str = Field(max_length=2)
    target: str

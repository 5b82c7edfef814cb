"""People (household members, friends, colleagues) and the loans between us and them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from stuffctl.models.base import Record, searched


class Person(Record, table=True):
    name: str = searched(..., index=True)
    email: str | None = searched()
    phone: str | None = searched()
    notes: str | None = searched()
    # the database login they use (``db grant``, ``person edit --login``): a command run
    # by that login runs as this person (``store.who``)
    login: str | None = Field(default=None, unique=True, index=True)


class Loan(Record, table=True):
    """An asset lent to someone ("out") or borrowed from someone ("in")."""

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT", index=True)
    direction: str = Field(index=True, max_length=3)
    since: date = Field(index=True)
    due_on: date | None = Field(default=None, index=True)
    returned_on: date | None = Field(default=None, index=True)
    notes: str | None = searched()

"""Reminders: own reminders, their occurrences, notifications, meters and schedules.

Due times are local wall-clock time (naive), so a daily 08:30 reminder stays at
08:30 across daylight-saving changes; ``*_at`` timestamps of what happened are
aware UTC like everywhere else.
"""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from stuffctl.models.base import Model, Record


class Reminder(Record, table=True):
    """A reminder a person added; ``due_on``/``due_time`` is its pending occurrence."""

    title: str
    kind: str = Field(default="reminder", index=True)
    about_kind: str | None = None
    about_id: int | None = None
    start_on: date
    due_on: date = Field(index=True)
    due_time: time | None = None
    rule: str | None = None
    from_done: bool = False
    lead: str | None = None
    snoozed_until: NaiveDatetime | None = None
    state: str = Field(default="open", index=True)
    notes: str | None = None
    # whom it concerns (``remind add --for``); else what it is about says, else everyone
    person_id: int | None = Field(default=None, foreign_key="person.id",
                                  ondelete="SET NULL", index=True)


class Occurrence(Record, table=True):
    """What became of one occurrence: done, skipped, or snoozed while open."""

    __table_args__ = (UniqueConstraint("key", "occurrence"),)

    key: str = Field(index=True)
    occurrence: str
    kind: str
    title: str
    due: NaiveDatetime = Field(index=True)
    all_day: bool = True
    state: str = Field(default="open", index=True)
    acted_on: date | None = None
    missed: int = 0
    snoozed_until: NaiveDatetime | None = None
    snoozes: int = 0


class Notification(Model, table=True):
    """One band of one occurrence, notified once (the unique key makes it so)."""

    __table_args__ = (UniqueConstraint("key", "occurrence", "band", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str
    occurrence: str
    band: str
    round: int = 0
    kind: str
    title: str
    due: NaiveDatetime = Field(index=True)
    notified_at: datetime = Field(index=True)


class Notice(Model, table=True):
    """A band of an occurrence a person is to hear about, decided once by `remind run`
    (the unique key makes it so); ``held`` while it waits for their digest or the end of
    their quiet hours, then carried by one or more ``outbox`` messages."""

    __table_args__ = (UniqueConstraint("person_id", "key", "occurrence", "band", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    key: str
    occurrence: str
    band: str
    round: int = 0
    kind: str
    title: str
    due: NaiveDatetime
    decided_at: datetime = Field(index=True)
    held: bool = Field(default=False, index=True)


class Outbox(Model, table=True):
    """One message to one channel: written in the transaction that decides it, sent
    after commit, ``delivered`` only once the channel accepted it (docs/notify.md)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    channel_id: int = Field(foreign_key="channel.id", ondelete="CASCADE", index=True)
    title: str
    body: str
    digest: bool = False
    created_at: datetime
    state: str = Field(default="pending", index=True)  # sending, delivered, undelivered
    attempts: int = 0
    next_try_at: datetime | None = Field(default=None, index=True)
    tried_at: datetime | None = None
    delivered_at: datetime | None = None
    error: str | None = None


class MeterReading(Record, table=True):
    __tablename__ = "meter_reading"

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    value: float
    unit: str
    taken_on: date = Field(index=True)


class MaintenanceSchedule(Record, table=True):
    """``every 6 months or 10000 km``, closed by logging an event of ``kind``."""

    __tablename__ = "maintenance_schedule"

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    kind: str
    rule: str | None = None
    every_amount: float | None = None
    every_unit: str | None = None
    lead: str | None = None


class Meta(Model, table=True):
    """Small key/value facts read by the plain-sqlite3 fast path of `remind run`."""

    key: str = Field(primary_key=True)
    value: str

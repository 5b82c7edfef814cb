"""People (household members, friends, colleagues) and the loans between us and them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from stuffctl.models.base import Model, Record, searched


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


class Channel(Record, table=True):
    """Where a person is notified: an Apprise URL (``mailto://``, ``ntfy://``, …). The URL
    may hold a token or a password: it is shown masked (``services.remind.notify.mask``),
    and on a server only its person and admins read it (row security)."""

    __table_args__ = (UniqueConstraint("person_id", "url"),)

    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    url: str


class NotifyProfile(Model, table=True):
    """How a person wants to hear (``person notify --profile``; docs/notify.md): which
    kinds, which bands, now or in a digest, and when not at all. No row: the household's
    ``notify.*`` settings, at once."""

    __tablename__ = "notify_profile"

    person_id: int = Field(primary_key=True, foreign_key="person.id", ondelete="CASCADE")
    kinds: str = "all"  # groups and kinds, comma-separated (services.remind.profiles)
    bands: str = "proactive"  # proactive, reactive, anomalies, or bands
    digest: str = "off"  # off, "daily 08:00", "weekly mon 08:00"
    quiet_hours: str = ""  # "22:00-07:00", or none
    last_digest_at: datetime | None = None  # local time the last digest was made

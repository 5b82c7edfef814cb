"""Assets: what a person owns, its log and its attachments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field

from stuffctl.models.base import Model, Record, searched
from stuffctl.vocabulary import ASSET_STATUSES as ASSET_STATUSES  # re-exported


class Asset(Record, table=True):
    # `status` lists what changed lately: these keep it off a scan of every asset.
    __table_args__ = (Index("ix_asset_created_at", "created_at"),
                      Index("ix_asset_updated_at", "updated_at"))

    name: str = searched(..., index=True)
    category: str | None = Field(default=None, index=True)
    location: str | None = searched(index=True)
    brand: str | None = searched()
    model: str | None = searched()
    serial: str | None = searched()
    purchased_on: date | None = Field(default=None, index=True)
    price_minor: int | None = None
    price_currency: str | None = Field(default=None, max_length=3)
    vendor: str | None = None
    warranty_until: date | None = Field(default=None, index=True)
    life_months: int | None = None
    status: str = Field(default="active", index=True)
    parent_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="SET NULL", index=True
    )
    retired_on: date | None = None
    sold_minor: int | None = None
    sold_currency: str | None = Field(default=None, max_length=3)
    notes: str | None = searched()
    owner_id: int | None = Field(None, foreign_key="person.id", ondelete="SET NULL", index=True)
    last_seen_on: date | None = Field(default=None, index=True)
    last_seen_at: str | None = None
    url: str | None = searched()  # a product or manual page


class AssetTag(Model, table=True):
    __tablename__ = "asset_tag"

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class AssetField(Model, table=True):
    """Custom fields: key → value, per asset."""

    __tablename__ = "asset_field"

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", primary_key=True)
    key: str = searched(..., primary_key=True)
    value: str = searched(...)


class Event(Record, table=True):
    """One entry of an asset's log: service, repair, inspection, note, …"""

    __table_args__ = (Index("ix_event_created_at", "created_at"),)

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    occurred_on: date = Field(index=True)
    kind: str = searched(..., index=True)
    notes: str | None = searched()
    meter: float | None = None
    meter_unit: str | None = None
    txn_id: int | None = Field(default=None, foreign_key="txn.id", ondelete="SET NULL")


class Attachment(Record, table=True):
    """A file (receipt, manual) copied into the data directory by content hash."""

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    filename: str
    sha256: str = Field(index=True, max_length=64)
    size: int
    incident_id: int | None = Field(
        default=None, foreign_key="incident.id", ondelete="SET NULL", index=True)


class Link(Record, table=True):
    """A web page about an asset or an incident: a manual, a product or support page, a
    video. ``kind`` is free text (``manual``, ``support``, …), what `stuffctl open ASSET
    KIND` picks by."""

    asset_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="CASCADE", index=True)
    incident_id: int | None = Field(
        default=None, foreign_key="incident.id", ondelete="CASCADE", index=True)
    kind: str = Field(default="link", index=True)
    url: str = searched(...)
    title: str | None = searched()
